"""An entity's neighbourhood on the projection: a bounded breadth-first ball and the ties inside it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.projection import RELATIONS, Projection, View, kind_code, projection, relation_kinds
from climatekg.graph.store import Store
from climatekg.queries import limits
from climatekg.queries.labels import labels
from climatekg.queries.resolve import resolve
from climatekg.queries.results import Neighbourhood, edge_order


def neighbours(
    kg: Store,
    entity: str,
    *,
    hops: int = 2,
    relations: Iterable[RelationKind | str] | None = None,
    kinds: Iterable[EntityKind | str] | None = None,
    through_kinds: Iterable[EntityKind | str] | None = None,
    as_of: str | None = None,
    limit: int = 500,
) -> Neighbourhood:
    """``queries.structure.neighbours`` on the projection."""
    proj = projection(kg)
    view = proj.view(relations=relations, as_of=as_of, via_kinds=through_kinds)
    start = proj.index_of(resolve(kg, entity))
    shown = {kind_code(k) for k in kinds} if kinds else None

    def keep(n: int) -> bool:
        return shown is None or proj.kinds[n] in shown

    distance, truncated, left_out = _ball(view, start, hops, limit, proj.ids.__getitem__, keep)
    named = labels(kg, (proj.ids[n] for n in distance))
    nodes = [
        {"id": proj.ids[n], "label": named[proj.ids[n]][0], "kind": named[proj.ids[n]][1], "distance": d}
        for n, d in distance.items()
    ]
    edges = sorted(_edges_among(view, list(distance)), key=edge_order)
    return Neighbourhood(nodes, edges, truncated, left_out)


def _ball(
    view: View, start: int, hops: int, limit: int, id_of: Callable[[int], str], keep: Callable[[int], bool]
) -> tuple[dict[int, int], bool, int]:
    """Distances of the kept entities (nearest first, then by id), truncated?, left out.

    Entities that ``keep`` rejects are walked through but not listed (nor counted by ``limit``).

    When ``limit`` cuts a level, the first entities by id are kept (as on Neo4j). Reading stops
    after ``SCAN_FACTOR × limit`` ties so that a hub cannot make one call read the whole graph; when
    that happens the level is cut among the entities read so far, and ``left out`` counts only
    those, so it is a lower bound.
    """
    distance = {start: 0}
    visited = {start}
    frontier = [start]
    budget = limits.SCAN_FACTOR * max(limit, 1)
    for d in range(1, hops + 1):
        found: list[int] = []
        for u in frontier:
            for w in view.neighbours(u):
                budget -= 1
                if w not in visited and view.passable(w):
                    visited.add(w)
                    found.append(w)
            if budget <= 0:
                break
        found.sort(key=id_of)
        listed = [w for w in found if keep(w)]
        room = limit - len(distance)
        for w in listed[: max(room, 0)]:
            distance[w] = d
        if len(listed) > room or budget <= 0:
            return distance, True, max(len(listed) - max(room, 0), 0)
        frontier = found
    return distance, False, 0


def _edges_among(view: View, nodes: list[int]) -> list[dict[str, Any]]:
    """One edge per relation kind and direction between kept entities (subject → object)."""
    kept = set(nodes)
    edges = []
    for u in nodes:
        for pos, w in view.ties(u):
            if w not in kept or w < u:
                continue
            out, into = view.valid_bits(u, pos)
            edges += [_edge(view, u, w, kind) for kind in relation_kinds(out)]
            edges += [_edge(view, w, u, kind) for kind in relation_kinds(into)]
    return edges


def _edge(view: View, s: int, o: int, kind: RelationKind) -> dict[str, Any]:
    """An edge; a tie stated once, with dates, carries them (``start``/``end``)."""
    proj = view.proj
    edge: dict[str, Any] = {"source": proj.ids[s], "target": proj.ids[o], "relation": kind.value}
    code = RELATIONS.index(kind)
    dated = [d for d in proj.dated_ties(s, o) if d.kind == code and d.subject == s]
    if len(dated) == 1 and not _stated_undated(proj, s, o, code):
        edge["start"], edge["end"] = dated[0].start, dated[0].end
    return edge


def _stated_undated(proj: Projection, s: int, o: int, code: int) -> bool:
    for pos in proj.positions(s):
        if proj.indices[pos] == o:
            return bool(proj.open_out[pos] >> code & 1)
    return False
