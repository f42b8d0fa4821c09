"""Suggested partners on the projection: unpaired actors ranked by the context they share.

Ranked by Adamic-Adar (the score), then resource allocation and preferential attachment over
the shared context (see ``context.py`` and ``pairing.TIE_BREAK``) and a shared country, weighted
as ``queries.country_signal`` learns from the ties (``country.py``). For one named actor,
candidates come from the items it holds, except items held by more than ``limits.HUB_LIMIT``
actors, which still count in the scores; every pair in scope is scored in sparse row blocks
(``pair_scores.py``), never all pairs at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.projection import KINDS, Projection, projection
from climatekg.graph.store import Store
from climatekg.queries import limits, pairing
from climatekg.queries.country_signal import PREFIX, CountrySignal
from climatekg.queries.labels import labels
from climatekg.queries.pair_scores import PairInput, Progress, top_pairs
from climatekg.queries.projection_engine.candidates import COUNTRY, Candidates, CountryItem, score_candidates
from climatekg.queries.projection_engine.context import DIRECT, Context, members_of
from climatekg.queries.projection_engine.context_matrix import context_matrix
from climatekg.queries.projection_engine.country import country_signal
from climatekg.queries.resolve import resolve
from climatekg.queries.results import PartnerSuggestion, SharedItem, Suggestions

PARTNERS = frozenset(KINDS.index(pairing.EntityKind(k)) for k in pairing.PARTNER_KINDS)


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
        codes = [KINDS.index(pairing.EntityKind(k)) for k in pairing.partner_kinds(chosen, kind)]
        allowed = np.isin(np.frombuffer(proj.kinds, dtype=np.uint8), codes)
        if scope is not None:
            inside = np.zeros(len(proj), dtype=bool)
            inside[list(scope)] = True
            allowed &= inside
        return _for_one(kg, proj, a, allowed, top, chosen)
    chosen = pairing.choose_pair(pair, for_kind=None, has_cities=has_cities)
    pool = sorted(scope) if scope is not None else range(len(proj))
    kind_of = {n: KINDS[proj.kinds[n]].value for n in pool if proj.kinds[n] in PARTNERS}
    if len(kind_of) > limits.GLOBAL_LIMIT:
        raise ClimateKGError(
            f"{len(kind_of):,} actors are too many to compare every pair: name one with --for or an initiative with --within"
        )
    return _every_pair(kg, ctx, kind_of, chosen, top, progress)


def _for_one(kg: Store, proj: Projection, a: int, allowed: np.ndarray, top: int, chosen: str) -> Suggestions:
    """Candidates for one actor, from the items it holds (hub items only count in the scores),
    scored together in arrays (``candidates.py``); only the top ``top`` are explained."""
    if top < 1:
        return Suggestions(pair=chosen, tie_break=pairing.TIE_BREAK)
    signal, holders = country_signal(proj)
    country = proj.country_of(a)
    size = signal.size(country)
    item = None
    if size > 1:
        mates = np.zeros(len(proj), dtype=bool)
        mates[holders[proj.country[a]]] = True
        item = CountryItem(mates, size, signal.weight / math.log(size), signal.weight / size)
    cm = context_matrix(proj)
    found = score_candidates(cm, a, allowed, item)

    def vias(n: int, z: int) -> list[str]:
        return ["direct" if via == DIRECT else proj.ids[via] for via in cm.vias(n, z)]

    notes = (
        [limits.hub_note([proj.ids[z] if z != COUNTRY else PREFIX + str(country) for z in found.hubs])]
        if found.hubs
        else []
    ) + signal.note()
    best = [(i, pa, found.items(int(found.nodes[i]))) for i, pa in _best(proj, found, top)]
    named = _labels(kg, proj, a, [(int(found.nodes[i]), items) for i, _, items in best])
    out = []
    for i, pa, items in best:
        aa, ra = found.exact(items)
        scores = (aa, ra, pa, int(np.count_nonzero(found.aa == aa)))
        out.append(_suggestion(proj, named, signal, a, int(found.nodes[i]), scores, items, found.size, vias))
    return Suggestions(out, notes, pair=chosen, tie_break=pairing.TIE_BREAK, candidates=len(found.nodes))


def _best(proj: Projection, found: Candidates, top: int) -> list[tuple[int, int]]:
    """Where the ``top`` best candidates sit in ``found`` with their preferential attachment, best first: Adamic-Adar, resource allocation, preferential attachment
    (higher first), then id (``pairing.TIE_BREAK``)."""
    k = min(top, len(found.nodes))
    if not k:
        return []
    aa, ra = found.aa, found.ra
    near = np.flatnonzero(aa >= np.partition(aa, len(aa) - k)[len(aa) - k])
    pa = np.zeros(len(aa), dtype=np.int64)
    pa[near] = found.pa(near)  # preferential attachment only where it can rank
    near = near[np.lexsort((-pa[near], -ra[near], -aa[near]))]
    last = near[k - 1]
    same = (aa[near] == aa[last]) & (ra[near] == ra[last]) & (pa[near] == pa[last])
    first = int(np.argmax(same))  # the k-th best's equals sit together, by id below
    head = near[:first].tolist()
    head.sort(key=lambda i: (-aa[i], -ra[i], -pa[i], proj.ids[found.nodes[i]]))
    rest = sorted(near[same].tolist(), key=lambda i: proj.ids[found.nodes[i]])[: k - first]
    return [(i, int(pa[i])) for i in head + rest]


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
    shown = []
    for aa, ra, pa, i, j in found.pairs:
        a, b = actors[i], actors[j]
        shared = sorted(set(ctx.of(a)) & set(ctx.of(b)))
        if signal.size(proj.country_of(a)) and proj.country_of(a) == proj.country_of(b):
            shared.append(COUNTRY)
        shown.append((a, b, (aa, ra, pa, found.ties[aa]), shared))
    named = labels(kg, [proj.ids[n] for a, b, _, shared in shown for n in (a, b, *shared) if n != COUNTRY])
    out = [
        _suggestion(proj, named, signal, a, b, scores, shared, lambda z: len(ctx.of(z)), ctx.vias)
        for a, b, scores, shared in shown
    ]
    return Suggestions(
        out, signal.note(), pair=chosen, tie_break=pairing.TIE_BREAK, candidates=found.candidates
    )


def _labels(
    kg: Store, proj: Projection, a: int, shown: list[tuple[int, list[int]]]
) -> dict[str, tuple[str, str]]:
    """Labels and kinds of ``a``, of each shown partner and of their shared items, read once each."""
    ids = [proj.ids[a]] + [proj.ids[n] for b, items in shown for n in (b, *items) if n != COUNTRY]
    return labels(kg, ids)


def _suggestion(
    proj: Projection,
    named: dict[str, tuple[str, str]],
    signal: CountrySignal,
    a: int,
    b: int,
    scores: tuple[float, float, int, int],
    items: list[int],
    size: Callable[[int], int],
    vias: Callable[[int, int], list[str]],
) -> PartnerSuggestion:
    """One suggestion: ``scores`` are (Adamic-Adar, resource allocation, preferential attachment,
    candidates with that Adamic-Adar); ``size`` and ``vias`` describe a shared item."""
    aa, ra, pa, ties = scores
    shared = [
        signal.item(str(proj.country_of(a)))
        if z == COUNTRY
        else SharedItem(
            proj.ids[z], named[proj.ids[z]][0], named[proj.ids[z]][1], size(z), vias(a, z), vias(b, z)
        )
        for z in items
    ]
    shared.sort(key=lambda item: (item.degree, item.id))
    return PartnerSuggestion(
        proj.ids[a], named[proj.ids[a]][0], proj.ids[b], named[proj.ids[b]][0], aa, ra, shared, pa, ties
    )
