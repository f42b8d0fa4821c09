"""The questions of queries/paths.py, gaps.py and structure.py answered on a Neo4j store, as Cypher
run on the server: the same signatures, the same result types, the same answers.

Each runner binds parameters into a ``.cypher`` file beside this module; the only text ever
filled into a query is a list of relationship types from the model's fixed table and a hop
count the runner checked to be an int. Nothing pulls the whole graph: a query reads the part of
the graph its answer needs (paths between two entities, a neighbourhood, contexts of a few
actors, degrees from Neo4j's degree store).

Not on Neo4j: betweenness, PageRank, communities and brokers (betweenness and bridges) need the
whole graph in memory; Neo4j Community has no Graph Data Science library to run them on the
server, so these raise a ClimateKGError that says so (run them on the embedded store).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import ACTOR_KINDS, EntityKind, Provenance, Relation, RelationKind, normalise_name
from climatekg.graph.projection import (
    RELATIONS,
    as_of_bounds,
    holds_during,
    kind_code,
    relation_kinds,
    relation_mask,
)
from climatekg.graph.stores.neo4j_store.codec import REL_TYPE, TYPE_KIND
from climatekg.queries.gaps import (
    HUB_LIMIT,
    CohortGap,
    Coverage,
    PartnerSuggestion,
    SharedItem,
    Suggestions,
)
from climatekg.queries.paths import MAX_ALL_PATHS, Hop, Path, PathList, _evidence, _rank
from climatekg.queries.resolve import resolve
from climatekg.queries.structure import MEASURES, Central, Neighbourhood, Ranking, _edge_order

#: ``SHORTEST k`` asks for at most this many paths (duplicates through parallel relations are
#: dropped, so it may ask for more than k).
PATH_ROW_CAP = 20_000

_UNSUPPORTED = (
    "{what} is not supported on a Neo4j store: Neo4j Community has no Graph Data Science library to "
    "compute it on the server, and climatekg does not pull the whole graph to the client; "
    "run it on the embedded store (climatekg neo4j pull, then without --store)"
)


@cache
def cypher(name: str) -> str:
    """The text of ``queries/<name>.cypher``."""
    return resources.files("climatekg.queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def _query(
    name: str,
    types: Iterable[RelationKind] | None = None,
    max_hops: int | None = None,
    count: int | None = None,
) -> str:
    """A query with its relationship types (from the fixed table) and counts (ints) filled in."""
    kinds = list(types) if types is not None else list(RELATIONS)
    text = cypher(name).replace("{types}", "|".join(REL_TYPE[k] for k in kinds))
    if max_hops is not None:
        text = text.replace("MAX_HOPS", str(int(max_hops)))
    if count is not None:
        text = text.replace("PATH_COUNT", str(int(count)))
    return text


def _filters(
    relations: Iterable[RelationKind | str] | None,
    as_of: str | None,
    via_kinds: Iterable[EntityKind | str] | None,
    avoid_kinds: Iterable[EntityKind | str] | None,
) -> tuple[list[RelationKind], dict[str, Any]]:
    """Relation kinds and parameters, validated as the embedded store's ``View`` validates them."""
    kinds = relation_kinds(relation_mask(relations))
    lo, hi = as_of_bounds(as_of) if as_of else (None, None)
    through = {kind_code(k) for k in via_kinds} if via_kinds else set(range(len(EntityKind)))
    through -= {kind_code(k) for k in avoid_kinds or ()}
    allowed = [k.value for i, k in enumerate(EntityKind) if i in through]
    return kinds, {"lo": lo, "hi": hi, "through": allowed, "unknown": via_kinds is None}


def _labels(kg: Any, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for eid in ids:
        if eid not in out:
            e = kg.entity(eid)
            out[eid] = (e.label, e.kind.value) if e else (eid, "")
    return out


def _relation(row: Any) -> Relation:
    return Relation(
        subject=row["s"],
        kind=TYPE_KIND[row["type"]],
        object=row["o"],
        provenance=Provenance(
            source=row["source"] or row["graph"],
            loader=row["loader"] or "",
            locator=row["locator"],
            quote=row["quote"],
            confidence=float(row["confidence"] if row["confidence"] is not None else 1.0),
            status="extracted" if row["status"] == "extracted" else "curated",
        ),
        start=row["start"],
        end=row["end"],
        role=row["role"],
    )


# ---- paths ---------------------------------------------------------------------------------


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
    """``queries.paths.shortest_paths`` on the server: ``SHORTEST k`` (a bidirectional search)
    finds the shortest paths; the simple ones (no entity twice) are ranked by length, then ids.

    Same lengths and the same paths as the embedded store, except that among paths of the
    longest length returned a different tie may be chosen.
    """
    kinds, params = _filters(relations, as_of, via_kinds, avoid_kinds)
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
        rows = kg.run_read(_query("all_paths", kinds, max_hops), **base, cap=MAX_ALL_PATHS)
        routes = [list(r["ids"]) for r in rows]
        found.truncated = len(routes) >= MAX_ALL_PATHS
    else:
        asked = k
        while True:
            rows = kg.run_read(_query("shortest_paths", kinds, max_hops, asked), **base)
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
    kg: Any, routes: list[list[str]], kinds: list[RelationKind], as_of: str | None
) -> list[Path]:
    pairs = sorted({tuple(sorted(pair)) for route in routes for pair in zip(route, route[1:], strict=False)})
    by_pair: dict[tuple[str, str], list[Relation]] = {}
    bounds = as_of_bounds(as_of) if as_of else None
    for start in range(0, len(pairs), 1000):
        for row in kg.run_read(
            _query("hop_evidence", kinds), pairs=[list(p) for p in pairs[start : start + 1000]]
        ):
            r = _relation(row)
            if bounds is None or holds_during(r, bounds):
                by_pair.setdefault(_pair(r.subject, r.object), []).append(r)
    paths = []
    for route in routes:
        hops = []
        for a, b in zip(route, route[1:], strict=False):
            here = a
            rels = sorted(by_pair.get(_pair(a, b), []), key=lambda r: _rank(r, here))
            if not rels:
                hops.append(Hop(a, b, "", "", None, None, None, []))
                continue
            best = rels[0]
            hops.append(
                Hop(
                    source=a,
                    target=b,
                    relation=best.kind.value,
                    direction="out" if best.subject == a else "in",
                    start=best.start,
                    end=best.end,
                    role=best.role,
                    evidence=[_evidence(r, a) for r in rels],
                )
            )
        paths.append(Path(route, hops, len(hops)))
    return paths


# ---- structure -----------------------------------------------------------------------------


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
    """``queries.structure.neighbours`` on the server: one breadth-first step per query.

    Within a level entities come by id, and when ``limit`` cuts a level the first by id are
    kept, as on the embedded store; ``left_out`` counts at least one more than were kept then.
    """
    rel_kinds, params = _filters(relations, as_of, kinds, None)
    start = resolve(kg, entity)
    distance = {start: 0}
    frontier = [start]
    truncated, left_out = False, 0
    for d in range(1, hops + 1):
        room = limit - len(distance)
        rows = kg.run_read(
            _query("neighbours_step", rel_kinds),
            **params,
            frontier=frontier,
            seen=list(distance),
            room=max(room, 0),
        )
        found = [r["id"] for r in rows]
        for w in found[: max(room, 0)]:
            distance[w] = d
        if len(found) > room:
            truncated, left_out = True, len(found) - max(room, 0)
            break
        frontier = found
        if not frontier:
            break
    labels = _labels(kg, distance)
    nodes = [
        {"id": n, "label": labels[n][0], "kind": labels[n][1], "distance": d} for n, d in distance.items()
    ]
    edges = sorted(_edges_among(kg, list(distance), rel_kinds, as_of), key=_edge_order)
    return Neighbourhood(nodes, edges, truncated, left_out)


def _edges_among(
    kg: Any, ids: list[str], kinds: list[RelationKind], as_of: str | None
) -> list[dict[str, Any]]:
    """One edge per relation kind and direction between kept entities whose tie passes the filters."""
    rows = kg.run_read(_query("edges_among", kinds), ids=ids)
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


def centrality(kg: Any, measure: str = "degree", top: int = 20) -> Ranking:
    """``queries.structure.centrality`` on the server, for ``degree`` (distinct entities tied).

    The degree store gives every node's relationship count; distinct neighbours are counted
    only for nodes whose count can reach the ``top``-th best. Betweenness and PageRank are not
    supported on Neo4j (see the module docstring).
    """
    if measure not in MEASURES:
        raise ClimateKGError(f"unknown measure {measure!r} (one of {', '.join(MEASURES)})")
    if measure != "degree":
        raise ClimateKGError(_UNSUPPORTED.format(what=f"centrality measure {measure!r}"))
    # The nodes with most relationships (degree store, no traversal) bound the answer from
    # below: the top-th distinct degree among them is a floor no node under it can reach.
    probe = kg.run_read(
        "MATCH (e:Entity) WITH e, COUNT { (e)-[:" + "|".join(REL_TYPE.values()) + "]-() } AS rels "
        "RETURN e.id AS id ORDER BY rels DESC, id LIMIT $top",
        top=max(top, 0),
    )
    degrees = sorted((d for _, d in _degrees(kg, [r["id"] for r in probe])), reverse=True)
    floor = degrees[top - 1] if top > 0 and len(degrees) >= top else 0
    rows = kg.run_read(_query("degree_centrality"), floor=floor, top=max(top, 0))
    ranked = [(r["id"], r["degree"]) for r in rows]
    labels = _labels(kg, (eid for eid, _ in ranked))
    ranking = Ranking(
        Central(eid, labels[eid][0], labels[eid][1], score=float(degree), degree=int(degree))
        for eid, degree in ranked
    )
    ranking.measure, ranking.method = measure, "exact"
    return ranking


def _degrees(kg: Any, ids: list[str]) -> list[tuple[str, int]]:
    rows = kg.run_read(
        "UNWIND $ids AS id MATCH (e:Entity {id: id}) "
        "CALL (e) { MATCH (e)-[:" + "|".join(REL_TYPE.values()) + "]-(w) WHERE w <> e "
        "RETURN count(DISTINCT w) AS degree } RETURN id, degree",
        ids=ids,
    )
    return [(r["id"], r["degree"]) for r in rows]


def communities(kg: Any, *, top: int | None = None, members: int = 10, seed: int = 0) -> Any:
    """Not supported on Neo4j: Louvain needs the whole graph (see the module docstring)."""
    raise ClimateKGError(_UNSUPPORTED.format(what="communities (Louvain)"))


def brokers(kg: Any, *, top: int = 20) -> Any:
    """Not supported on Neo4j: betweenness, articulation points and bridges need the whole graph."""
    raise ClimateKGError(_UNSUPPORTED.format(what="brokers (betweenness, bridges)"))


# ---- gaps ----------------------------------------------------------------------------------


def _contexts(kg: Any, ids: Iterable[str]) -> dict[str, set[str]]:
    wanted = sorted(set(ids))
    out: dict[str, set[str]] = {}
    for start in range(0, len(wanted), 1000):
        for r in kg.run_read(_query("context_sizes"), ids=wanted[start : start + 1000]):
            out[r["id"]] = set(r["context"])
    return out


def _members(kg: Any, group: str) -> list[tuple[str, str]]:
    return [(r["id"], r["kind"]) for r in kg.run_read(cypher("members"), group=group)]


def suggest_partners(
    kg: Any, *, for_entity: str | None = None, within: str | None = None, top: int = 20
) -> Suggestions:
    """``queries.gaps.suggest_partners`` on the server: Adamic-Adar aggregated in Cypher.

    On Neo4j one side must be named (``for_entity``) or a group given (``within``): comparing
    every pair of actors of the whole graph is left to the embedded store.
    """
    if not for_entity and not within:
        raise ClimateKGError(
            "on a Neo4j store, name one side (--for) or a group (--within): every pair of the whole graph "
            "is compared only on the embedded store"
        )
    scope = [m for m, _ in _members(kg, resolve(kg, within))] if within else None
    sources = [resolve(kg, for_entity)] if for_entity else list(scope or [])
    ranked: list[tuple[float, float, str, str, list[dict[str, Any]]]] = []
    hubs: set[str] = set()
    for a in sources:
        rows = kg.run_read(
            _query("suggest_partners"),
            a=a,
            scope=scope,
            after=None if for_entity else a,
            hub_limit=HUB_LIMIT,
            top=top,
        )
        for r in rows:
            hubs.update(r["hub_ids"])
            ranked.append((r["adamic_adar"], r["resource_allocation"], a, r["b"], list(r["shared"])))
    # rounding: sums taken in another order may differ in the last bits; equal scores tie on ids
    ranked.sort(key=lambda e: (-round(e[0], 9), -round(e[1], 9), e[2], e[3]))
    ranked = ranked[:top]
    notes = []
    if hubs:
        names = ", ".join(sorted(hubs)[:5])
        notes.append(
            f"{len(hubs)} items held by more than {HUB_LIMIT:,} actors ({names}{', …' if len(hubs) > 5 else ''}) "
            "were not used to find candidates; they still count in the scores"
        )
    pairs = sorted({(n, item["id"]) for aa, ra, a, b, shared in ranked for n in (a, b) for item in shared})
    vias: dict[tuple[str, str], list[str]] = {}
    for start in range(0, len(pairs), 1000):
        for r in kg.run_read(_query("vias"), pairs=[list(p) for p in pairs[start : start + 1000]]):
            vias[(r["n"], r["z"])] = (["direct"] if r["direct"] else []) + sorted(set(r["agreements"]))
    ids = {x for aa, ra, a, b, shared in ranked for x in (a, b, *(i["id"] for i in shared))}
    labels = _labels(kg, sorted(ids))
    out = []
    for aa, ra, a, b, shared in ranked:
        items = sorted(shared, key=lambda i: (-1 / math.log(i["degree"]), i["id"]))
        out.append(
            PartnerSuggestion(
                a,
                labels[a][0],
                b,
                labels[b][0],
                aa,
                ra,
                [
                    SharedItem(
                        i["id"],
                        labels[i["id"]][0],
                        labels[i["id"]][1],
                        int(i["degree"]),
                        vias.get((a, i["id"]), []),
                        vias.get((b, i["id"]), []),
                    )
                    for i in items
                ],
            )
        )
    return Suggestions(out, notes)


def coverage(kg: Any, initiative: str) -> Coverage:
    """``queries.gaps.coverage`` on the server (queries/coverage.cypher and providers.cypher)."""
    group = resolve(kg, initiative)
    cities = [m for m, kind in _members(kg, group) if kind == EntityKind.CITY.value]
    covered: dict[str, dict[str, list[str]]] = {c: {} for c in cities}
    for r in kg.run_read(cypher("coverage"), cities=cities):
        covered[r["city"]].setdefault(r["technology"], []).append(r["how"])
    techs = sorted({t for row in covered.values() for t in row})
    gaps: list[dict[str, Any]] = [
        {"city": c, "technology": t, "peers": [p for p in cities if t in covered[p]]}
        for c in cities
        for t in techs
        if t not in covered[c]
    ]
    providers: list[dict[str, Any]] = []
    for r in kg.run_read(_query("providers"), technologies=techs):
        offered = sorted(r["offered"])
        lacking = sorted({c for c in cities for t in offered if t not in covered[c]})
        providers.append({"provider": r["provider"], "technologies": offered, "cities_lacking": lacking})
    labels = _labels(kg, [group, *cities, *techs, *(p["provider"] for p in providers)])
    for row in gaps:
        row["city_label"], row["technology_label"] = labels[row["city"]][0], labels[row["technology"]][0]
    for row in providers:
        row["provider_label"] = labels[row["provider"]][0]
    return Coverage(
        initiative=group,
        initiative_label=labels[group][0],
        cities=[{"id": c, "label": labels[c][0]} for c in cities],
        technologies=[{"id": t, "label": labels[t][0]} for t in techs],
        matrix={c: {t: sorted(how) for t, how in sorted(covered[c].items())} for c in cities},
        gaps=gaps,
        providers=providers,
    )


def cohort_gaps(
    kg: Any, initiative: str, *, role: str | None = None, top: int | None = None
) -> list[CohortGap]:
    """``queries.gaps.cohort_gaps`` on the server: members' contexts and item degrees come from
    Cypher (context_sizes.cypher); pairs are formed from the members' contexts, never the graph."""
    group = resolve(kg, initiative)
    actors = {k.value for k in ACTOR_KINDS}
    kinds = {m: kind for m, kind in _members(kg, group)}
    roles: dict[str, list[str]] = {}
    for r in kg.relations(group):
        if r.kind == RelationKind.MEMBER_OF and r.object == group and kinds.get(r.subject) in actors:
            roles.setdefault(r.subject, [])
            if r.role and r.role not in roles[r.subject]:
                roles[r.subject].append(r.role)
    if role:
        wanted = normalise_name(role)
        roles = {m: rs for m, rs in roles.items() if any(normalise_name(x) == wanted for x in rs)}
    members = sorted(roles)
    ctx = _contexts(kg, members)
    rows = []
    shared_items: set[str] = set()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if b in ctx.get(a, set()):
                continue
            shared = sorted((ctx.get(a, set()) & ctx.get(b, set())) - {group})
            shared_items.update(shared)
            rows.append((a, b, shared))
    sizes = {z: len(c) for z, c in _contexts(kg, shared_items).items()}
    scored = [(a, b, shared, sum(1 / math.log(sizes[z]) for z in shared)) for a, b, shared in rows]
    scored.sort(key=lambda r: (-round(r[3], 9), r[0], r[1]))
    scored = scored[:top] if top is not None else scored
    labels = _labels(kg, [n for a, b, _, _ in scored for n in (a, b)])
    return [
        CohortGap(a, labels[a][0], b, labels[b][0], sorted(roles[a]), sorted(roles[b]), shared, aa)
        for a, b, shared, aa in scored
    ]
