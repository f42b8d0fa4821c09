"""Suggested partners on the projection: unpaired actors ranked by the context they share.

Ranked by Adamic-Adar (the score) and resource allocation over the shared context (see
``context.py``); candidates come from the items an actor holds, except items held by more than
``limits.HUB_LIMIT`` actors, which still count in the scores.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.projection import projection
from climatekg.graph.store import Store
from climatekg.queries import limits
from climatekg.queries.labels import labels
from climatekg.queries.projection_engine.context import ACTORS, Context, members_of
from climatekg.queries.resolve import resolve
from climatekg.queries.results import PartnerSuggestion, SharedItem, Suggestions


def suggest_partners(
    kg: Store, *, for_entity: str | None = None, within: str | None = None, top: int = 20
) -> Suggestions:
    """``queries.gaps.suggest_partners`` on the projection (every pair in scope without ``for_entity``)."""
    if top < 1:
        return Suggestions()
    proj = projection(kg)
    ctx = Context(proj)
    scope = members_of(proj, proj.index_of(resolve(kg, within))) if within else None
    notes: list[str] = []
    if for_entity:
        sources = [proj.index_of(resolve(kg, for_entity))]
    else:
        sources = (
            sorted(scope) if scope is not None else [n for n in range(len(proj)) if proj.kinds[n] in ACTORS]
        )
        if len(sources) > limits.GLOBAL_LIMIT:
            raise ClimateKGError(
                f"{len(sources):,} actors are too many to compare every pair: name one with --for or an initiative with --within"
            )
    best: list[tuple[float, float, tuple[int, ...], tuple[int, ...], int, int, list[int]]] = []
    hubs: set[int] = set()
    for a in sources:
        for c, items in _candidates(ctx, a, scope, hubs, pairwise=not for_entity):
            aa = sum(1 / math.log(len(ctx.of(z))) for z in items)
            ra = sum(1 / len(ctx.of(z)) for z in items)
            if len(best) >= top and (aa, ra) < best[0][:2]:
                continue  # cannot enter the top; skip building its tie-break key
            entry = (aa, ra, _neg(proj.ids[a]), _neg(proj.ids[c]), a, c, items)
            if len(best) < top:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)
    if hubs:
        notes.append(limits.hub_note([proj.ids[z] for z in hubs]))
    ranked = sorted(best, reverse=True)
    pairs = [(e[4], e[5]) if for_entity or proj.ids[e[4]] < proj.ids[e[5]] else (e[5], e[4]) for e in ranked]
    return Suggestions(
        [_suggestion(kg, ctx, a, b, e[0], e[1], e[6]) for (a, b), e in zip(pairs, ranked, strict=True)], notes
    )


def _neg(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so ties in score rank by id ascending under max-heaps."""
    return (*(-ord(ch) for ch in text), 1)  # the end mark sorts a prefix before its extensions


def _candidates(
    ctx: Context, a: int, scope: set[int] | None, hubs: set[int], *, pairwise: bool
) -> Iterable[tuple[int, list[int]]]:
    """Actors that share context with ``a`` but are not tied to it, with the shared items."""
    proj = ctx.proj
    mine = ctx.of(a)
    found: dict[int, list[int]] = {}
    skipped = []
    for z in mine:
        holders = ctx.of(z)
        if len(holders) > limits.HUB_LIMIT:
            skipped.append(z)
            continue
        for c in holders:
            if c == a or c in mine or proj.kinds[c] not in ACTORS:
                continue
            if (scope is not None and c not in scope) or (pairwise and c < a):
                continue
            found.setdefault(c, []).append(z)
    hubs.update(skipped)
    for z in skipped:  # a hub item still counts for the candidates that hold it (context is symmetric)
        holders = ctx.of(z)
        if len(holders) < len(found):
            for c in holders:
                if c in found:
                    found[c].append(z)
        else:
            for c, items in found.items():
                if c in holders:
                    items.append(z)
    yield from found.items()


def _suggestion(
    kg: Store, ctx: Context, a: int, b: int, aa: float, ra: float, items: list[int]
) -> PartnerSuggestion:
    proj = ctx.proj
    named = labels(kg, [proj.ids[n] for n in (a, b, *items)])
    shared = [
        SharedItem(
            proj.ids[z],
            named[proj.ids[z]][0],
            named[proj.ids[z]][1],
            len(ctx.of(z)),
            ctx.vias(a, z),
            ctx.vias(b, z),
        )
        for z in sorted(items, key=lambda z: (-1 / math.log(len(ctx.of(z))), proj.ids[z]))
    ]
    return PartnerSuggestion(
        proj.ids[a], named[proj.ids[a]][0], proj.ids[b], named[proj.ids[b]][0], aa, ra, shared
    )
