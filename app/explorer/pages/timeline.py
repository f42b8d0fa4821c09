"""Timeline: agreements, events and dated relations over time, and the as-of date for every page.

URL: ``?as_of=YYYY-MM-DD`` (shared by all pages).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import altair as alt
import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.as_of import valid_on
from climatekg.app.explorer.views.formatting import to_csv
from climatekg.app.explorer.views.timeline import TimelineItem, timeline_items, year_range
from climatekg.graph.model import EntityKind
from climatekg.graph.projection import RELATIONS, Projection, projection
from climatekg.graph.store import Store

DATED_KINDS = (EntityKind.AGREEMENT, EntityKind.EVENT, EntityKind.INITIATIVE)


Dated = tuple[str, str, str, str | None, str | None, str | None]


def dated_relations(kg: Store, proj: Projection) -> list[Dated]:
    """Dated relations ``(subject, kind, object, start, end, role)``.

    The projection holds every dated instance (reading them all from the store would take
    seconds on a big network); the roles come from the store, for those few relations only.
    """
    found: list[Dated] = []
    for (a, b), ties in proj.dated.items():
        for d in ties:
            other = b if d.subject == a else a
            found.append(
                (proj.ids[d.subject], RELATIONS[d.kind].value, proj.ids[other], d.start, d.end, None)
            )
    roles: dict[tuple[str, str, str, str | None, str | None], str] = {}
    for subject in sorted({f[0] for f in found})[:2000]:
        for r in kg.relations(subject):
            if r.subject == subject and r.role and (r.start or r.end):
                roles[(r.subject, r.kind.value, r.object, r.start, r.end)] = r.role
    return [(s, k, o, start, end, roles.get((s, k, o, start, end))) for s, k, o, start, end, _ in found]


@st.cache_data(show_spinner="Collecting dated facts…", max_entries=4)
def items(_kg: Store, version: str) -> list[TimelineItem]:
    """Dated entities and relations, oldest first."""
    entities = [
        (e.id, e.kind.value, e.label, e.date) for kind in DATED_KINDS for e in _kg.entities(kind) if e.date
    ]
    relations = dated_relations(_kg, projection(_kg))
    ends = {x for s, _, o, *_ in relations for x in (s, o)}
    labels = {eid: _shared.label_of(_kg, version, eid) for eid in ends}
    return timeline_items(entities, relations, labels)


def apply_slider() -> None:
    """Copy the slider's day into the as-of setting of every page."""
    picked = st.session_state.get("as_of_slider")
    if isinstance(picked, date):
        _shared.set_as_of(picked.isoformat())


kg = _shared.store()
version = kg.version()
day = _shared.as_of()
st.title("Timeline")
found = items(kg, version)
years = year_range(found) or (2000, date.today().year)
first, last = date(years[0], 1, 1), date(max(years[1], years[0] + 1), 12, 31)
if "as_of_slider" not in st.session_state:
    st.session_state["as_of_slider"] = min(max(date.fromisoformat(day), first), last) if day else last
c1, c2 = st.columns([5, 1], vertical_alignment="bottom")
c1.slider(
    "As of (filters the Profile, Network, Paths and Map pages)",
    min_value=first,
    max_value=last,
    key="as_of_slider",
    on_change=apply_slider,
    format="YYYY-MM-DD",
)
c2.button("Show all dates", key="as_of_clear_all", on_click=_shared.set_as_of, args=(None,), disabled=not day)
if day:
    st.info(f"Every page now shows the network as of {day}.", icon="🕰️")

if not found:
    st.info("Nothing in the store is dated yet.")
else:
    rows = [
        {
            "start": i.start,
            "end": i.end or "",
            # open-ended relations are drawn up to the end of the range: they still hold
            "until": i.end or (last.isoformat() if i.what == "relation" else ""),
            "what": i.kind,
            "label": i.label,
            "detail": i.detail,
            "id": i.id,
            "holds on the as-of date": valid_on(i.start, i.end, day) if day else True,
        }
        for i in found
    ]
    base = alt.Chart(alt.Data(values=rows))
    spans = (
        base.transform_filter("datum.until != ''")
        .mark_rule(strokeWidth=3, opacity=0.35)
        .encode(x=alt.X("start:T", title=None), x2="until:T", y=alt.Y("what:N", title=None))
    )
    points = base.mark_circle(size=90).encode(
        x=alt.X("start:T", title=None),
        y=alt.Y("what:N", title=None),
        color=alt.Color("what:N", legend=None),
        opacity=alt.condition("datum['holds on the as-of date']", alt.value(0.9), alt.value(0.2)),
        tooltip=[
            alt.Tooltip("label:N"),
            alt.Tooltip("start:N"),
            alt.Tooltip("end:N"),
            alt.Tooltip("detail:N"),
        ],
    )
    layers: list[Any] = [spans, points] if any(r["until"] for r in rows) else [points]
    if day:
        layers.append(
            alt.Chart(alt.Data(values=[{"day": day}]))
            .mark_rule(color="#d9480f", strokeDash=[4, 3])
            .encode(x="day:T")
        )
    st.altair_chart(alt.layer(*layers).properties(height=320), key="timeline_chart", width="stretch")
    shown = [{k: val for k, val in r.items() if k != "until"} for r in rows]
    st.dataframe(shown, hide_index=True, key="timeline_table")
    st.download_button("Download as CSV", to_csv(shown), "timeline.csv", "text/csv", key="timeline_csv")
