"""Suggested partners on Neo4j: Adamic-Adar aggregated in Cypher (suggest_partners.cypher), with
the shared country weighted as ``queries.country_signal`` learns it (country_signal.cypher)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.queries import limits, pairing
from climatekg.queries.country_signal import PREFIX, CountrySignal, learned_weight
from climatekg.queries.cypher_engine.statements import cypher, members, on_neo4j, statement
from climatekg.queries.labels import labels
from climatekg.queries.pair_scores import Progress
from climatekg.queries.resolve import resolve
from climatekg.queries.results import PartnerSuggestion, SharedItem, Suggestions


def suggest_partners(
    store: Store,
    *,
    for_entity: str | None = None,
    within: str | None = None,
    top: int = 20,
    pair: str | None = None,
    progress: Progress | None = None,
) -> Suggestions:
    """``queries.gaps.suggest_partners`` on the server: scored, ranked and cut to ``top`` in Cypher.

    On Neo4j one side must be named (``for_entity``) or a group given (``within``): comparing
    every pair of actors of the whole graph is left to the embedded store. With ``within`` each
    member's top is asked for and merged here; the tie counts add up exactly (a score in the
    merged top is in the top of every member that has it, or that member has ``top`` better).
    """
    kg = on_neo4j(store)
    if not for_entity and not within:
        raise ClimateKGError(
            "on a Neo4j store, name one side (--for) or a group (--within): every pair of the whole graph "
            "is compared only on the embedded store"
        )
    scope_kinds = dict(members(kg, resolve(kg, within))) if within else None
    if scope_kinds is not None:
        has_cities = pairing.CITY in scope_kinds.values()
    else:
        has_cities = bool(kg.run_read(cypher("has_kind"), kind=pairing.CITY)[0]["found"])
    if for_entity:
        a = resolve(kg, for_entity)
        kind = labels(kg, [a])[a][1]
        chosen = pairing.choose_pair(pair, for_kind=kind, has_cities=has_cities)
        tasks: list[tuple[str, list[str], str | None]] = [
            (a, sorted(pairing.partner_kinds(chosen, kind)), None)
        ]
    else:
        chosen = pairing.choose_pair(pair, for_kind=None, has_cities=has_cities)
        left, right, pairwise = pairing.sides(chosen)
        tasks = [
            (m, sorted(right), m if pairwise else None)
            for m, k in sorted((scope_kinds or {}).items())
            if k in left
        ]
    scope = sorted(scope_kinds) if scope_kinds is not None else None
    signal = country_signal(kg)
    ranked: list[tuple[float, float, int, str, str, list[dict[str, Any]]]] = []
    hubs: set[str] = set()
    ties: Counter[float] = Counter()
    candidates = 0
    for done, (a, kinds, after) in enumerate(tasks, 1):
        seen: dict[float, int] = {}
        count = 0
        for r in kg.run_read(
            statement("suggest_partners"),
            a=a,
            scope=scope,
            after=after,
            kinds=kinds,
            hub_limit=limits.HUB_LIMIT,
            top=top,
            country_weight=signal.weight,
            country_sizes=dict(signal.sizes),
        ):
            hubs.update(r["hub_ids"])
            seen[r["adamic_adar"]] = r["ties"]
            count = r["candidates"]
            ranked.append(
                (
                    r["adamic_adar"],
                    r["resource_allocation"],
                    r["preferential_attachment"],
                    a,
                    r["b"],
                    list(r["shared"]),
                )
            )
        ties.update(seen)
        candidates += count
        if progress:
            progress(done, len(tasks))
    ranked.sort(key=lambda e: (-e[0], -e[1], -e[2], e[3], e[4]))
    ranked = ranked[:top]
    notes = [limits.hub_note(hubs)] if hubs else []
    notes += signal.note()
    entities = [(a, b, [i for i in shared if not i["id"].startswith(PREFIX)]) for *_, a, b, shared in ranked]
    vias = _vias(
        kg, sorted({(n, item["id"]) for a, b, shared in entities for n in (a, b) for item in shared})
    )
    named = labels(kg, sorted({x for a, b, shared in entities for x in (a, b, *(i["id"] for i in shared))}))
    out = []
    for aa, ra, pa, a, b, shared in ranked:
        items = sorted(shared, key=lambda i: (i["degree"], i["id"]))
        out.append(
            PartnerSuggestion(
                a,
                named[a][0],
                b,
                named[b][0],
                aa,
                ra,
                [
                    signal.item(i["id"][len(PREFIX) :])
                    if i["id"].startswith(PREFIX)
                    else SharedItem(
                        i["id"],
                        named[i["id"]][0],
                        named[i["id"]][1],
                        int(i["degree"]),
                        vias.get((a, i["id"]), []),
                        vias.get((b, i["id"]), []),
                    )
                    for i in items
                ],
                int(pa),
                ties[aa],
            )
        )
    return Suggestions(out, notes, pair=chosen, tie_break=pairing.TIE_BREAK, candidates=candidates)


def country_signal(kg: Neo4jStore) -> CountrySignal:
    """Actors per country and the learned weight of a shared country (country_signal.cypher)."""
    rows = kg.run_read(statement("country_signal"))
    sizes = {r["country"]: int(r["actors"]) for r in rows}
    tied, same = (int(rows[0]["tied"]), int(rows[0]["same"])) if rows else (0, 0)
    return CountrySignal(sizes, learned_weight(sizes, tied, same), tied, same)


def _vias(kg: Neo4jStore, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """How each actor holds each item: "direct" and/or the agreements it shares (vias.cypher)."""
    vias: dict[tuple[str, str], list[str]] = {}
    for start in range(0, len(pairs), 1000):
        for r in kg.run_read(statement("vias"), pairs=[list(p) for p in pairs[start : start + 1000]]):
            vias[(r["n"], r["z"])] = (["direct"] if r["direct"] else []) + sorted(set(r["agreements"]))
    return vias
