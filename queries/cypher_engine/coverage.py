"""Technology coverage on Neo4j (coverage.cypher and providers.cypher)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from climatekg.graph.model import EntityKind
from climatekg.graph.store import Store
from climatekg.queries.coverage_notes import coverage_notes
from climatekg.queries.cypher_engine.statements import cypher, members, on_neo4j, statement
from climatekg.queries.labels import labels
from climatekg.queries.resolve import resolve
from climatekg.queries.results import Coverage


def coverage(store: Store, initiative: str) -> Coverage:
    """``queries.gaps.coverage`` on the server (queries/coverage.cypher and providers.cypher)."""
    kg = on_neo4j(store)
    group = resolve(kg, initiative)
    everyone = members(kg, group)
    cities = [m for m, kind in everyone if kind == EntityKind.CITY.value]
    left_out = Counter(kind for _, kind in everyone if kind != EntityKind.CITY.value)
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
    for r in kg.run_read(statement("providers"), technologies=techs):
        offered = sorted(r["offered"])
        lacking = sorted({c for c in cities for t in offered if t not in covered[c]})
        providers.append({"provider": r["provider"], "technologies": offered, "cities_lacking": lacking})
    named = labels(kg, [group, *cities, *techs, *(p["provider"] for p in providers)])
    for row in gaps:
        row["city_label"], row["technology_label"] = named[row["city"]][0], named[row["technology"]][0]
    for row in providers:
        row["provider_label"] = named[row["provider"]][0]
    cov = Coverage(
        initiative=group,
        initiative_label=named[group][0],
        cities=[{"id": c, "label": named[c][0]} for c in cities],
        technologies=[{"id": t, "label": named[t][0]} for t in techs],
        matrix={c: {t: sorted(how) for t, how in sorted(covered[c].items())} for c in cities},
        gaps=gaps,
        providers=providers,
        left_out=dict(sorted(left_out.items())),
    )
    cov.notes = coverage_notes(kg, cov)
    return cov
