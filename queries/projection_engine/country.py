"""The country signal (``queries.country_signal``) on the projection: actors per country and the
weight learned from the projection's ties, computed once per projection."""

from __future__ import annotations

import weakref

import numpy as np

from climatekg.graph.projection import Projection, kind_code
from climatekg.queries import pairing
from climatekg.queries.country_signal import CountrySignal, learned_weight
from climatekg.queries.projection_engine.context import AGREEMENT, PARTY_TO

PARTNERS = frozenset(kind_code(k) for k in pairing.PARTNER_KINDS)
_LAST: list[tuple[weakref.ref[Projection], CountrySignal, dict[int, list[int]]]] = []


def country_signal(proj: Projection) -> tuple[CountrySignal, dict[int, list[int]]]:
    """The signal, and the located actors of each country code (for candidates)."""
    if _LAST and _LAST[0][0]() is proj:
        return _LAST[0][1], _LAST[0][2]
    codes = (
        np.frombuffer(proj.country, dtype=np.uint16) if len(proj.country) else np.zeros(len(proj), np.uint16)
    )
    kinds = np.frombuffer(proj.kinds, dtype=np.uint8)
    located = np.isin(kinds, list(PARTNERS)) & (codes > 0)
    holders: dict[int, list[int]] = {}
    for n in np.flatnonzero(located).tolist():
        holders.setdefault(int(codes[n]), []).append(n)
    sizes = {proj.country_names[c]: len(ns) for c, ns in holders.items()}
    tied, same = _tied_pairs(proj, codes, located)
    signal = CountrySignal(sizes, learned_weight(sizes, tied, same), tied, same)
    _LAST[:] = [(weakref.ref(proj), signal, holders)]
    return signal, holders


def _tied_pairs(proj: Projection, codes: np.ndarray, located: np.ndarray) -> tuple[int, int]:
    """Located actor pairs tied directly or as co-parties of an agreement, and those in one country."""
    indptr = np.frombuffer(proj.indptr, dtype=np.int64)
    other = np.frombuffer(proj.indices, dtype=np.int32).astype(np.int64)
    this = np.repeat(np.arange(len(proj), dtype=np.int64), np.diff(indptr))
    direct = located[this] & located[other] & (this < other)
    keys = [this[direct] * len(proj) + other[direct]]
    kinds = np.frombuffer(proj.kinds, dtype=np.uint8)
    bits = np.frombuffer(proj.in_bits, dtype=np.uint16) | np.frombuffer(proj.out_bits, dtype=np.uint16)
    party = (kinds[this] == AGREEMENT) & located[other] & (bits & PARTY_TO > 0)
    for agreement_parties in np.split(other[party], np.flatnonzero(np.diff(this[party])) + 1):
        p = np.unique(agreement_parties)
        if len(p) > 1:
            i, j = np.triu_indices(len(p), 1)
            keys.append(p[i] * len(proj) + p[j])
    pairs = np.unique(np.concatenate(keys))
    same = codes[pairs // len(proj)] == codes[pairs % len(proj)]
    return len(pairs), int(same.sum())
