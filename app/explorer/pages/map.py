"""Map: entities placed by their coordinates, with the ties between them drawn as great arcs.

URL: ``?from_countries=…&to_countries=…`` (ties between two sets of countries, e.g. United
States ↔ China), ``?focus=ID`` (one entity's ties), ``?all_points=true``. Offline: the land
outline is bundled; Vega-Lite draws it in the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.app.explorer.views.world_map import (
    MAX_POINTS,
    MAX_TIES,
    CountryArc,
    MapTie,
    countries,
    country_arcs,
    map_chart,
    select_ties,
)
from climatekg.graph.store import Store


@dataclass(frozen=True)
class Drawing:
    """What the map draws for one choice of countries, entity and points."""

    ties: list[MapTie]
    left_out: int  # matching ties beyond MAX_TIES
    arcs: list[CountryArc]  # ties summed per pair of countries (when there are too many to draw)
    located: int  # entities that would be drawn before the MAX_POINTS cap
    labels: dict[str, str]  # hub id → label, for the ties through a hub
    chart: dict[str, Any]


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
    """The ties, points and Vega-Lite spec for one choice, built once per data version.

    Building the spec of the ~17,700 twin cities takes seconds; a revisit or a rerun reuses it.
    """
    data = _shared.located(_kg, version, day)
    filtered = bool(chosen_from or chosen_to or focus)
    arcs: list[CountryArc] = []
    if filtered or len(data.ties) <= MAX_TIES:
        ties, left_out = select_ties(
            data, from_countries=list(chosen_from), to_countries=list(chosen_to), entity=focus
        )
    else:
        # An arbitrary 3,000 of 26,000 ties would mislead; their sums per pair of countries do not.
        ties, left_out = [], 0
        arcs = country_arcs(data, data.ties)
    ends = {i for t in ties for i in (t.a, t.b)}
    shown = [p for p in data.points.values() if show_all or not filtered or p.id in ends or p.id == focus]
    labels = {h: _shared.label_of(_kg, version, h) for h in {t.via for t in ties if t.via}}
    chart = map_chart(
        shown[:MAX_POINTS], ties, arcs=arcs, tie_labels=labels, highlight=[focus] if focus else []
    )
    return Drawing(ties, left_out, arcs, len(shown), labels, chart)


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
    ties, left_out, arcs, labels = drawn.ties, drawn.left_out, drawn.arcs, drawn.labels
    if arcs:
        st.info(
            f"{len(data.ties):,} ties are more than {MAX_TIES:,}: each line sums the ties between two countries "
            f"({len(arcs):,} pairs). Choose countries (e.g. United States → China) or one entity to draw single ties."
        )
    if drawn.located > MAX_POINTS:
        st.caption(f"Showing {MAX_POINTS:,} of {drawn.located:,} located entities.")
    # a fresh top level: Streamlit moves the spec's tables out of "datasets" as it sends them
    event = st.vega_lite_chart(
        {**drawn.chart, "datasets": dict(drawn.chart["datasets"])},
        key="map_chart",
        on_select="rerun",
        selection_mode="entity",
        width="stretch",
    )
    m1, m2, m3 = st.columns(3)
    m1.metric("Located entities", f"{len(data.points):,}")
    if arcs:
        m2.metric(
            "Ties drawn", f"{len(data.ties):,}", delta=f"as {len(arcs):,} country pairs", delta_color="off"
        )
    else:
        m2.metric("Ties drawn", f"{len(ties):,}")
    m3.metric("Ties in the data", f"{len(data.ties):,}")
    if left_out:
        st.warning(
            f"{left_out:,} more ties match; only {MAX_TIES:,} are drawn. Narrow the countries or pick one entity."
        )
    if data.skipped_hubs:
        st.caption(
            f"{data.skipped_hubs} hubs (initiatives, events …) with more than 40 located members are not drawn "
            "as pairwise ties."
        )
    picked = (
        [row.get("id") for row in (event.selection.get("entity") or []) if isinstance(row, dict)]
        if event
        else []
    )
    if picked and picked[0] in data.points:
        point = data.points[picked[0]]
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
