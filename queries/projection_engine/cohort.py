"""Cohort gaps on the projection: members of one initiative without a bilateral tie.

Scored in sparse row blocks (``pair_scores.top_pairs``), so ``top`` bounds memory and work.
"""

from __future__ import annotations

import numpy as np

from climatekg.graph.projection import projection
from climatekg.graph.store import Store
from climatekg.queries.labels import labels
from climatekg.queries.membership import member_roles
from climatekg.queries.pair_scores import PairInput, Progress, cohort_pairs
from climatekg.queries.projection_engine.context import ACTORS, Context
from climatekg.queries.resolve import resolve
from climatekg.queries.results import CohortGap


def cohort_gaps(
    kg: Store,
    initiative: str,
    *,
    role: str | None = None,
    top: int | None = None,
    progress: Progress | None = None,
) -> list[CohortGap]:
    """``queries.gaps.cohort_gaps`` on the projection."""
    proj = projection(kg)
    group_id = resolve(kg, initiative)
    group = proj.index_of(group_id)
    roles = member_roles(kg, group_id, lambda m: proj.kinds[proj.index_of(m)] in ACTORS, role)
    ctx = Context(proj)
    members = [proj.index_of(m) for m in sorted(roles)]
    local = {n: i for i, n in enumerate(members)}
    item_index: dict[int, int] = {}
    data = PairInput(
        [[item_index.setdefault(z, len(item_index)) for z in ctx.of(n) if z != group] for n in members],
        [{local[c] for c in ctx.of(n) if c in local} for n in members],
        np.array([len(ctx.of(z)) for z in item_index], dtype=np.int64),
        np.array([len(ctx.of(n)) for n in members], dtype=np.int64),
    )
    rows = [(members[i], members[j], aa) for i, j, aa in cohort_pairs(data, top, progress)]
    named = labels(kg, [proj.ids[n] for a, b, _ in rows for n in (a, b)])
    return [
        CohortGap(
            proj.ids[a],
            named[proj.ids[a]][0],
            proj.ids[b],
            named[proj.ids[b]][0],
            sorted(roles[proj.ids[a]]),
            sorted(roles[proj.ids[b]]),
            sorted(proj.ids[z] for z in set(ctx.of(a)) & set(ctx.of(b)) - {group}),
            aa,
        )
        for a, b, aa in rows
    ]
