"""The lean projection graph algorithms run on: compact int ids and an undirected CSR adjacency.

Every entity becomes an int (``ids[n]`` is its id, ``kinds[n]`` its kind code); every pair of
entities joined by at least one relation becomes one undirected tie, stored twice (once per end)
in CSR arrays. Each half-tie carries bit masks over ``RELATIONS``: kinds where this end is the
subject (``out_bits``) or the object (``in_bits``), and the same for instances that hold at every
date (``open_out``, ``open_in``); the rarer dated instances sit in ``dated``, keyed by the pair.
Each entity's country (``schema:addressCountry``, when stated) is a code into ``country_names``.
That is enough to filter by relation kind, entity kind and date without a copy (``View``) and to
say which way a relation points; evidence stays in the store and is looked up only for what a
query returns.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from climatekg.graph.errors import ClimateKGError, NotFoundError
from climatekg.graph.model import EntityKind, Relation, RelationKind, check_date, date_bounds

#: Kind codes: ``kinds[n]`` indexes this tuple; ``UNKNOWN_KIND`` marks an untyped endpoint.
KINDS: tuple[EntityKind, ...] = tuple(EntityKind)
UNKNOWN_KIND = 255
#: Relation bits: bit ``i`` of a mask is ``RELATIONS[i]``.
RELATIONS: tuple[RelationKind, ...] = tuple(RelationKind)
ALL_RELATIONS = (1 << len(RELATIONS)) - 1
#: Bumped whenever the pickled layout changes, so old cache files are rebuilt, not misread.
FORMAT = 3
_FIRST_DAY, _LAST_DAY = "0000-01-01", "9999-12-31"


class DatedTie(NamedTuple):
    """One dated relation instance of a tie: kind index, its subject (an int) and its dates."""

    kind: int
    subject: int
    start: str | None
    end: str | None
    first: str  # the first day the relation can hold
    last: str  # the last day it can hold


def kind_code(kind: EntityKind | str) -> int:
    """The code of an entity kind ("City" or ``EntityKind.CITY``); ClimateKGError when unknown."""
    try:
        return KINDS.index(EntityKind(kind))
    except ValueError:
        allowed = ", ".join(k.value for k in KINDS)
        raise ClimateKGError(f"unknown entity kind {kind!r} (one of {allowed})") from None


def relation_mask(kinds: Iterable[RelationKind | str] | None) -> int:
    """The bit mask of some relation kinds (all kinds when ``kinds`` is None or empty)."""
    mask = 0
    for kind in kinds or ():
        try:
            mask |= 1 << RELATIONS.index(RelationKind(kind))
        except ValueError:
            allowed = ", ".join(r.value for r in RELATIONS)
            raise ClimateKGError(f"unknown relation kind {kind!r} (one of {allowed})") from None
    return mask or ALL_RELATIONS


def relation_kinds(mask: int) -> list[RelationKind]:
    """The relation kinds whose bits are set in ``mask``."""
    return [kind for i, kind in enumerate(RELATIONS) if mask >> i & 1]


def as_of_bounds(as_of: str) -> tuple[str, str]:
    """The first and last day an as-of date means ("2015" → 2015-01-01 … 2015-12-31)."""
    try:
        return date_bounds(check_date(as_of.strip()))
    except ValueError as exc:
        raise ClimateKGError(f"as-of date {as_of!r}: {exc}") from None


def day_span(start: str | None, end: str | None) -> tuple[str, str]:
    """The first and last day a relation dated ``start``–``end`` can hold (open ends unbounded)."""
    first = date_bounds(start[:10])[0] if start else _FIRST_DAY
    last = date_bounds(end[:10])[1] if end else _LAST_DAY
    return first, last


def holds_during(relation: Relation, bounds: tuple[str, str]) -> bool:
    """Whether ``relation`` holds on some day within ``bounds``; for one day, ``Relation.valid_on``."""
    first, last = day_span(relation.start, relation.end)
    return first <= bounds[1] and last >= bounds[0]


@dataclass
class Projection:
    """Entities as ints and their ties as CSR arrays; see the module docstring for the layout."""

    version: str
    base: str
    ids: list[str]
    kinds: bytes
    indptr: array  # 'q': the half-ties of node n are positions indptr[n] … indptr[n + 1] - 1
    indices: array  # 'i': the other end of each half-tie
    out_bits: array  # 'H': relation kinds with this end as subject
    in_bits: array  # 'H': relation kinds with this end as object
    open_out: array  # 'H': out_bits kinds with an undated instance
    open_in: array  # 'H': in_bits kinds with an undated instance
    dated: dict[tuple[int, int], tuple[DatedTie, ...]]
    country: array = field(default_factory=lambda: array("H"))  # 'H': code into country_names, 0 = none
    country_names: list[str] = field(default_factory=lambda: [""])
    format: int = FORMAT
    _index: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_index": None}  # the id index is rebuilt on demand, not pickled

    @property
    def tie_count(self) -> int:
        """Number of undirected ties (pairs of entities with at least one relation)."""
        return len(self.indices) // 2

    def index_of(self, entity_id: str) -> int:
        """The int of an entity id; NotFoundError when the projection has no such entity."""
        if self._index is None:
            self._index = {eid: n for n, eid in enumerate(self.ids)}
        try:
            return self._index[entity_id]
        except KeyError:
            raise NotFoundError(f"no entity with id {entity_id!r} in the graph") from None

    def kind_of(self, n: int) -> EntityKind | None:
        """The kind of node ``n`` (None for an untyped endpoint)."""
        code = self.kinds[n]
        return KINDS[code] if code != UNKNOWN_KIND else None

    def country_of(self, n: int) -> str | None:
        """The country stated for node ``n`` (None when none is)."""
        code = self.country[n] if len(self.country) else 0
        return self.country_names[code] if code else None

    def degree(self, n: int) -> int:
        """Number of distinct entities tied to node ``n``."""
        return self.indptr[n + 1] - self.indptr[n]

    def positions(self, n: int) -> range:
        """The CSR positions of node ``n``'s half-ties."""
        return range(self.indptr[n], self.indptr[n + 1])

    def neighbours(self, n: int) -> array:
        """Every entity tied to node ``n`` (unfiltered)."""
        return self.indices[self.indptr[n] : self.indptr[n + 1]]

    def tie_bits(self, n: int, pos: int) -> int:
        """All relation kinds on the half-tie at ``pos`` (from node ``n``)."""
        return self.out_bits[pos] | self.in_bits[pos]

    def dated_ties(self, a: int, b: int) -> tuple[DatedTie, ...]:
        """The dated relation instances between ``a`` and ``b``."""
        return self.dated.get((a, b) if a < b else (b, a), ())

    def view(
        self,
        *,
        relations: Iterable[RelationKind | str] | None = None,
        as_of: str | None = None,
        via_kinds: Iterable[EntityKind | str] | None = None,
        avoid_kinds: Iterable[EntityKind | str] | None = None,
    ) -> View:
        """A filtered view of this projection (no copy); see ``View``."""
        return View(self, relations=relations, as_of=as_of, via_kinds=via_kinds, avoid_kinds=avoid_kinds)

    def to_igraph(self) -> Any:
        """The same ties as an undirected igraph Graph (vertex i is node i), for C-speed algorithms."""
        import igraph
        import numpy as np

        src, dst = self.edge_arrays()
        return igraph.Graph(n=len(self), edges=np.column_stack([src, dst]) if len(src) else [])

    def edge_arrays(self) -> tuple[Any, Any]:
        """Each undirected tie once, as two numpy int arrays (lower int first)."""
        import numpy as np

        indptr = np.frombuffer(self.indptr, dtype=np.int64)
        dst = np.frombuffer(self.indices, dtype=np.int32).astype(np.int64)
        src = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(indptr))
        keep = src < dst
        return src[keep], dst[keep]

    def nbytes(self) -> int:
        """Approximate memory held by the arrays, ids and dated ties (bytes)."""
        arrays = sum(a.itemsize * len(a) for a in (self.indptr, self.indices, self.out_bits))
        arrays += sum(a.itemsize * len(a) for a in (self.in_bits, self.open_out, self.open_in))
        strings = sys.getsizeof(self.ids) + sum(sys.getsizeof(s) for s in self.ids)
        return arrays + strings + len(self.kinds) + 200 * len(self.dated)


class View:
    """The projection seen through filters: relation kinds, a date, kinds an entity may pass through.

    ``neighbours(n)`` yields the ties that pass the relation and date filters; ``passable(n)``
    says whether ``n`` may be an intermediate entity (path ends are always allowed — the
    algorithms exempt them). Nothing is copied: filters are checked as ties are read.
    """

    def __init__(
        self,
        proj: Projection,
        *,
        relations: Iterable[RelationKind | str] | None = None,
        as_of: str | None = None,
        via_kinds: Iterable[EntityKind | str] | None = None,
        avoid_kinds: Iterable[EntityKind | str] | None = None,
    ):
        self.proj = proj
        self.mask = relation_mask(relations)
        self.bounds = as_of_bounds(as_of) if as_of else None
        through = {kind_code(k) for k in via_kinds} if via_kinds else set(range(len(KINDS)))
        through -= {kind_code(k) for k in avoid_kinds or ()}
        if via_kinds is None:
            through.add(UNKNOWN_KIND)
        self._through = bytes(1 if code in through else 0 for code in range(256))
        self.filters_ties = self.mask != ALL_RELATIONS or self.bounds is not None
        self.filters_nodes = len(through) < len(KINDS) + 1

    def passable(self, n: int) -> bool:
        """Whether entity ``n`` may lie inside a path (its kind passes --via-kind/--avoid-kind)."""
        return bool(self._through[self.proj.kinds[n]])

    def tie_ok(self, n: int, pos: int) -> bool:
        """Whether the half-tie at ``pos`` (from ``n``) has a relation of an allowed kind, valid then."""
        p = self.proj
        bits = (p.out_bits[pos] | p.in_bits[pos]) & self.mask
        if not bits:
            return False
        if self.bounds is None or (p.open_out[pos] | p.open_in[pos]) & bits:
            return True
        out, into = self.valid_bits(n, pos)
        return bool(out | into)

    def valid_bits(self, n: int, pos: int) -> tuple[int, int]:
        """Relation kinds of the half-tie at ``pos`` that pass the filters: (``n`` as subject, as object)."""
        p = self.proj
        out, into = p.out_bits[pos] & self.mask, p.in_bits[pos] & self.mask
        if self.bounds is None:
            return out, into
        lo, hi = self.bounds
        valid_out, valid_in = p.open_out[pos] & out, p.open_in[pos] & into
        for d in p.dated_ties(n, p.indices[pos]):
            if d.first <= hi and d.last >= lo:
                if d.subject == n:
                    valid_out |= (1 << d.kind) & out
                else:
                    valid_in |= (1 << d.kind) & into
        return valid_out, valid_in

    def neighbours(self, n: int) -> Iterable[int]:
        """The entities tied to ``n`` through ties that pass the filters."""
        p = self.proj
        if not self.filters_ties:
            return p.indices[p.indptr[n] : p.indptr[n + 1]]
        return [p.indices[pos] for pos in p.positions(n) if self.tie_ok(n, pos)]

    def ties(self, n: int) -> Iterator[tuple[int, int]]:
        """(position, neighbour) of every half-tie of ``n`` that passes the filters."""
        p = self.proj
        for pos in p.positions(n):
            if not self.filters_ties or self.tie_ok(n, pos):
                yield pos, p.indices[pos]
