"""Suggested partners on the projection: unpaired actors ranked by the context they share.

Ranked by Adamic-Adar (the score), then resource allocation and preferential attachment over
the shared context (see ``context.py`` and ``pairing.TIE_BREAK``) and a shared country, weighted
as ``queries.country_signal`` learns from the ties (``country.py``). For one named actor,
candidates come from the items it holds, except items held by more than ``limits.HUB_LIMIT``
actors, which still count in the scores; every pair in scope is scored in sparse row blocks
(``pair_scores.py``), never all pairs at once.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.projection import KINDS, projection
from climatekg.graph.store import Store
from climatekg.queries import limits, pairing
from climatekg.queries.country_signal import PREFIX, CountrySignal
from climatekg.queries.labels import labels
from climatekg.queries.pair_scores import DIGITS, PairInput, Progress, top_pairs
from climatekg.queries.projection_engine.context import Context, members_of
from climatekg.queries.projection_engine.country import country_signal
from climatekg.queries.resolve import resolve
from climatekg.queries.results import PartnerSuggestion, SharedItem, Suggestions

PARTNERS = frozenset(KINDS.index(pairing.EntityKind(k)) for k in pairing.PARTNER_KINDS)
COUNTRY = -1  # the shared country, among a candidate's shared items


def suggest_partners(
    kg: Store,
    *,
    for_entity: str | None = None,
    within: str | None = None,
    top: int = 20,
    pair: str | None = None,
    progress: Progress | None = None,
) -> Suggestions:
    """``queries.gaps.suggest_partners`` on the projection (every pair in scope without ``for_entity``)."""
    proj = projection(kg)
    ctx = Context(proj)
    scope = members_of(proj, proj.index_of(resolve(kg, within))) if within else None
    city = KINDS.index(pairing.EntityKind.CITY)
    has_cities = any(proj.kinds[n] == city for n in scope) if scope is not None else city in proj.kinds
    if for_entity:
        a = proj.index_of(resolve(kg, for_entity))
        kind = KINDS[proj.kinds[a]].value
        chosen = pairing.choose_pair(pair, for_kind=kind, has_cities=has_cities)
        codes = {KINDS.index(pairing.EntityKind(k)) for k in pairing.partner_kinds(chosen, kind)}

        def allowed(c: int) -> bool:
            return proj.kinds[c] in codes and (scope is None or c in scope)

        return _for_one(kg, ctx, a, allowed, top, chosen)
    chosen = pairing.choose_pair(pair, for_kind=None, has_cities=has_cities)
    pool = sorted(scope) if scope is not None else range(len(proj))
    kind_of = {n: KINDS[proj.kinds[n]].value for n in pool if proj.kinds[n] in PARTNERS}
    if len(kind_of) > limits.GLOBAL_LIMIT:
        raise ClimateKGError(
            f"{len(kind_of):,} actors are too many to compare every pair: name one with --for or an initiative with --within"
        )
    return _every_pair(kg, ctx, kind_of, chosen, top, progress)


def _for_one(
    kg: Store, ctx: Context, a: int, allowed: Callable[[int], bool], top: int, chosen: str
) -> Suggestions:
    """Candidates for one actor, from the items it holds (hub items only count in the scores)."""
    proj = ctx.proj
    if top < 1:
        return Suggestions(pair=chosen, tie_break=pairing.TIE_BREAK)
    best: list[tuple[float, float, int, tuple[int, ...], int, list[int]]] = []
    hubs: set[int] = set()
    ties: Counter[float] = Counter()
    found = 0
    signal, holders = country_signal(proj)
    country = proj.country_of(a)
    size = signal.size(country)
    mates = holders[proj.country[a]] if size else []
    for c, items in _candidates(ctx, a, allowed, hubs, mates):
        aa = round(
            sum(
                signal.weight / math.log(size) if z == COUNTRY else 1 / math.log(len(ctx.of(z)))
                for z in items
            ),
            DIGITS,
        )
        ra = round(sum(signal.weight / size if z == COUNTRY else 1 / len(ctx.of(z)) for z in items), DIGITS)
        pa = len(ctx.of(a)) * len(ctx.of(c))
        ties[aa] += 1
        found += 1
        if len(best) >= top and (aa, ra, pa) < best[0][:3]:
            continue  # cannot enter the top; skip building its tie-break key
        entry = (aa, ra, pa, _neg(proj.ids[c]), c, items)
        if len(best) < top:
            heapq.heappush(best, entry)
        elif entry > best[0]:
            heapq.heapreplace(best, entry)
    notes = (
        [limits.hub_note([proj.ids[z] if z != COUNTRY else PREFIX + str(country) for z in hubs])]
        if hubs
        else []
    ) + signal.note()
    ranked = sorted(best, reverse=True)
    return Suggestions(
        [_suggestion(kg, ctx, signal, a, e[4], e[0], e[1], e[2], ties[e[0]], e[5]) for e in ranked],
        notes,
        pair=chosen,
        tie_break=pairing.TIE_BREAK,
        candidates=found,
    )


def _every_pair(
    kg: Store, ctx: Context, kind_of: dict[int, str], chosen: str, top: int, progress: Progress | None
) -> Suggestions:
    """Every pair of actors in scope, scored in sparse blocks (pair_scores.top_pairs)."""
    proj = ctx.proj
    if top < 1:
        return Suggestions(pair=chosen, tie_break=pairing.TIE_BREAK)
    left, right, pairwise = pairing.sides(chosen)
    actors = sorted((n for n, k in kind_of.items() if k in left | right), key=lambda n: proj.ids[n])
    local = {n: i for i, n in enumerate(actors)}
    item_index: dict[int, int] = {}
    items = [[item_index.setdefault(z, len(item_index)) for z in ctx.of(n)] for n in actors]
    signal, _ = country_signal(proj)
    sizes, weights = [len(ctx.of(z)) for z in item_index], [1.0] * len(item_index)
    countries: dict[str, int] = {}  # a shared country is one more item, with its learned weight
    for n, held in zip(actors, items, strict=True):
        country = proj.country_of(n)
        if country is not None and signal.size(country):
            if country not in countries:
                countries[country] = len(sizes)
                sizes.append(signal.size(country))
                weights.append(signal.weight)
            held.append(countries[country])
    data = PairInput(
        items,
        [{local[c] for c in ctx.of(n) if c in local} for n in actors],
        np.array(sizes, dtype=np.int64),
        np.array([len(ctx.of(n)) for n in actors], dtype=np.int64),
        np.array(weights),
    )
    rows = [i for i, n in enumerate(actors) if kind_of[n] in left]
    cols = np.array([kind_of[n] in right for n in actors], dtype=bool)
    found = top_pairs(data, rows, cols, top=top, pairwise=pairwise, progress=progress)
    out = []
    for aa, ra, pa, i, j in found.pairs:
        a, b = actors[i], actors[j]
        shared = sorted(set(ctx.of(a)) & set(ctx.of(b)))
        if signal.size(proj.country_of(a)) and proj.country_of(a) == proj.country_of(b):
            shared.append(COUNTRY)
        out.append(_suggestion(kg, ctx, signal, a, b, aa, ra, pa, found.ties[aa], shared))
    return Suggestions(
        out, signal.note(), pair=chosen, tie_break=pairing.TIE_BREAK, candidates=found.candidates
    )


def _neg(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so ties in score rank by id ascending under max-heaps."""
    return (*(-ord(ch) for ch in text), 1)  # the end mark sorts a prefix before its extensions


def _candidates(
    ctx: Context, a: int, allowed: Callable[[int], bool], hubs: set[int], mates: list[int]
) -> Iterable[tuple[int, list[int]]]:
    """Actors of the allowed kinds that share context with ``a`` but are not tied to it, with the
    shared items; ``mates`` are the actors stated in ``a``'s country (the item ``COUNTRY``)."""
    mine = ctx.of(a)
    found: dict[int, list[int]] = {}
    skipped = []
    for z, holders in [*((z, ctx.of(z)) for z in mine), *([(COUNTRY, mates)] if mates else [])]:
        if len(holders) > limits.HUB_LIMIT:
            skipped.append(z)
            continue
        for c in holders:
            if c != a and c not in mine and allowed(c):
                found.setdefault(c, []).append(z)
    hubs.update(skipped)
    for z in skipped:  # a hub item still counts for the candidates that hold it (context is symmetric)
        holders = set(mates) if z == COUNTRY else ctx.of(z)
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
    kg: Store,
    ctx: Context,
    signal: CountrySignal,
    a: int,
    b: int,
    aa: float,
    ra: float,
    pa: int,
    ties: int,
    items: list[int],
) -> PartnerSuggestion:
    proj = ctx.proj
    named = labels(kg, [proj.ids[n] for n in (a, b, *items) if n != COUNTRY])
    shared = [
        signal.item(str(proj.country_of(a)))
        if z == COUNTRY
        else SharedItem(
            proj.ids[z],
            named[proj.ids[z]][0],
            named[proj.ids[z]][1],
            len(ctx.of(z)),
            ctx.vias(a, z),
            ctx.vias(b, z),
        )
        for z in items
    ]
    shared.sort(key=lambda item: (item.degree, item.id))
    return PartnerSuggestion(
        proj.ids[a], named[proj.ids[a]][0], proj.ids[b], named[proj.ids[b]][0], aa, ra, shared, pa, ties
    )
