"""Cohort gaps on Neo4j: the top pairs ranked and cut on the server (cohort_top.cypher).

The client reads the members' contexts and their items' sizes (one row per member and per
item, never per pair) and indexes which members hold each item, then asks the server, a chunk of
members at a time, for the best ``top`` pairs of those members with the members after them; each
chunk's answer is at most ``top`` rows and the running best ``top`` is kept here. The ranking is the embedded store's
(``pair_scores.top_pairs``: Adamic-Adar, resource allocation, preferential attachment, ids),
so both give the same top N.
"""

from __future__ import annotations

from typing import Any

from climatekg.graph.model import ACTOR_KINDS
from climatekg.graph.store import Store
from climatekg.queries.cypher_engine.statements import contexts, members, on_neo4j, statement
from climatekg.queries.labels import labels
from climatekg.queries.membership import member_roles
from climatekg.queries.pair_scores import Progress
from climatekg.queries.resolve import resolve
from climatekg.queries.results import CohortGap

#: Members whose pairs one query ranks (the query holds at most their pairs with later members).
CHUNK = 200


def cohort_gaps(
    store: Store,
    initiative: str,
    *,
    role: str | None = None,
    top: int | None = None,
    progress: Progress | None = None,
) -> list[CohortGap]:
    """``queries.gaps.cohort_gaps`` ranked in Cypher, ``CHUNK`` members per query."""
    kg = on_neo4j(store)
    group = resolve(kg, initiative)
    actors = {k.value for k in ACTOR_KINDS}
    kinds = {m: kind for m, kind in members(kg, group)}
    roles = member_roles(kg, group, lambda m: kinds.get(m) in actors, role)
    cohort = sorted(roles)
    n = len(cohort)
    limit = top if top is not None else n * (n - 1) // 2
    ctx = contexts(kg, cohort)
    items = {z for m in cohort for z in ctx.get(m, set())} - {group}
    degrees = {z: len(c) for z, c in contexts(kg, items).items()}
    sizes = {m: len(ctx.get(m, set())) for m in cohort}
    holders: dict[str, list[str]] = {}
    for m in cohort:
        for z in ctx.get(m, set()) - {group}:
            holders.setdefault(z, []).append(m)
    params = {
        "members": cohort,
        "group": group,
        "degrees": degrees,
        "sizes": sizes,
        "holders": {z: ms for z, ms in holders.items() if len(ms) > 1},
        "top": limit,
    }
    # pairs sharing nothing rank last: looked for (a second pass) only when too few share something
    best = _ranked(kg, params, n, zeros=False, progress=progress)
    if len(best) < limit:
        best = _ranked(kg, params, n, zeros=True, progress=progress)
    named = labels(kg, [x for r in best for x in (r["a"], r["b"])])
    return [
        CohortGap(
            r["a"],
            named[r["a"]][0],
            r["b"],
            named[r["b"]][0],
            sorted(roles[r["a"]]),
            sorted(roles[r["b"]]),
            sorted((ctx.get(r["a"], set()) & ctx.get(r["b"], set())) - {group}),
            float(r["aa"]),
        )
        for r in best
    ]


def _ranked(kg: Any, params: dict[str, Any], n: int, *, zeros: bool, progress: Progress | None) -> list[Any]:
    """The best ``top`` rows over every chunk of ``CHUNK`` members (each chunk cut in Cypher)."""
    best: list[Any] = []
    for first in range(0, n if params["top"] > 0 else 0, CHUNK):
        last = min(n, first + CHUNK) - 1
        rows = kg.run_read(statement("cohort_top"), **params, first=first, last=last, zeros=zeros)
        best = sorted([*best, *rows], key=lambda r: (-r["aa"], -r["ra"], -r["pa"], r["a"], r["b"]))
        best = best[: params["top"]]
        if progress:
            progress(last + 1, n)
    return best
