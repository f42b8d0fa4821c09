"""Technology coverage on the projection: an initiative's member cities × the technologies they cover."""

from __future__ import annotations

from collections import Counter
from typing import Any

from climatekg.graph.projection import KINDS, Projection, projection
from climatekg.graph.store import Store
from climatekg.queries.coverage_notes import coverage_notes
from climatekg.queries.labels import labels
from climatekg.queries.projection_engine.context import (
    CITY,
    CONCERNS,
    DEMONSTRATES,
    MEMBER_OF,
    ORGANISATION,
    PARTY_TO,
    PROVIDES,
    TECHNOLOGY,
    Context,
    members_of,
)
from climatekg.queries.resolve import resolve
from climatekg.queries.results import Coverage


def coverage(kg: Store, initiative: str) -> Coverage:
    """``queries.gaps.coverage`` on the projection."""
    proj = projection(kg)
    group = proj.index_of(resolve(kg, initiative))
    members = members_of(proj, group)
    cities = sorted((c for c in members if proj.kinds[c] == CITY), key=lambda c: proj.ids[c])
    left_out = Counter(KINDS[proj.kinds[m]].value for m in members if proj.kinds[m] != CITY)
    covered = {c: _technologies_of(proj, c) for c in cities}
    techs = sorted({t for row in covered.values() for t in row}, key=lambda t: proj.ids[t])
    ids = proj.ids
    gaps: list[dict[str, Any]] = []
    for c in cities:
        for t in techs:
            if t not in covered[c]:
                peers = [ids[p] for p in cities if t in covered[p]]
                gaps.append({"city": ids[c], "technology": ids[t], "peers": peers})
    ctx = Context(proj)
    providers: list[dict[str, Any]] = []
    for org, offered in sorted(_providers(proj, set(techs)).items(), key=lambda kv: ids[kv[0]]):
        if not any(proj.kinds[x] == CITY for x in ctx.of(org)):
            lacking = sorted({ids[c] for c in cities for t in offered if t not in covered[c]})
            providers.append(
                {
                    "provider": ids[org],
                    "technologies": sorted(ids[t] for t in offered),
                    "cities_lacking": lacking,
                }
            )
    named = labels(
        kg,
        [
            ids[group],
            *(ids[c] for c in cities),
            *(ids[t] for t in techs),
            *(p["provider"] for p in providers),
        ],
    )
    for row in gaps:
        row["city_label"], row["technology_label"] = named[row["city"]][0], named[row["technology"]][0]
    for row in providers:
        row["provider_label"] = named[row["provider"]][0]
    cov = Coverage(
        initiative=ids[group],
        initiative_label=named[ids[group]][0],
        cities=[{"id": ids[c], "label": named[ids[c]][0]} for c in cities],
        technologies=[{"id": ids[t], "label": named[ids[t]][0]} for t in techs],
        matrix={
            ids[c]: {ids[t]: how for t, how in sorted(covered[c].items(), key=lambda kv: ids[kv[0]])}
            for c in cities
        },
        gaps=gaps,
        providers=providers,
        left_out=dict(sorted(left_out.items())),
    )
    cov.notes = coverage_notes(kg, cov)
    return cov


def _technologies_of(proj: Projection, city: int) -> dict[int, list[str]]:
    """Technologies a city covers, each with how (demonstrates / party to … / member of …)."""
    out: dict[int, list[str]] = {}
    for pos in proj.positions(city):
        w, bits = proj.indices[pos], proj.out_bits[pos]
        if proj.kinds[w] == TECHNOLOGY and bits & DEMONSTRATES:
            out.setdefault(w, []).append("demonstrates")
        for link, words in ((PARTY_TO, "party to"), (MEMBER_OF, "member of")):
            if bits & link:
                for cpos in proj.positions(w):
                    t = proj.indices[cpos]
                    if proj.kinds[t] == TECHNOLOGY and proj.out_bits[cpos] & CONCERNS:
                        out.setdefault(t, []).append(f"{words} {proj.ids[w]}")
    return out


def _providers(proj: Projection, techs: set[int]) -> dict[int, set[int]]:
    """Organisations that provide any of ``techs``, with what they provide."""
    out: dict[int, set[int]] = {}
    for t in techs:
        for pos in proj.positions(t):
            org = proj.indices[pos]
            if proj.kinds[org] == ORGANISATION and proj.in_bits[pos] & PROVIDES:
                out.setdefault(org, set()).add(t)
    return out
