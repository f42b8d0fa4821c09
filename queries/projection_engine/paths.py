"""Collaboration paths on the projection: bidirectional search, Yen's k shortest, bounded simple paths.

Reachability is undirected (collaboration is mutual) but every hop keeps the direction of its
relation. Paths are found on the projection (``graph/projection.py``) through a filtered view;
evidence is read from the store only for the hops returned.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from climatekg.graph.model import EntityKind, Relation, RelationKind
from climatekg.graph.projection import RELATIONS, Projection, View, as_of_bounds, holds_during, projection
from climatekg.graph.store import Store
from climatekg.queries import limits
from climatekg.queries.evidence import hop
from climatekg.queries.resolve import resolve
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
    """``queries.paths.shortest_paths`` on the projection: the ``k`` shortest simple paths, or all."""
    proj = projection(kg)
    view = proj.view(relations=relations, as_of=as_of, via_kinds=via_kinds, avoid_kinds=avoid_kinds)
    s, t = proj.index_of(resolve(kg, source)), proj.index_of(resolve(kg, target))
    found = PathList()
    if s == t:
        found.append(Path([proj.ids[s]], [], 0))
        return found
    if all_paths:
        routes, found.truncated = simple_paths_within(view, s, t, max_hops, limits.MAX_ALL_PATHS)
    else:
        routes = k_shortest(view, s, t, k, max_hops)
    evidence = _Evidence(kg, proj, view.mask, as_of)
    found.extend(evidence.path(route) for route in routes)
    return found


# ---- search on the projection --------------------------------------------------------------


def bidirectional_bfs(
    view: View,
    s: int,
    t: int,
    max_hops: int,
    ignore_nodes: set[int] | frozenset[int] = frozenset(),
    ignore_ties: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
) -> list[int] | None:
    """One shortest path from ``s`` to ``t`` in the view (ints), or None within ``max_hops``.

    Level by level from whichever side has the smaller frontier; the first meeting is a
    shortest path. Entities that may not be passed through are never entered unless they are
    an end; ``ignore_nodes``/``ignore_ties`` serve Yen's algorithm.
    """
    if s in ignore_nodes or t in ignore_nodes:
        return None
    pred: dict[int, int] = {s: -1}
    succ: dict[int, int] = {t: -1}
    forward, backward = [s], [t]
    hops = 0
    while forward and backward and hops < max_hops:
        hops += 1
        if len(forward) <= len(backward):
            forward, meet = _expand(view, forward, pred, succ, t, ignore_nodes, ignore_ties)
        else:
            backward, meet = _expand(view, backward, succ, pred, s, ignore_nodes, ignore_ties)
        if meet is not None:
            return _join(pred, succ, meet)
    return None


def _expand(
    view: View,
    frontier: list[int],
    seen: dict[int, int],
    other: dict[int, int],
    end: int,
    ignore_nodes: set[int] | frozenset[int],
    ignore_ties: set[tuple[int, int]] | frozenset[tuple[int, int]],
) -> tuple[list[int], int | None]:
    nxt: list[int] = []
    checks_nodes = view.filters_nodes or bool(ignore_nodes)
    for u in frontier:
        for w in view.neighbours(u):
            if w in seen:
                continue
            if checks_nodes and (w in ignore_nodes or (w != end and not view.passable(w))):
                continue
            if ignore_ties and (u, w) in ignore_ties:  # Yen's callers list both orientations
                continue
            seen[w] = u
            if w in other:
                return nxt, w
            nxt.append(w)
    return nxt, None


def _join(pred: dict[int, int], succ: dict[int, int], meet: int) -> list[int]:
    path = []
    n = meet
    while n != -1:
        path.append(n)
        n = pred[n]
    path.reverse()
    n = succ[meet]
    while n != -1:
        path.append(n)
        n = succ[n]
    return path


def k_shortest(view: View, s: int, t: int, k: int, max_hops: int) -> list[list[int]]:
    """Yen's k shortest simple paths (unweighted), ranked by length then by entity ids."""
    first = bidirectional_bfs(view, s, t, max_hops)
    if first is None or k < 1:
        return []
    ids = view.proj.ids
    chosen = [first]
    seen = {tuple(first)}
    candidates: list[tuple[int, tuple[str, ...], list[int]]] = []
    while len(chosen) < k:
        last = chosen[-1]
        for i in range(len(last) - 1):
            root = last[: i + 1]
            ignore_ties = {(p[i], p[i + 1]) for p in chosen if p[: i + 1] == root}
            ignore_ties |= {(b, a) for a, b in ignore_ties}
            spur = bidirectional_bfs(view, last[i], t, max_hops - i, set(root[:-1]), ignore_ties)
            if spur is None:
                continue
            route = root[:-1] + spur
            if tuple(route) not in seen:
                seen.add(tuple(route))
                heapq.heappush(candidates, (len(route) - 1, tuple(ids[n] for n in route), route))
        if not candidates:
            break
        chosen.append(heapq.heappop(candidates)[2])
    return sorted(chosen, key=lambda p: (len(p), [ids[n] for n in p]))


def distances_to(view: View, t: int, max_hops: int, exempt: int) -> dict[int, int]:
    """Hops from every entity within ``max_hops`` of ``t`` (passing only passable entities)."""
    dist = {t: 0}
    frontier = [t]
    for d in range(1, max_hops + 1):
        nxt = []
        for u in frontier:
            for w in view.neighbours(u):
                if w not in dist and (w == exempt or view.passable(w)):
                    dist[w] = d
                    nxt.append(w)
        frontier = nxt
    return dist


def simple_paths_within(
    view: View, s: int, t: int, max_hops: int, limit: int
) -> tuple[list[list[int]], bool]:
    """Every simple path of at most ``max_hops`` hops, shortest first; (paths, stopped at ``limit``).

    A depth-first search that only steps where the target is still reachable in time
    (distances from the target bound it), so it never wanders away through hubs.
    """
    to_t = distances_to(view, t, max_hops, s)
    if s not in to_t:
        return [], False
    found: list[list[int]] = []
    path, on_path = [s], {s}
    stack = [iter(view.neighbours(s))]
    while stack:
        w = next(stack[-1], None)
        if w is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if w in on_path:
            continue
        if w == t:
            found.append([*path, t])
            if len(found) >= limit:
                break
            continue
        if len(path) + to_t.get(w, max_hops + 1) <= max_hops:
            path.append(w)
            on_path.add(w)
            stack.append(iter(view.neighbours(w)))
    ids = view.proj.ids
    found.sort(key=lambda p: (len(p), [ids[n] for n in p]))
    return found, len(found) >= limit


# ---- evidence ------------------------------------------------------------------------------


class _Evidence:
    """Reads the relations behind each hop from the store: once per entity, from the smaller end."""

    def __init__(self, kg: Store, proj: Projection, mask: int, as_of: str | None):
        self.kg, self.proj, self.mask = kg, proj, mask
        self.bounds = as_of_bounds(as_of) if as_of else None
        self.by_pair: dict[tuple[str, str], list[Relation]] = {}
        self.by_entity: dict[str, dict[str, list[Relation]]] = {}

    def path(self, route: list[int]) -> Path:
        ids = [self.proj.ids[n] for n in route]
        hops = [
            hop(a, b, self.relations(a, b, route[i], route[i + 1]))
            for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False))
        ]
        return Path(ids, hops, len(hops))

    def relations(self, a: str, b: str, na: int, nb: int) -> list[Relation]:
        pair = (a, b) if a < b else (b, a)
        if pair not in self.by_pair:
            near = a if self.proj.degree(na) <= self.proj.degree(nb) else b
            far = b if near == a else a
            self.by_pair[pair] = [r for r in self.around(near).get(far, []) if self.allowed(r)]
        return self.by_pair[pair]

    def around(self, entity: str) -> dict[str, list[Relation]]:
        """An entity's relations by the entity at their other end (read from the store once)."""
        if entity not in self.by_entity:
            grouped: dict[str, list[Relation]] = {}
            for r in self.kg.relations(entity):
                grouped.setdefault(r.object if r.subject == entity else r.subject, []).append(r)
            self.by_entity[entity] = grouped
        return self.by_entity[entity]

    def allowed(self, r: Relation) -> bool:
        if not self.mask >> RELATIONS.index(r.kind) & 1:
            return False
        return self.bounds is None or holds_during(r, self.bounds)
