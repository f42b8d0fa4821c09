"""Cohort gaps on Neo4j: members' contexts and item degrees from Cypher, pairs formed here."""

from __future__ import annotations

import math

from climatekg.graph.model import ACTOR_KINDS
from climatekg.graph.store import Store
from climatekg.queries.cypher_engine.statements import contexts, members, on_neo4j
from climatekg.queries.labels import labels
from climatekg.queries.membership import member_roles
from climatekg.queries.resolve import resolve
from climatekg.queries.results import CohortGap


def cohort_gaps(
    store: Store, initiative: str, *, role: str | None = None, top: int | None = None
) -> list[CohortGap]:
    """``queries.gaps.cohort_gaps`` on the server: members' contexts and item degrees come from
    Cypher (context_sizes.cypher); pairs are formed from the members' contexts, never the graph."""
    kg = on_neo4j(store)
    group = resolve(kg, initiative)
    actors = {k.value for k in ACTOR_KINDS}
    kinds = {m: kind for m, kind in members(kg, group)}
    roles = member_roles(kg, group, lambda m: kinds.get(m) in actors, role)
    cohort = sorted(roles)
    ctx = contexts(kg, cohort)
    rows = []
    shared_items: set[str] = set()
    for i, a in enumerate(cohort):
        for b in cohort[i + 1 :]:
            if b in ctx.get(a, set()):
                continue
            shared = sorted((ctx.get(a, set()) & ctx.get(b, set())) - {group})
            shared_items.update(shared)
            rows.append((a, b, shared))
    sizes = {z: len(c) for z, c in contexts(kg, shared_items).items()}
    scored = [(a, b, shared, sum(1 / math.log(sizes[z]) for z in shared)) for a, b, shared in rows]
    scored.sort(key=lambda r: (-round(r[3], 9), r[0], r[1]))
    scored = scored[:top] if top is not None else scored
    named = labels(kg, [n for a, b, _, _ in scored for n in (a, b)])
    return [
        CohortGap(a, named[a][0], b, named[b][0], sorted(roles[a]), sorted(roles[b]), shared, aa)
        for a, b, shared, aa in scored
    ]
