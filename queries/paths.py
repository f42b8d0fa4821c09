"""Collaboration paths: how two entities are connected, ranked, each hop with its evidence.

Reachability is undirected (collaboration is mutual) but every hop keeps the direction of its
relation. The store's engine finds the paths (``queries/engine.py``); this module also reads a
path out as one sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Path, PathList


def shortest_paths(
    kg: Store,
    source: str,
    target: str,
    *,
    k: int = 5,
    max_hops: int = 6,
    relations: Iterable[RelationKind | str] | None = None,
    via_kinds: Iterable[EntityKind | str] | None = None,
    avoid_kinds: Iterable[EntityKind | str] | None = None,
    as_of: str | None = None,
    all_paths: bool = False,
) -> PathList:
    """The ``k`` shortest simple paths from ``source`` to ``target`` (ranked), or all up to ``max_hops``.

    ``source`` and ``target`` are names or ids (see ``resolve``). Filters: ``relations`` —
    relation kinds a hop may use; ``via_kinds``/``avoid_kinds`` — kinds the entities inside a
    path must (not) have; ``as_of`` — only relations valid on that date (YYYY, YYYY-MM or
    YYYY-MM-DD; a partial date means any day in it). Paths are ranked by length, then by
    their ids. An empty list means no path within ``max_hops``. ``all_paths`` stops after
    ``limits.MAX_ALL_PATHS`` paths and says so (``PathList.truncated``).

    Examples:
        >>> best = shortest_paths(kg, "ICLEI", "Shenzhen Low-Carbon Development Foundation", relations=["party_to"])
        >>> print(path_sentence(kg, best[0]))
        ICLEI – Local Governments for Sustainability —party to→ Memorandum of Understanding between ICLEI and the Shenzhen Low-Carbon Development Foundation (2015-12, signed at 21st Conference of the Parties (COP21)) ←party to— Shenzhen Low-Carbon Development Foundation
        >>> [hop.evidence[0]["locator"] for hop in best[0].hops]
        ['paragraph 1, sentence 1', 'paragraph 1, sentence 1']
    """
    return engine_for(kg).shortest_paths(
        kg,
        source,
        target,
        k=k,
        max_hops=max_hops,
        relations=relations,
        via_kinds=via_kinds,
        avoid_kinds=avoid_kinds,
        as_of=as_of,
        all_paths=all_paths,
    )


#: How far ``why_no_path`` looks for a longer path before it says the two are not connected.
EXPLAIN_HOPS = 25


def why_no_path(
    kg: Store,
    source: str,
    target: str,
    *,
    max_hops: int = 6,
    relations: Iterable[RelationKind | str] | None = None,
    via_kinds: Iterable[EntityKind | str] | None = None,
    avoid_kinds: Iterable[EntityKind | str] | None = None,
    as_of: str | None = None,
) -> str:
    """Why ``shortest_paths`` found nothing, in one sentence: an endpoint with no relations at all,
    a path only beyond ``max_hops``, one only without the filters, or no connection at all.

    Examples:
        >>> why_no_path(kg, "city/shenzhen", "org/iclei-usa", max_hops=1)
        'the shortest path has 3 hops, beyond --max-hops 1'
    """
    for end in (source, target):
        if next(iter(kg.relations(end)), None) is None:
            return f"{end} has no relations at all: no path can reach it"
    filters = {"relations": relations, "via_kinds": via_kinds, "avoid_kinds": avoid_kinds, "as_of": as_of}
    longer = shortest_paths(kg, source, target, k=1, max_hops=EXPLAIN_HOPS, **filters)  # type: ignore[arg-type]
    if longer:
        return f"the shortest path has {longer[0].length} hops, beyond --max-hops {max_hops}"
    if any(filters.values()):
        unfiltered = shortest_paths(kg, source, target, k=1, max_hops=EXPLAIN_HOPS)
        if unfiltered:
            return (
                f"they are connected only through what the filters exclude (shortest path without "
                f"filters: {unfiltered[0].length} hops)"
            )
    return (
        f"they are not connected: no chain of relations of up to {EXPLAIN_HOPS} hops joins them "
        "(they lie in different components of the network)"
    )


def path_sentence(kg: Store, path: Path) -> str:
    """A path as one readable line: agreements and events shown with their date and place.

    ``A —party to→ MOU (2015-12, signed at COP21) ←party to— B``; a relation's role and dates
    appear inside its arrow: ``—member of (first cohort, from 2015)→``.

    Examples:
        >>> print(path_sentence(kg, shortest_paths(kg, "Shenzhen", "CCUCC")[0]))
        Shenzhen —member of (first cohort, from 2015)→ California-China Urban Climate Collaborative
    """
    parts = [entity_phrase(kg, path.nodes[0])]
    for hop in path.hops:
        words = hop.relation.replace("_", " ") or "?"
        extra = ", ".join(
            x for x in (hop.role, hop.start and f"from {hop.start}", hop.end and f"to {hop.end}") if x
        )
        if extra:
            words += f" ({extra})"
        arrow = f" —{words}→ " if hop.direction != "in" else f" ←{words}— "
        parts.append(arrow + entity_phrase(kg, hop.target))
    return "".join(parts)


def entity_phrase(kg: Store, entity_id: str) -> str:
    """An entity's label; agreements and events add their date, agreements where they were signed.

    Examples:
        >>> entity_phrase(kg, "city/shenzhen")
        'Shenzhen'
    """
    e = kg.entity(entity_id)
    if e is None:
        return entity_id
    notes = [e.date] if e.date and e.kind in (EntityKind.AGREEMENT, EntityKind.EVENT) else []
    if e.kind == EntityKind.AGREEMENT:
        places = sorted(
            (kg.entity(r.object) for r in kg.relations(entity_id) if r.kind == RelationKind.SIGNED_AT),
            key=lambda x: (x is None or x.kind != EntityKind.EVENT, x.label if x else ""),
        )
        if places and places[0] is not None:
            notes.append(f"signed at {places[0].label}")
    return f"{e.label} ({', '.join(notes)})" if notes else e.label
