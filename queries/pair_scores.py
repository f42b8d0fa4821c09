"""Top-N untied pairs scored by shared context, with bounded memory (scipy.sparse, row blocks).

Both gap questions that compare many pairs (global partner suggestions, cohort gaps) and both
engines use this one scorer, so they rank alike. Actors are numbered in id order, so comparing
numbers compares ids. Scores of a block of rows are one sparse product
``M[rows] · diag(w) · M[cols]ᵀ``; only the block and the running top N are ever held, never all
pairs. Ranking: Adamic-Adar, then resource allocation, then preferential attachment (the
product of the two context sizes: the more active pair first), then ids. ``ties`` counts, for
each Adamic-Adar score, every candidate pair with that score (not only those shown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

#: Rows scored per sparse product: the block's score matrix is at most BLOCK × columns.
BLOCK = 256
#: At most this many cells (rows × columns) in one block's score matrix.
CELLS = 500_000
#: Scores are compared rounded, so sums taken in another order still tie.
DIGITS = 9

Progress = Callable[[int, int], None]


@dataclass
class PairInput:
    """Actors ``0..n-1`` (in id order), each with its context as item numbers and its tied actors."""

    items: list[list[int]]  # per actor: the items it holds (other actors, technologies …)
    tied: list[set[int]]  # per actor: the actors it is tied to (never paired)
    item_sizes: np.ndarray  # per item: the size of its own context (its degree)
    context_sizes: np.ndarray  # per actor: the size of its context (preferential attachment)
    item_weights: np.ndarray | None = None  # per item: a factor on its part of the scores (default 1)


@dataclass
class TopPairs:
    """The best pairs ``(aa, ra, pa, a, b)`` best first, and candidate counts per rounded score."""

    pairs: list[tuple[float, float, int, int, int]] = field(default_factory=list)
    ties: Counter[float] = field(default_factory=Counter)
    candidates: int = 0  # pairs scored
    pruned: int = 0  # rows never scored: their best possible score is below the N-th best


def top_pairs(
    data: PairInput,
    rows: Sequence[int],
    cols: np.ndarray,
    *,
    top: int,
    pairwise: bool,
    zero_pairs: bool = False,
    progress: Progress | None = None,
) -> TopPairs:
    """The ``top`` best untied pairs (a in ``rows``, b with ``cols[b]`` True, b > a when ``pairwise``).

    Without ``zero_pairs`` only pairs that share something are candidates; with it every untied
    pair is (cohort gaps), those sharing nothing ranked last by ids.

    Examples:
        >>> d = PairInput([[2], [2], [0, 1]], [{2}, {2}, {0, 1}], np.array([1, 1, 2]), np.array([1, 1, 2]))
        >>> top_pairs(d, [0, 1], np.array([True, True, False]), top=5, pairwise=True).pairs
        [(1.442695041, 0.5, 1, 0, 1)]
    """
    if top < 1 or not len(rows):
        return TopPairs()
    n, m = len(data.items), len(data.item_sizes)
    sizes = data.item_sizes.astype(float)
    factor = data.item_weights if data.item_weights is not None else np.ones(m)
    w_aa = np.where(sizes > 1, factor / np.log(np.maximum(sizes, 2)), 0.0)
    w_ra = np.where(sizes > 1, factor / np.maximum(sizes, 1), 0.0)
    M = _incidence(data.items, m)
    T = _incidence([sorted(t) for t in data.tied], n)
    col_ids = np.flatnonzero(cols)
    right_t = M[col_ids].T.tocsc()  # items × candidate columns; columns sliced per block
    tied_cols = T[:, col_ids].tocsc()
    block_rows = max(16, min(BLOCK, CELLS // max(1, len(col_ids))))
    found = TopPairs()
    best = np.empty((0, 5))
    order = np.asarray(list(rows), dtype=np.int64)
    # a row's pairs score at most the sum of its own items' weights: rows are taken in falling
    # order of that bound, and once it is below the N-th best score no later row can enter (nor
    # tie with a shown score, so the tie counts stay exact)
    bound = M[order] @ w_aa
    ranked = np.lexsort((order, -bound))
    order, bound = order[ranked], bound[ranked]
    for start in range(0, len(order), block_rows):
        if len(best) >= top and bound[start] + 10**-DIGITS < best[-1, 0]:
            found.pruned = len(order) - start
            break
        block = np.sort(order[start : start + block_rows])
        # pairs once: only columns after the block's first row can pair with it
        first = int(np.searchsorted(col_ids, block[0] + 1)) if pairwise else 0
        right, tied = right_t[:, first:], tied_cols[:, first:].tocsr()[block]
        left = M[block]
        aa, ra = (_untied(left @ sparse.diags(w) @ right, tied) for w in (w_aa, w_ra))
        a, b = block[aa.row], col_ids[first:][aa.col]
        keep = (b > a) if pairwise else (a != b)
        a, b = a[keep], b[keep]
        s_aa, s_ra = np.round(aa.data[keep], DIGITS), np.round(ra.data[keep], DIGITS)
        del aa, ra, keep
        found.candidates += len(a)
        values, counts = np.unique(s_aa, return_counts=True)
        found.ties.update(dict(zip(values.tolist(), counts.tolist(), strict=True)))
        # only entries that can still enter the top are sorted with it
        floor = best[-1, 0] if len(best) >= top else -np.inf
        if len(s_aa) > top:
            floor = max(floor, np.partition(s_aa, len(s_aa) - top)[len(s_aa) - top])
        near = np.flatnonzero(s_aa >= floor)
        pa = data.context_sizes[a[near]] * data.context_sizes[b[near]]
        chunk = np.column_stack([s_aa[near], s_ra[near], pa, a[near], b[near]]).astype(float)
        best = _best(np.vstack([best, chunk]), top)
        if zero_pairs and (len(best) < top or best[-1, 0] == 0):
            # rows come in bound order, not id order: any block may hold the first zero pairs by id
            zeros = _zero_pairs(
                data, block, col_ids, set(zip(a.tolist(), b.tolist(), strict=True)), top, pairwise
            )
            best = _best(np.vstack([best, zeros]), top)
        if progress:
            progress(min(start + block_rows, len(order)), len(order))
    if progress:
        progress(len(order), len(order))
    found.pairs = [(float(x[0]), float(x[1]), int(x[2]), int(x[3]), int(x[4])) for x in best]
    return found


def _incidence(lists: list[list[int]], width: int) -> sparse.csr_matrix:
    """A 0/1 sparse matrix with a row per list, ones in the listed columns."""
    indptr = np.cumsum([0, *(len(x) for x in lists)])
    indices = np.fromiter((z for x in lists for z in x), dtype=np.int64, count=int(indptr[-1]))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(lists), width))


def _untied(scores: sparse.spmatrix, tied: sparse.spmatrix) -> sparse.coo_matrix:
    """``scores`` without the tied pairs (and without zeros), rows and columns in order."""
    scores = sparse.csr_matrix(scores)
    scores = scores - scores.multiply(tied)
    scores.eliminate_zeros()
    scores.sort_indices()
    return scores.tocoo()


def _best(entries: np.ndarray, top: int) -> np.ndarray:
    """The ``top`` best rows of (aa, ra, pa, a, b): higher scores first, then lower ids."""
    order = np.lexsort((entries[:, 4], entries[:, 3], -entries[:, 2], -entries[:, 1], -entries[:, 0]))
    return entries[order[:top]]


def _zero_pairs(
    data: PairInput,
    block: np.ndarray,
    col_ids: np.ndarray,
    scored: set[tuple[int, int]],
    need: int,
    pairwise: bool,
) -> np.ndarray:
    """Up to ``need`` untied pairs of ``block`` that share nothing, in id order (scores all zero)."""
    extra: list[tuple[float, float, int, int, int]] = []
    for a in block.tolist():
        for b in col_ids.tolist():
            if len(extra) >= need:
                return np.array(extra, dtype=float)
            if b == a or (pairwise and b < a) or b in data.tied[a] or (a, b) in scored:
                continue
            extra.append((0.0, 0.0, 0, a, b))  # no preferential attachment: zeros rank by ids only
    return np.array(extra, dtype=float).reshape(-1, 5)


def cohort_pairs(data: PairInput, top: int | None, progress: Progress | None) -> list[tuple[int, int, float]]:
    """Every member pair of a cohort not tied to each other, best ``top`` first, as
    ``(i, j, Adamic-Adar)`` over positions in ``data``; ``top=None`` keeps them all."""
    n = len(data.items)
    found = top_pairs(
        data,
        range(n),
        np.ones(n, dtype=bool),
        top=top if top is not None else n * (n - 1) // 2,
        pairwise=True,
        zero_pairs=True,
        progress=progress,
    )
    return [(i, j, aa) for aa, _, _, i, j in found.pairs]
