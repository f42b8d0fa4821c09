"""Collaboration paths on Neo4j: ``SHORTEST k`` (a bidirectional search on the server), then evidence."""

from __future__ import annotations

from collections.abc import Iterable

from climatekg.graph.model import EntityKind, Relation, RelationKind
from climatekg.graph.projection import as_of_bounds, holds_during
from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.graph.stores.neo4j_store.codec import relation_from_row
from climatekg.queries import limits
from climatekg.queries.cypher_engine.statements import filters, on_neo4j, statement
from climatekg.queries.evidence import hop
from climatekg.queries.resolve import resolve
from climatekg.queries.results import Path, PathList

#: ``SHORTEST k`` asks for at most this many paths (duplicates through parallel relations are
#: dropped, so it may ask for more than k).
PATH_ROW_CAP = 20_000


def shortest_paths(
    store: Store,
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
    """``queries.paths.shortest_paths`` on the server: ``SHORTEST k`` (a bidirectional search)
    finds the shortest paths; the simple ones (no entity twice) are ranked by length, then ids.

    Same lengths and the same paths as the embedded store, except that among paths of the
    longest length returned a different tie may be chosen.
    """
    kg = on_neo4j(store)
    kinds, params = filters(relations, as_of, via_kinds, avoid_kinds)
    s, t = resolve(kg, source), resolve(kg, target)
    found = PathList()
    if s == t:
        found.append(Path([s], [], 0))
        return found
    max_hops = int(max_hops)
    if max_hops < 1 or (k < 1 and not all_paths):
        return found
    base = {**params, "source": s, "target": t}
    routes: list[list[str]] = []
    if all_paths:
        rows = kg.run_read(statement("all_paths", kinds, max_hops), **base, cap=limits.MAX_ALL_PATHS)
        routes = [list(r["ids"]) for r in rows]
        found.truncated = len(routes) >= limits.MAX_ALL_PATHS
    else:
        asked = k
        while True:
            rows = kg.run_read(statement("shortest_paths", kinds, max_hops, asked), **base)
            simple = {tuple(r["ids"]) for r in rows if len(set(r["ids"])) == len(r["ids"])}
            # duplicates (parallel relations) and non-simple paths took places: ask for more
            if len(simple) >= k or len(rows) < asked or asked >= PATH_ROW_CAP:
                break
            asked = min(asked * 4, PATH_ROW_CAP)
        # every path shorter than the longest one returned is there; ties at that length may differ
        routes = sorted((list(p) for p in simple), key=lambda p: (len(p), p))[:k]
    routes.sort(key=lambda p: (len(p), p))
    found.extend(_with_evidence(kg, routes, kinds, as_of))
    return found


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _with_evidence(
    kg: Neo4jStore, routes: list[list[str]], kinds: list[RelationKind], as_of: str | None
) -> list[Path]:
    pairs = sorted({tuple(sorted(pair)) for route in routes for pair in zip(route, route[1:], strict=False)})
    by_pair: dict[tuple[str, str], list[Relation]] = {}
    bounds = as_of_bounds(as_of) if as_of else None
    for start in range(0, len(pairs), 1000):
        for row in kg.run_read(
            statement("hop_evidence", kinds), pairs=[list(p) for p in pairs[start : start + 1000]]
        ):
            r = relation_from_row(row)
            if bounds is None or holds_during(r, bounds):
                by_pair.setdefault(_pair(r.subject, r.object), []).append(r)
    paths = []
    for route in routes:
        hops = [hop(a, b, by_pair.get(_pair(a, b), [])) for a, b in zip(route, route[1:], strict=False)]
        paths.append(Path(route, hops, len(hops)))
    return paths
