"""The shape of the network: an entity's neighbourhood, who is central, which groups form.

All three run on the projection (``graph/projection.py``); betweenness, PageRank and
communities use igraph (C speed), with exact betweenness up to ``EXACT_BETWEENNESS_LIMIT``
entities and a sampled estimate above it (the result says which).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.projection import RELATIONS, Projection, View, projection, relation_kinds
from climatekg.queries.resolve import resolve

#: Above this many entities betweenness is estimated from ``BETWEENNESS_SAMPLES`` random sources.
EXACT_BETWEENNESS_LIMIT = 5_000
BETWEENNESS_SAMPLES = 256
#: A neighbourhood scans at most this many half-ties per kept entity before it stops counting.
SCAN_FACTOR = 50
MEASURES = ("degree", "betweenness", "pagerank")


def _labels(kg: Any, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(label, kind) of each id, read from the store."""
    out = {}
    for eid in ids:
        e = kg.entity(eid)
        out[eid] = (e.label, e.kind.value) if e else (eid, "")
    return out


# ---- neighbourhood -------------------------------------------------------------------------


@dataclass
class Neighbourhood:
    """Entities within some hops of one entity (nearest first) and the ties among them.

    ``truncated`` is True when ``limit`` cut the result; ``left_out`` counts the entities
    found but not kept (a lower bound when the scan itself was bounded).
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = False
    left_out: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "truncated": self.truncated,
            "left_out": self.left_out,
        }


def neighbours(
    kg: Any,
    entity: str,
    *,
    hops: int = 2,
    relations: Iterable[RelationKind | str] | None = None,
    kinds: Iterable[EntityKind | str] | None = None,
    as_of: str | None = None,
    limit: int = 500,
) -> Neighbourhood:
    """Entities within ``hops`` ties of ``entity`` and the relations among them, at most ``limit``.

    ``relations`` limits the relation kinds followed, ``kinds`` the kinds of entity kept (and
    passed through), ``as_of`` the date the relations must hold on. Each node has ``id``,
    ``label``, ``kind`` and ``distance``; each edge ``source`` (the subject), ``target``,
    ``relation`` and, when the tie is dated, ``start``/``end``.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> nb = neighbours(bundled_store(), "ICLEI USA", hops=1)
        >>> [(n["id"], n["distance"]) for n in nb.nodes]
        [('org/iclei-usa', 0), ('org/iclei', 1), ('person/angie-fyfe', 1)]
        >>> [(e["source"], e["relation"], e["target"]) for e in nb.edges]
        [('org/iclei-usa', 'member_of', 'org/iclei'), ('person/angie-fyfe', 'works_for', 'org/iclei-usa')]
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.neighbours(
            kg, entity, hops=hops, relations=relations, kinds=kinds, as_of=as_of, limit=limit
        )
    proj = projection(kg)
    view = proj.view(relations=relations, as_of=as_of, via_kinds=kinds)
    start = proj.index_of(resolve(kg, entity))
    distance, truncated, left_out = _ball(view, start, hops, limit, proj.ids.__getitem__)
    labels = _labels(kg, (proj.ids[n] for n in distance))
    nodes = [
        {"id": proj.ids[n], "label": labels[proj.ids[n]][0], "kind": labels[proj.ids[n]][1], "distance": d}
        for n, d in distance.items()
    ]
    edges = sorted(_edges_among(view, list(distance)), key=_edge_order)
    return Neighbourhood(nodes, edges, truncated, left_out)


def _edge_order(edge: dict[str, Any]) -> tuple[str, str, str]:
    return edge["source"], edge["relation"], edge["target"]


def _ball(view: View, start: int, hops: int, limit: int, id_of: Any) -> tuple[dict[int, int], bool, int]:
    """Distances of the kept entities (nearest first, then by id), truncated?, left out.

    When ``limit`` cuts a level, the first entities by id are kept (as on Neo4j). Reading stops
    after ``SCAN_FACTOR × limit`` ties so that a hub cannot make one call read the whole graph; when
    that happens the level is cut among the entities read so far, and ``left out`` counts only
    those, so it is a lower bound.
    """
    distance = {start: 0}
    frontier = [start]
    budget = SCAN_FACTOR * max(limit, 1)
    for d in range(1, hops + 1):
        found: list[int] = []
        seen: set[int] = set()
        for u in frontier:
            for w in view.neighbours(u):
                budget -= 1
                if w not in distance and w not in seen and view.passable(w):
                    seen.add(w)
                    found.append(w)
            if budget <= 0:
                break
        found.sort(key=id_of)
        room = limit - len(distance)
        for w in found[: max(room, 0)]:
            distance[w] = d
        if len(found) > room or budget <= 0:
            return distance, True, max(len(found) - max(room, 0), 0)
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


# ---- centrality ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Central:
    """An entity and its score under one centrality measure."""

    id: str
    label: str
    kind: str
    score: float
    degree: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "score": self.score,
            "degree": self.degree,
        }


class Ranking(list[Central]):
    """Ranked entities; ``measure`` names the score and ``method`` says how it was computed."""

    measure: str = ""
    method: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"measure": self.measure, "method": self.method, "entities": [c.to_dict() for c in self]}


def centrality(kg: Any, measure: str = "degree", top: int = 20) -> Ranking:
    """The ``top`` entities by ``degree`` (distinct entities tied), ``betweenness`` or ``pagerank``.

    Betweenness is normalised like networkx's (pairs of other entities whose shortest paths
    pass through the entity, over all such pairs) and exact up to ``EXACT_BETWEENNESS_LIMIT``
    entities; ``method`` says when it was sampled.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> ranking = centrality(bundled_store(), "degree", top=1)
        >>> ranking[0].id, ranking[0].score, ranking.method
        ('tech/low-carbon-clean-technology', 13.0, 'exact')
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.centrality(kg, measure, top)
    if measure not in MEASURES:
        raise ClimateKGError(f"unknown measure {measure!r} (one of {', '.join(MEASURES)})")
    proj = projection(kg)
    if measure == "degree":
        scores = [float(proj.degree(n)) for n in range(len(proj))]
        method = "exact"
    elif measure == "betweenness":
        scores, method = betweenness(proj)
    else:
        scores = list(proj.to_igraph().pagerank(directed=False)) if len(proj) else []
        method = "exact (igraph PRPACK, damping 0.85)"
    order = sorted(range(len(proj)), key=lambda n: (-scores[n], proj.ids[n]))[:top]
    labels = _labels(kg, (proj.ids[n] for n in order))
    ranking = Ranking(
        Central(proj.ids[n], *labels[proj.ids[n]], score=scores[n], degree=proj.degree(n)) for n in order
    )
    ranking.measure, ranking.method = measure, method
    return ranking


def betweenness(proj: Projection, *, graph: Any = None, seed: int = 0) -> tuple[list[float], str]:
    """Normalised betweenness of every entity and how it was computed ("exact" or "sampled …").

    Above ``EXACT_BETWEENNESS_LIMIT`` entities, shortest paths are counted from
    ``BETWEENNESS_SAMPLES`` random sources only and scaled up (Brandes and Pich's estimate).
    ``graph`` is ``proj.to_igraph()`` when the caller already has it.
    """
    n = len(proj)
    if n < 3:
        return [0.0] * n, "exact"
    g = graph if graph is not None else proj.to_igraph()
    scale = 2.0 / ((n - 1) * (n - 2))
    if n <= EXACT_BETWEENNESS_LIMIT:
        return [b * scale for b in g.betweenness(directed=False)], "exact"
    sources = sorted(random.Random(seed).sample(range(n), BETWEENNESS_SAMPLES))
    raw = g.betweenness(directed=False, sources=sources)
    # with every entity as a source igraph gives the exact count, so a sample scales by n/|S|
    factor = scale * n / len(sources)
    method = f"sampled: shortest paths from {len(sources)} of {n:,} entities (seed {seed})"
    return [b * factor for b in raw], method


# ---- communities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """One group found by Louvain: its size, kinds, and its best-connected members."""

    index: int
    size: int
    kinds: dict[str, int]
    members: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"index": self.index, "size": self.size, "kinds": self.kinds, "members": self.members}


class Communities(list[Community]):
    """Communities, largest first; ``modularity`` of the whole partition and ``membership`` by id."""

    modularity: float = 0.0
    method: str = ""
    membership: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (without the full membership)."""
        return {
            "method": self.method,
            "modularity": self.modularity,
            "communities": [c.to_dict() for c in self],
        }


def communities(kg: Any, *, top: int | None = None, members: int = 10, seed: int = 0) -> Communities:
    """Groups of densely tied entities (Louvain, igraph), largest first, with their top members.

    ``top`` limits how many communities are described, ``members`` how many members each
    lists (highest degree first); ``membership`` maps every entity id to its community.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> found = communities(bundled_store())
        >>> sum(c.size for c in found) == len(found.membership), found.modularity > 0
        (True, True)
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.communities(kg, top=top, members=members, seed=seed)
    import igraph

    proj = projection(kg)
    rng = random.Random(seed)
    igraph.set_random_number_generator(rng)
    try:
        parts = proj.to_igraph().community_multilevel() if proj.tie_count else None
    finally:
        igraph.set_random_number_generator(random)
    membership = list(parts.membership) if parts is not None else list(range(len(proj)))
    groups: dict[int, list[int]] = {}
    for n, c in enumerate(membership):
        groups.setdefault(c, []).append(n)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), proj.ids[min(g, key=lambda n: proj.ids[n])]))
    found = Communities()
    found.method = f"Louvain (igraph community_multilevel, seed {seed})"
    found.modularity = float(parts.modularity) if parts is not None else 0.0
    renumber = {}
    for index, group in enumerate(ordered):
        for n in group:
            renumber[n] = index
        if top is None or index < top:
            found.append(_community(kg, proj, index, group, members))
    found.membership = {proj.ids[n]: renumber[n] for n in range(len(proj))}
    return found


def _kind_name(proj: Projection, n: int) -> str:
    kind = proj.kind_of(n)
    return kind.value if kind else "unknown"


def _community(kg: Any, proj: Projection, index: int, group: list[int], members: int) -> Community:
    kinds = Counter(_kind_name(proj, n) for n in group)
    best = sorted(group, key=lambda n: (-proj.degree(n), proj.ids[n]))[:members]
    labels = _labels(kg, (proj.ids[n] for n in best))
    listed = [
        {
            "id": proj.ids[n],
            "label": labels[proj.ids[n]][0],
            "kind": labels[proj.ids[n]][1],
            "degree": proj.degree(n),
        }
        for n in best
    ]
    return Community(index, len(group), dict(sorted(kinds.items())), listed)
