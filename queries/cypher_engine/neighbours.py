"""An entity's neighbourhood on Neo4j: one breadth-first step per query, then the ties among the kept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from climatekg.graph.model import EntityKind, Provenance, Relation, RelationKind
from climatekg.graph.projection import UNKNOWN_KIND, as_of_bounds, holds_during, kind_code
from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.graph.stores.neo4j_store.codec import TYPE_KIND
from climatekg.queries import limits
from climatekg.queries.cypher_engine.statements import filters, on_neo4j, statement
from climatekg.queries.labels import labels
from climatekg.queries.resolve import resolve
from climatekg.queries.results import Neighbourhood, edge_order


def neighbours(
    store: Store,
    entity: str,
    *,
    hops: int = 2,
    relations: Iterable[RelationKind | str] | None = None,
    kinds: Iterable[EntityKind | str] | None = None,
    through_kinds: Iterable[EntityKind | str] | None = None,
    as_of: str | None = None,
    limit: int = 500,
) -> Neighbourhood:
    """``queries.structure.neighbours`` on the server: one breadth-first step per query.

    Within a level entities come by id, and when ``limit`` cuts a level the first by id are
    kept, as on the embedded store; ``left_out`` counts at least one more than were kept then.
    With ``kinds`` (a result filter) a step reads at most ``SCAN_FACTOR × limit`` entities.
    """
    kg = on_neo4j(store)
    rel_kinds, params = filters(relations, as_of, through_kinds, None)
    shown = {kind_code(k) for k in kinds} if kinds else None
    start = resolve(kg, entity)
    distance = {start: 0}
    visited = [start]
    frontier = [start]
    truncated, left_out = False, 0
    for d in range(1, hops + 1):
        room = limit - len(distance)
        cap = max(room, 0) + 1 if shown is None else limits.SCAN_FACTOR * max(limit, 1)
        rows = kg.run_read(
            statement("neighbours_step", rel_kinds), **params, frontier=frontier, seen=visited, cap=cap
        )
        found = [r["id"] for r in rows]
        listed = [r["id"] for r in rows if shown is None or _code(r["kind"]) in shown]
        for w in listed[: max(room, 0)]:
            distance[w] = d
        if len(listed) > room or (shown is not None and len(rows) >= cap):
            truncated, left_out = True, max(len(listed) - max(room, 0), 0)
            break
        visited += found
        frontier = found
        if not frontier:
            break
    named = labels(kg, distance)
    nodes = [{"id": n, "label": named[n][0], "kind": named[n][1], "distance": d} for n, d in distance.items()]
    edges = sorted(_edges_among(kg, list(distance), rel_kinds, as_of), key=edge_order)
    return Neighbourhood(nodes, edges, truncated, left_out)


def _code(kind: str | None) -> int:
    """The kind code of a node's ``kind`` property (untyped nodes have none)."""
    return kind_code(kind) if kind else UNKNOWN_KIND


def _edges_among(
    kg: Neo4jStore, ids: list[str], kinds: list[RelationKind], as_of: str | None
) -> list[dict[str, Any]]:
    """One edge per relation kind and direction between kept entities whose tie passes the filters."""
    rows = kg.run_read(statement("edges_among", kinds), ids=ids)
    bounds = as_of_bounds(as_of) if as_of else None
    instances: dict[tuple[str, RelationKind, str], list[tuple[str | None, str | None]]] = {}
    undated: set[tuple[str, RelationKind, str]] = set()
    passing: set[tuple[str, RelationKind, str]] = set()  # per subject, kind and object, as embedded
    for r in rows:
        kind = TYPE_KIND[r["type"]]
        key = (r["s"], kind, r["o"])
        instances.setdefault(key, []).append((r["start"], r["end"]))
        if not (r["start"] or r["end"]):
            undated.add(key)
        rel = Relation(r["s"], kind, r["o"], Provenance("", ""), start=r["start"], end=r["end"])
        if bounds is None or holds_during(rel, bounds):
            passing.add(key)
    edges = []
    for key in sorted(passing, key=lambda k: (k[0], k[1].value, k[2])):
        s, kind, o = key
        edge: dict[str, Any] = {"source": s, "target": o, "relation": kind.value}
        dated = {d for d in instances[key] if d[0] or d[1]}
        if len(dated) == 1 and key not in undated:
            edge["start"], edge["end"] = next(iter(dated))
        edges.append(edge)
    return edges
