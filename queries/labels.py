"""Entity labels and kinds for the ids an answer names, read from the store once per id."""

from __future__ import annotations

from collections.abc import Iterable

from climatekg.graph.store import Store


def labels(kg: Store, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(label, kind) of each id; an id the store does not know labels itself, with no kind.

    Examples:
        >>> labels(kg, ["city/shenzhen", "city/nowhere"])
        {'city/shenzhen': ('Shenzhen', 'City'), 'city/nowhere': ('city/nowhere', '')}
    """
    out: dict[str, tuple[str, str]] = {}
    for eid in ids:
        if eid not in out:
            e = kg.entity(eid)
            out[eid] = (e.label, e.kind.value) if e else (eid, "")
    return out
