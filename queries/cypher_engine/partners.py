"""Suggested partners on Neo4j: Adamic-Adar aggregated in Cypher (suggest_partners.cypher)."""

from __future__ import annotations

import math
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.queries import limits
from climatekg.queries.cypher_engine.statements import members, on_neo4j, statement
from climatekg.queries.labels import labels
from climatekg.queries.resolve import resolve
from climatekg.queries.results import PartnerSuggestion, SharedItem, Suggestions


def suggest_partners(
    store: Store, *, for_entity: str | None = None, within: str | None = None, top: int = 20
) -> Suggestions:
    """``queries.gaps.suggest_partners`` on the server: Adamic-Adar aggregated in Cypher.

    On Neo4j one side must be named (``for_entity``) or a group given (``within``): comparing
    every pair of actors of the whole graph is left to the embedded store.
    """
    kg = on_neo4j(store)
    if not for_entity and not within:
        raise ClimateKGError(
            "on a Neo4j store, name one side (--for) or a group (--within): every pair of the whole graph "
            "is compared only on the embedded store"
        )
    scope = [m for m, _ in members(kg, resolve(kg, within))] if within else None
    sources = [resolve(kg, for_entity)] if for_entity else list(scope or [])
    ranked: list[tuple[float, float, str, str, list[dict[str, Any]]]] = []
    hubs: set[str] = set()
    for a in sources:
        rows = kg.run_read(
            statement("suggest_partners"),
            a=a,
            scope=scope,
            after=None if for_entity else a,
            hub_limit=limits.HUB_LIMIT,
            top=top,
        )
        for r in rows:
            hubs.update(r["hub_ids"])
            ranked.append((r["adamic_adar"], r["resource_allocation"], a, r["b"], list(r["shared"])))
    # rounding: sums taken in another order may differ in the last bits; equal scores tie on ids
    ranked.sort(key=lambda e: (-round(e[0], 9), -round(e[1], 9), e[2], e[3]))
    ranked = ranked[:top]
    notes = [limits.hub_note(hubs)] if hubs else []
    vias = _vias(
        kg, sorted({(n, item["id"]) for _, _, a, b, shared in ranked for n in (a, b) for item in shared})
    )
    named = labels(
        kg, sorted({x for _, _, a, b, shared in ranked for x in (a, b, *(i["id"] for i in shared))})
    )
    out = []
    for aa, ra, a, b, shared in ranked:
        items = sorted(shared, key=lambda i: (-1 / math.log(i["degree"]), i["id"]))
        out.append(
            PartnerSuggestion(
                a,
                named[a][0],
                b,
                named[b][0],
                aa,
                ra,
                [
                    SharedItem(
                        i["id"],
                        named[i["id"]][0],
                        named[i["id"]][1],
                        int(i["degree"]),
                        vias.get((a, i["id"]), []),
                        vias.get((b, i["id"]), []),
                    )
                    for i in items
                ],
            )
        )
    return Suggestions(out, notes)


def _vias(kg: Neo4jStore, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """How each actor holds each item: "direct" and/or the agreements it shares (vias.cypher)."""
    vias: dict[tuple[str, str], list[str]] = {}
    for start in range(0, len(pairs), 1000):
        for r in kg.run_read(statement("vias"), pairs=[list(p) for p in pairs[start : start + 1000]]):
            vias[(r["n"], r["z"])] = (["direct"] if r["direct"] else []) + sorted(set(r["agreements"]))
    return vias
