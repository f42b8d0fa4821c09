"""The timeline's items: dated entities and relations, in order (pure Python, no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from climatekg.graph.model import date_bounds


@dataclass(frozen=True)
class TimelineItem:
    """Something dated: an agreement or event (``entity``) or a relation (``relation``)."""

    what: str  # "entity" or "relation"
    start: str  # ISO day (first day of a partial date)
    end: str | None
    label: str
    kind: str
    id: str
    detail: str = ""


def timeline_items(
    entities: Iterable[tuple[str, str, str, str | None]],
    relations: Iterable[tuple[str, str, str, str | None, str | None, str | None]],
    labels: dict[str, str],
) -> list[TimelineItem]:
    """Dated entities ``(id, kind, label, date)`` and relations ``(s, kind, o, start, end, role)``.

    >>> items = timeline_items([("event/x", "Event", "X", "2015-09")], [], {})
    >>> items[0].start, items[0].label
    ('2015-09-01', 'X')
    """
    out = []
    for eid, kind, label, when in entities:
        if when:
            out.append(TimelineItem("entity", date_bounds(when)[0], None, label, kind, eid))
    for s, kind, o, start, end, role in relations:
        if not (start or end):
            continue
        first = date_bounds(start)[0] if start else date_bounds(end or "")[0]
        last = date_bounds(end)[1] if end else None
        text = f"{labels.get(s, s)} {kind} {labels.get(o, o)}"
        out.append(TimelineItem("relation", first, last, text, kind, f"{s}|{kind}|{o}", role or ""))
    return sorted(out, key=lambda i: (i.start, i.label))


def year_range(items: Sequence[TimelineItem]) -> tuple[int, int] | None:
    """The first and last year any item mentions."""
    years = [int(i.start[:4]) for i in items] + [int(i.end[:4]) for i in items if i.end]
    return (min(years), max(years)) if years else None
