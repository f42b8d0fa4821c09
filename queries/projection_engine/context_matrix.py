"""Many actors' contexts at once, as sparse rows (scipy.sparse), for scoring one actor's candidates.

The context is ``context.Context``'s (direct ties to actors and technologies, plus the co-parties
of every agreement an actor is party to), computed for thousands of entities in a few array
operations instead of a Python loop per tie. The co-parties of a large agreement are never
expanded row by row: the ``BIG_COUNT`` largest agreements (of ``BIG_PARTIES`` parties or more)
are bits of one mask per entity, and what they add to a context is counted and summed per
distinct mask (two entities share such a co-party exactly when their masks overlap).
"""

from __future__ import annotations

import weakref

import numpy as np
from scipy import sparse

from climatekg.graph.projection import Projection
from climatekg.queries.projection_engine.context import ACTORS, AGREEMENT, DIRECT, PARTY_TO, TECHNOLOGY

#: At most this many agreements are bits of the mask (one uint64 per entity).
BIG_COUNT = 64
#: … and only those with at least this many parties (smaller ones are cheap to expand).
BIG_PARTIES = 64
#: Distinct masks compared at once in ``overlap_sums`` (bounds a temporary boolean matrix).
_MASK_CHUNK = 512

_LAST: list[tuple[weakref.ref[Projection], ContextMatrix]] = []


def context_matrix(proj: Projection) -> ContextMatrix:
    """The ``ContextMatrix`` of ``proj``, built once per projection (the last one is kept)."""
    if _LAST and _LAST[0][0]() is proj:
        return _LAST[0][1]
    found = ContextMatrix(proj)
    _LAST[:] = [(weakref.ref(proj), found)]
    return found


class ContextMatrix:
    """The projection's party ties as sparse matrices and the big agreements as masks."""

    def __init__(self, proj: Projection):
        self.proj = proj
        n = len(proj)
        self.indptr = np.frombuffer(proj.indptr, dtype=np.int64)
        self.indices = np.frombuffer(proj.indices, dtype=np.int32)
        kinds = np.frombuffer(proj.kinds, dtype=np.uint8)
        self.is_actor = np.isin(kinds, np.array(sorted(ACTORS), dtype=np.uint8))
        self.is_tech = kinds == TECHNOLOGY
        agreements = np.flatnonzero(kinds == AGREEMENT)
        row, pos = row_positions(self.indptr, agreements)
        party = self.indices[pos].astype(np.int64)
        bits = (
            np.frombuffer(proj.out_bits, dtype=np.uint16)[pos]
            | np.frombuffer(proj.in_bits, dtype=np.uint16)[pos]
        )
        keep = self.is_actor[party] & (bits & PARTY_TO != 0)
        row, party = row[keep], party[keep]
        #: agreement → its parties (rows: agreements in int order, sorted parties), and the reverse
        self.agreements = agreements
        self.parties = _csr(row, party, (len(agreements), n))
        self.party_of = self.parties.T.tocsr()
        self.party_of.sort_indices()
        counts = np.diff(self.parties.indptr)
        largest = np.argsort(-counts, kind="stable")[:BIG_COUNT]
        big = largest[counts[largest] >= BIG_PARTIES]
        agreement_bit = np.zeros(len(agreements), dtype=np.uint64)
        agreement_bit[big] = np.left_shift(np.uint64(1), np.arange(len(big), dtype=np.uint64))
        #: per entity: the bits of the big agreements it is party to
        self.mask = np.zeros(n, dtype=np.uint64)
        has = np.flatnonzero(np.diff(self.party_of.indptr))
        if len(has):
            values = agreement_bit[self.party_of.indices]
            self.mask[has] = np.bitwise_or.reduceat(values, self.party_of.indptr[has])
        small = np.ones(len(agreements), dtype=bool)
        small[big] = False
        self.small_parties = self.parties.multiply(small[:, None]).tocsr()
        self.small_parties.eliminate_zeros()
        self.small_party_of = self.small_parties.T.tocsr()
        masked = np.flatnonzero(self.mask)
        #: distinct non-zero masks and how many entities carry each
        self.masks, self.mask_counts = np.unique(self.mask[masked], return_counts=True)
        self._sets: dict[int, set[int]] = {}

    def rows(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The context of each of ``nodes`` minus its big-agreement co-parties, as (row, column)
        entries sorted by row then column (rows index ``nodes``)."""
        nodes = np.asarray(nodes, dtype=np.int64)
        row, pos = row_positions(self.indptr, nodes)
        other = self.indices[pos]
        keep = self.is_actor[other] | (self.is_actor[nodes][row] & self.is_tech[other])
        direct = _csr(row[keep], other[keep].astype(np.int64), (len(nodes), len(self.proj)))
        co = self.small_party_of[nodes] @ self.small_parties
        both = (direct + co).tocsr()
        both.sum_duplicates()
        row = np.repeat(np.arange(len(nodes), dtype=np.int64), np.diff(both.indptr))
        col = both.indices.astype(np.int64)
        # a big agreement's co-parties are counted through the masks, and no entity is its own context
        keep = ((self.mask[col] & self.mask[nodes][row]) == 0) & (col != nodes[row])
        return row[keep], col[keep]

    def sizes(self, nodes: np.ndarray, row: np.ndarray) -> np.ndarray:
        """The size of each of ``nodes``' contexts, from their ``rows``' entries (``row`` part)."""
        masks = self.mask[nodes]
        through_big = overlap_sums(masks, self.masks, self.mask_counts.astype(np.float64))
        # an entity counted through its own masks is not in its context
        return np.bincount(row, minlength=len(nodes)) + np.rint(through_big).astype(np.int64) - (masks != 0)

    def context(self, n: int) -> np.ndarray:
        """The context of ``n`` in ``Context.of(n)``'s order: ``n``'s ties in int order, an agreement
        it is party to standing for that agreement's parties (in int order); each item where it first appears."""
        lo = int(self.indptr[n])
        other = self.indices[lo : int(self.indptr[n + 1])].astype(np.int64)
        direct = np.flatnonzero(self.is_actor[other] | (self.is_actor[n] & self.is_tech[other]))
        mine = self._agreements_of(n) if self.is_actor[n] else np.empty(0, dtype=np.int32)
        at = np.searchsorted(other, self.agreements[mine])  # where each agreement sits among the ties
        row, pos = row_positions(self.parties.indptr, mine)
        keys = np.concatenate([direct, at[row]])
        values = np.concatenate([other[direct], self.parties.indices[pos].astype(np.int64)])
        sequence = values[np.argsort(keys, kind="stable")]
        sequence = sequence[sequence != n]
        _, first = np.unique(sequence, return_index=True)
        return sequence[np.sort(first)]

    def vias(self, n: int, item: int) -> list[int]:
        """How ``n`` holds ``item`` (``context.DIRECT`` or agreement ints), in ``Context.of(n)[item]``'s order."""
        other = self.indices[int(self.indptr[n]) : int(self.indptr[n + 1])]
        at = int(np.searchsorted(other, item))
        direct = at < len(other) and other[at] == item
        found = (
            [item] if direct and (self.is_actor[item] or (self.is_actor[n] and self.is_tech[item])) else []
        )
        if self.is_actor[n] and item != n:
            mine = self._agreement_set(n)
            found += [g for g in self.agreements[self._agreements_of(item)].tolist() if g in mine]
        return [DIRECT if v == item else v for v in sorted(found)]

    def _agreement_set(self, n: int) -> set[int]:
        """The agreements ``n`` is party to, kept for the last few entities asked about."""
        found = self._sets.get(n)
        if found is None:
            if len(self._sets) > 64:
                self._sets.clear()
            found = self._sets[n] = set(self.agreements[self._agreements_of(n)].tolist())
        return found

    def _agreements_of(self, n: int) -> np.ndarray:
        return self.party_of.indices[self.party_of.indptr[n] : self.party_of.indptr[n + 1]]


def overlap_sums(masks: np.ndarray, groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each of ``masks``: the sum of ``values[j]`` over the ``groups[j]`` it shares a bit with."""
    out = np.zeros(len(masks))
    if not len(groups) or not masks.any():
        return out
    distinct, back = np.unique(masks, return_inverse=True)
    sums = np.zeros(len(distinct))
    for start in range(0, len(distinct), _MASK_CHUNK):
        chunk = distinct[start : start + _MASK_CHUNK]
        sums[start : start + len(chunk)] = ((chunk[:, None] & groups[None, :]) != 0) @ values
    return sums[back]


def row_positions(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every CSR position of ``nodes``' rows, with the index into ``nodes`` each belongs to."""
    starts, ends = indptr[nodes], indptr[np.asarray(nodes) + 1]
    lengths = ends - starts
    row = np.repeat(np.arange(len(nodes), dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths
    pos = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(offsets - starts, lengths)
    return row, pos


def _csr(row: np.ndarray, col: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """A 0/1 matrix with ones at (row, col); rows ascending, columns ascending within a row."""
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=shape[0]), out=indptr[1:])
    return sparse.csr_matrix((np.ones(len(col)), col, indptr), shape=shape)
