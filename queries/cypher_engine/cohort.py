"""Cohort gaps on Neo4j: members' contexts and item degrees from Cypher, top pairs scored here.

The contexts come from the server (context_sizes.cypher), one row per member and per shared
item, never the graph; the pairs are scored in the same bounded sparse blocks as the embedded
store (``pair_scores.top_pairs``), so both give the same top N and neither holds all pairs.
"""

from __future__ import annotations

import numpy as np

from climatekg.graph.model import ACTOR_KINDS
from climatekg.graph.store import Store
from climatekg.queries.cypher_engine.statements import contexts, members, on_neo4j
from climatekg.queries.labels import labels
from climatekg.queries.membership import member_roles
from climatekg.queries.pair_scores import PairInput, Progress, cohort_pairs
from climatekg.queries.resolve import resolve
from climatekg.queries.results import CohortGap


def cohort_gaps(
    store: Store,
    initiative: str,
    *,
    role: str | None = None,
    top: int | None = None,
    progress: Progress | None = None,
) -> list[CohortGap]:
    """``queries.gaps.cohort_gaps`` on the server's contexts, scored in bounded blocks."""
    kg = on_neo4j(store)
    group = resolve(kg, initiative)
    actors = {k.value for k in ACTOR_KINDS}
    kinds = {m: kind for m, kind in members(kg, group)}
    roles = member_roles(kg, group, lambda m: kinds.get(m) in actors, role)
    cohort = sorted(roles)
    ctx = contexts(kg, cohort)
    local = {m: i for i, m in enumerate(cohort)}
    item_index: dict[str, int] = {}
    items = [
        [item_index.setdefault(z, len(item_index)) for z in sorted(ctx.get(m, set()) - {group})]
        for m in cohort
    ]
    sizes = {z: len(c) for z, c in contexts(kg, item_index).items()}
    data = PairInput(
        items,
        [{local[c] for c in ctx.get(m, set()) if c in local} for m in cohort],
        np.array([sizes.get(z, 0) for z in item_index], dtype=np.int64),
        np.array([len(ctx.get(m, set())) for m in cohort], dtype=np.int64),
    )
    rows = [(cohort[i], cohort[j], aa) for i, j, aa in cohort_pairs(data, top, progress)]
    named = labels(kg, [n for a, b, _ in rows for n in (a, b)])
    return [
        CohortGap(
            a,
            named[a][0],
            b,
            named[b][0],
            sorted(roles[a]),
            sorted(roles[b]),
            sorted((ctx.get(a, set()) & ctx.get(b, set())) - {group}),
            aa,
        )
        for a, b, aa in rows
    ]
