"""Map: entities placed by their coordinates, with the ties between them drawn as great arcs.

URL: ``?from_countries=…&to_countries=…`` (ties between two sets of countries, e.g. United
States ↔ China), ``?focus=ID`` (one entity's ties), ``?all_points=true``. Drawn as one SVG in
Python (``views/svg_map.py``, as the home page's map), once per data version and choice: every
located entity is a dot; up to ``MAX_TIES`` matching ties are drawn one by one, more are summed
per pair of countries (one line each), and the page says so. Offline: the land outline is bundled.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import streamlit.components.v1 as components

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.app.explorer.views.svg_map import map_document, map_picture
from climatekg.app.explorer.views.world_map import (
    MAX_POINTS,
    MAX_TIES,
    CountryArc,
    MapTie,
    countries,
    country_arcs,
    select_ties,
)
from climatekg.graph.store import Store

#: The map's height in pixels.
MAP_HEIGHT = 520


@dataclass(frozen=True)
class Drawing:
    """What the map draws for one choice of countries, entity and points."""

    ties: list[MapTie]  # drawn one by one (at most MAX_TIES)
    matching: int  # ties that match the choice
    arcs: list[CountryArc]  # the matching ties summed per pair of countries, when more than MAX_TIES
    located: int  # entities that would be drawn before the MAX_POINTS cap
    labels: dict[str, str]  # hub id → label, for the ties through a hub
    picture: str  # an HTML page holding the SVG


@st.cache_resource(show_spinner="Drawing the map…", max_entries=16)
def drawing(
    _kg: Store,
    version: str,
    day: str | None,
    chosen_from: tuple[str, ...],
    chosen_to: tuple[str, ...],
    focus: str | None,
    show_all: bool,
) -> Drawing:
    """The ties, points and SVG for one choice, built once per data version (a rerun reuses it)."""
    data = _shared.located(_kg, version, day)
    filtered = bool(chosen_from or chosen_to or focus)
    matching, _ = select_ties(
        data,
        from_countries=list(chosen_from),
        to_countries=list(chosen_to),
        entity=focus,
        limit=len(data.ties),
    )
    ties: list[MapTie] = matching
    arcs: list[CountryArc] = []
    if len(matching) > MAX_TIES:
        # An arbitrary 3,000 of 26,000 ties would mislead; their sums per pair of countries do not.
        ties, arcs = [], country_arcs(data, matching)
    ends = {i for t in ties for i in (t.a, t.b)}
    end_countries = {c for a in arcs for c in (a.a, a.b)}
    shown = [
        p
        for p in data.points.values()
        if show_all or not filtered or p.id in ends or p.id == focus or p.country in end_countries
    ]
    labels = {h: _shared.label_of(_kg, version, h) for h in {t.via for t in ties if t.via}}
    svg = map_picture(
        shown[:MAX_POINTS],
        ties,
        arcs=arcs,
        height=MAP_HEIGHT,
        highlight=[focus] if focus else [],
        tie_labels=labels,
        link="profile?entity=",
    )
    return Drawing(ties, len(matching), arcs, len(shown), labels, map_document(svg))


kg = _shared.store()
version = kg.version()
day = _shared.as_of_banner()
st.title("Map")
data = _shared.located(kg, version, day)
if not data.points:
    st.info("No entity in the store has coordinates. Load a network with coordinates (e.g. the twin cities).")
else:
    names = countries(data)
    c1, c2, c3 = st.columns([3, 3, 2])
    with c1:
        chosen_from = st.multiselect(
            "Ties from", names, key="from_countries", bind="query-params", placeholder="any country"
        )
    with c2:
        chosen_to = st.multiselect(
            "to", names, key="to_countries", bind="query-params", placeholder="any country"
        )
    with c3:
        focus_text = st.text_input(
            "Ties of one entity", key="focus", bind="query-params", placeholder="name or id"
        )
    focus, _ = _shared.resolve_or_none(kg, focus_text or "")
    if focus_text and not focus:
        st.warning(md(f"No single entity is named {focus_text!r}; showing all ties."))
    show_all = st.toggle("Show every located entity, not only the ends of the ties drawn", key="all_points")
    drawn = drawing(kg, version, day, tuple(chosen_from), tuple(chosen_to), focus, bool(show_all))
    ties, arcs, labels = drawn.ties, drawn.arcs, drawn.labels
    if arcs:
        st.info(
            f"{drawn.matching:,} ties are more than {MAX_TIES:,}: each line sums the ties between two countries "
            f"({len(arcs):,} pairs); ties within one country are not drawn. Choose countries (e.g. United States "
            "→ China) or one entity to draw single ties."
        )
    if drawn.located > MAX_POINTS:
        st.caption(f"Showing {MAX_POINTS:,} of {drawn.located:,} located entities.")
    st.caption("Hover over a dot or a line to name it; click a dot to open its profile in a new tab.")
    components.html(drawn.picture, height=MAP_HEIGHT + 4)
    m1, m2, m3 = st.columns(3)
    m1.metric("Located entities", f"{len(data.points):,}")
    if arcs:
        m2.metric(
            "Ties drawn", f"{drawn.matching:,}", delta=f"as {len(arcs):,} country pairs", delta_color="off"
        )
    else:
        m2.metric("Ties drawn", f"{len(ties):,}")
    m3.metric("Ties in the data", f"{len(data.ties):,}")
    if data.skipped_hubs:
        st.caption(
            f"{data.skipped_hubs} hubs (initiatives, events …) with more than 40 located members are not drawn "
            "as pairwise ties."
        )
    if focus and focus in data.points:
        point = data.points[focus]
        st.page_link(
            _shared.PAGES["profile"],
            label=md(f"Open the profile of {point.label} ({point.country})"),
            query_params={"entity": point.id},
            icon=":material/person_search:",
        )
    if ties:
        with st.expander(f"The {len(ties):,} ties drawn, as a table"):
            st.dataframe(
                [
                    {
                        "from": data.points[t.a].label,
                        "from country": data.points[t.a].country,
                        "to": data.points[t.b].label,
                        "to country": data.points[t.b].country,
                        "relation": t.relation,
                        "via": labels.get(t.via or "", ""),
                    }
                    for t in ties
                ],
                hide_index=True,
                key="ties_table",
            )
