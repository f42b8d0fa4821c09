"""Collaboration paths: how two entities are connected, ranked, each hop with its evidence.

Reachability is undirected (collaboration is mutual) but every hop keeps the direction of its
relation. Paths are found on the projection (``graph/projection.py``) through a filtered view;
evidence is read from the store only for the hops returned.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from climatekg.graph.model import EntityKind, Relation, RelationKind
from climatekg.graph.projection import RELATIONS, Projection, View, as_of_bounds, holds_during, projection
from climatekg.queries.resolve import resolve

#: ``all_paths=True`` stops after this many paths (and says so: ``PathList.truncated``).
MAX_ALL_PATHS = 10_000


@dataclass(frozen=True)
class Hop:
    """One step of a path: ``source`` → ``target`` in path order; ``direction`` is ``out`` when
    the relation's subject is ``source`` and ``in`` when it points back along the path."""

    source: str
    target: str
    relation: str
    direction: str
    start: str | None
    end: str | None
    role: str | None
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
            "direction": self.direction,
            "start": self.start,
            "end": self.end,
            "role": self.role,
            "evidence": [dict(e) for e in self.evidence],
        }


@dataclass(frozen=True)
class Path:
    """A simple path: its entity ids in order, the hops between them, and its length in hops."""

    nodes: list[str]
    hops: list[Hop]
    length: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"nodes": list(self.nodes), "length": self.length, "hops": [h.to_dict() for h in self.hops]}


class PathList(list[Path]):
    """Paths, best first; ``truncated`` is True when ``all_paths`` stopped at ``MAX_ALL_PATHS``."""

    truncated: bool = False


def shortest_paths(
    kg: Any,
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
    their ids. An empty list means no path within ``max_hops``.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> kg = bundled_store()
        >>> best = shortest_paths(kg, "ICLEI", "Shenzhen Low-Carbon Development Foundation", relations=["party_to"])
        >>> print(path_sentence(kg, best[0]))
        ICLEI – Local Governments for Sustainability —party to→ Memorandum of Understanding between ICLEI and the Shenzhen Low-Carbon Development Foundation (2015-12, signed at 21st Conference of the Parties (COP21)) ←party to— Shenzhen Low-Carbon Development Foundation
        >>> [hop.evidence[0]["locator"] for hop in best[0].hops]
        ['paragraph 1, sentence 1', 'paragraph 1, sentence 1']
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.shortest_paths(
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
    proj = projection(kg)
    view = proj.view(relations=relations, as_of=as_of, via_kinds=via_kinds, avoid_kinds=avoid_kinds)
    s, t = proj.index_of(resolve(kg, source)), proj.index_of(resolve(kg, target))
    found = PathList()
    if s == t:
        found.append(Path([proj.ids[s]], [], 0))
        return found
    if all_paths:
        routes, found.truncated = simple_paths_within(view, s, t, max_hops, MAX_ALL_PATHS)
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

    def __init__(self, kg: Any, proj: Projection, mask: int, as_of: str | None):
        self.kg, self.proj, self.mask = kg, proj, mask
        self.bounds = as_of_bounds(as_of) if as_of else None
        self.by_pair: dict[tuple[str, str], list[Relation]] = {}
        self.by_entity: dict[str, dict[str, list[Relation]]] = {}

    def path(self, route: list[int]) -> Path:
        ids = [self.proj.ids[n] for n in route]
        hops = [
            self.hop(a, b, route[i], route[i + 1]) for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False))
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

    def hop(self, a: str, b: str, na: int, nb: int) -> Hop:
        rels = sorted(self.relations(a, b, na, nb), key=lambda r: _rank(r, a))
        if not rels:  # the store changed under the projection; say so instead of guessing
            return Hop(a, b, "", "", None, None, None, [])
        best = rels[0]
        return Hop(
            source=a,
            target=b,
            relation=best.kind.value,
            direction="out" if best.subject == a else "in",
            start=best.start,
            end=best.end,
            role=best.role,
            evidence=[_evidence(r, a) for r in rels],
        )


def _rank(r: Relation, a: str) -> tuple[object, ...]:
    p = r.provenance
    return (
        p.status != "curated",
        -p.confidence,
        RELATIONS.index(r.kind),
        r.subject != a,
        r.start or "",
        p.source,
    )


def _evidence(r: Relation, a: str) -> dict[str, Any]:
    p = r.provenance
    return {
        "relation": r.kind.value,
        "direction": "out" if r.subject == a else "in",
        "start": r.start,
        "end": r.end,
        "role": r.role,
        "source": p.source,
        "locator": p.locator,
        "quote": p.quote,
        "status": p.status,
        "confidence": p.confidence,
    }


# ---- reading a path ------------------------------------------------------------------------


def path_sentence(kg: Any, path: Path) -> str:
    """A path as one readable line: agreements and events shown with their date and place.

    ``A —party to→ MOU (2015-12, signed at COP21) ←party to— B``; a relation's role and dates
    appear inside its arrow: ``—member of (first cohort, from 2015)→``.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> kg = bundled_store()
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


def entity_phrase(kg: Any, entity_id: str) -> str:
    """An entity's label; agreements and events add their date, agreements where they were signed."""
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
