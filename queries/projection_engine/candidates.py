"""One actor's partner candidates scored all at once with sparse arrays (``context_matrix``).

Candidates are the actors of the allowed kinds in the context of an item the actor holds (items
held by more than ``limits.HUB_LIMIT`` actors excepted), not tied to it. Each candidate's
Adamic-Adar and resource allocation sum the weights of every item both hold (hub items
included); preferential attachment, the product of the two context sizes, is computed only for the
candidates that need it to be ranked. The sums are taken
in array order, not item by item as ``sum()`` would in ``Context.of(actor)``'s order, so a sum
whose rounding to ``DIGITS`` could go either way within its error bound is taken again that way:
the rounded scores are exactly those of the item-by-item definition.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from climatekg.queries import limits
from climatekg.queries.pair_scores import DIGITS
from climatekg.queries.projection_engine.context_matrix import ContextMatrix, overlap_sums

COUNTRY = -1  # the shared country, among a candidate's shared items
_UNIT = 2.0**-53  # the unit roundoff of a float64


@dataclass
class CountryItem:
    """The shared country as an item: the actors stated in it and its weights."""

    holders: np.ndarray  # bool per entity
    size: int
    aa: float  # weight / ln(size)
    ra: float  # weight / size


@dataclass
class Candidates:
    """Every candidate of one actor with its rounded scores, and the items that found none."""

    nodes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    aa: np.ndarray = field(default_factory=lambda: np.empty(0))
    ra: np.ndarray = field(default_factory=lambda: np.empty(0))
    pa: Callable[[np.ndarray], np.ndarray] = lambda at: np.empty(
        0, dtype=np.int64
    )  # of candidates at these places
    hubs: list[int] = field(default_factory=list)  # items (ints, or COUNTRY) too widely held
    items: Callable[[int], list[int]] = lambda c: []  # a candidate's shared items, in sum order
    size: Callable[[int], int] = lambda z: 0  # an item's context size
    exact: Callable[[list[int]], tuple[float, float]] = lambda items: (
        0.0,
        0.0,
    )  # scores of items, one by one


def score_candidates(
    cm: ContextMatrix, a: int, allowed: np.ndarray, country: CountryItem | None
) -> Candidates:
    """The candidates of ``a`` among the entities ``allowed`` (bool per entity), scored."""
    mine = cm.context(a)
    m, n = len(mine), len(cm.proj)
    if not m and country is None:
        return Candidates()
    zrow, zcol = cm.rows(mine)
    zsize = cm.sizes(mine, zrow)
    hub = zsize > limits.HUB_LIMIT
    country_hub = country is not None and country.size > limits.HUB_LIMIT
    # Python's own log and division, as the item-by-item definition uses
    aa_of = [1 / math.log(s) if s > 1 else 0.0 for s in zsize.tolist()]
    ra_of = [1 / s if s > 0 else 0.0 for s in zsize.tolist()]
    w_aa, w_ra = np.array(aa_of), np.array(ra_of)
    found = np.zeros(n, dtype=bool)
    found[zcol[~hub[zrow]]] = True
    finding = np.bitwise_or.reduce(cm.mask[mine[~hub]]) if (~hub).any() else np.uint64(0)
    if finding:
        found |= (cm.mask & finding) != 0
    if country is not None and not country_hub:
        found |= country.holders
    found &= allowed
    found[a] = False
    found[mine] = False
    nodes = np.flatnonzero(found)
    at = np.full(n, -1, dtype=np.int64)  # an entity's place in ``mine``
    at[mine] = np.arange(m)

    def items(c: int) -> list[int]:
        """``c``'s shared items in the order the definition sums them: non-hub items in
        ``mine``'s order, a non-hub country, hub items, a hub country."""
        held = at[cm.context(c)]
        held = held[held >= 0]
        rank = np.where(hub[held], m + 1 + held, held)
        ordered = mine[held[np.argsort(rank, kind="stable")]].tolist()
        if country is not None and country.holders[c]:
            if country_hub:
                ordered.append(COUNTRY)
            else:
                ordered.insert(int((~hub[held]).sum()), COUNTRY)
        return ordered

    def size(z: int) -> int:
        return country.size if z == COUNTRY and country is not None else int(zsize[at[z]])

    def exact(chosen: list[int]) -> tuple[float, float]:
        return exact_scores(chosen, aa_of, ra_of, at, country)

    hubs = mine[hub].tolist() + ([COUNTRY] if country_hub else [])
    if not len(nodes):
        return Candidates(hubs=hubs, items=items, size=size, exact=exact)
    # contexts are symmetric, so the items' rows hold every (candidate, shared item) entry
    shared = found[zcol]
    crow, held = np.searchsorted(nodes, zcol[shared]), zrow[shared]
    masks = cm.mask[mine]
    groups, group_of = np.unique(masks[masks != 0], return_inverse=True)
    sums = []
    for weights in (w_aa, w_ra, np.ones(m)):
        direct = np.bincount(crow, weights=weights[held], minlength=len(nodes))
        through = overlap_sums(cm.mask[nodes], groups, np.bincount(group_of, weights=weights[masks != 0]))
        sums.append(direct + through)
    aa, ra, terms = sums
    if country is not None:
        aa += np.where(country.holders[nodes], country.aa, 0.0)
        ra += np.where(country.holders[nodes], country.ra, 0.0)
        terms += country.holders[nodes]
    aa_r, ra_r = np.round(aa, DIGITS), np.round(ra, DIGITS)
    unsure = np.flatnonzero(_unsure(aa, terms) | _unsure(ra, terms))
    for i in unsure.tolist():  # rare: the item-by-item sums decide
        chosen = items(int(nodes[i]))
        aa_r[i], ra_r[i] = exact(chosen)

    def pa(at_: np.ndarray) -> np.ndarray:
        chosen = nodes[at_]
        return m * cm.sizes(chosen, cm.rows(chosen)[0])

    return Candidates(nodes, aa_r, ra_r, pa, hubs, items, size, exact)


def exact_scores(
    chosen: list[int], aa_of: list[float], ra_of: list[float], at: np.ndarray, country: CountryItem | None
) -> tuple[float, float]:
    """Adamic-Adar and resource allocation of the shared items ``chosen``, summed one by one in order."""
    places = [int(at[z]) if z != COUNTRY else -1 for z in chosen]
    aa = sum(country.aa if p < 0 and country else aa_of[p] for p in places)
    ra = sum(country.ra if p < 0 and country else ra_of[p] for p in places)
    return round(aa, DIGITS), round(ra, DIGITS)


def _unsure(sums: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Whether rounding ``sums`` to ``DIGITS`` could differ from rounding the same terms summed in
    another order: within twice the worst-case error of a sum of ``terms`` positive terms (plus the
    scaling's) of a rounding boundary."""
    scaled = sums * 10.0**DIGITS
    distance = np.abs(scaled - np.floor(scaled) - 0.5)
    return distance <= (2 * terms + 8) * _UNIT * scaled * 1.01 + 1e-12
