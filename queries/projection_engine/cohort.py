"""Cohort gaps on the projection: members of one initiative without a bilateral tie."""

from __future__ import annotations

import math

from climatekg.graph.projection import projection
from climatekg.graph.store import Store
from climatekg.queries.labels import labels
from climatekg.queries.membership import member_roles
from climatekg.queries.projection_engine.context import ACTORS, Context
from climatekg.queries.resolve import resolve
from climatekg.queries.results import CohortGap


def cohort_gaps(
    kg: Store, initiative: str, *, role: str | None = None, top: int | None = None
) -> list[CohortGap]:
    """``queries.gaps.cohort_gaps`` on the projection."""
    proj = projection(kg)
    group_id = resolve(kg, initiative)
    group = proj.index_of(group_id)
    roles = member_roles(kg, group_id, lambda m: proj.kinds[proj.index_of(m)] in ACTORS, role)
    ctx = Context(proj)
    members = [proj.index_of(m) for m in sorted(roles)]
    rows = []
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if ctx.tied(a, b):
                continue
            shared = sorted(set(ctx.of(a)) & set(ctx.of(b)) - {group}, key=lambda z: proj.ids[z])
            aa = sum(1 / math.log(len(ctx.of(z))) for z in shared)
            rows.append((a, b, shared, aa))
    rows.sort(key=lambda r: (-r[3], proj.ids[r[0]], proj.ids[r[1]]))
    rows = rows[:top] if top is not None else rows
    named = labels(kg, [proj.ids[n] for a, b, _, _ in rows for n in (a, b)])
    return [
        CohortGap(
            proj.ids[a],
            named[proj.ids[a]][0],
            proj.ids[b],
            named[proj.ids[b]][0],
            sorted(roles[proj.ids[a]]),
            sorted(roles[proj.ids[b]]),
            [proj.ids[z] for z in shared],
            aa,
        )
        for a, b, shared, aa in rows
    ]
