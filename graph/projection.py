"""The lean projection graph algorithms run on: compact int ids and an undirected CSR adjacency.

Every entity becomes an int (``ids[n]`` is its id, ``kinds[n]`` its kind code); every pair of
entities joined by at least one relation becomes one undirected tie, stored twice (once per end)
in CSR arrays. Each half-tie carries bit masks over ``RELATIONS``: kinds where this end is the
subject (``out_bits``) or the object (``in_bits``), and the same for instances that hold at every
date (``open_out``, ``open_in``); the rarer dated instances sit in ``dated``, keyed by the pair. That is enough to filter by relation kind, entity kind and date without a copy (``View``)
and to say which way a relation points; evidence stays in the store and is looked up only for
what a query returns.

The projection is built once per store version (``kg.version()``), kept in memory (one per
store object) and pickled to ``<home>/projection-<version>.pkl``, so a new process reuses it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import warnings
import weakref
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError, NotFoundError
from climatekg.graph.model import EntityKind, Relation, RelationKind, check_date, date_bounds

#: Kind codes: ``kinds[n]`` indexes this tuple; ``UNKNOWN_KIND`` marks an untyped endpoint.
KINDS: tuple[EntityKind, ...] = tuple(EntityKind)
UNKNOWN_KIND = 255
#: Relation bits: bit ``i`` of a mask is ``RELATIONS[i]``.
RELATIONS: tuple[RelationKind, ...] = tuple(RelationKind)
ALL_RELATIONS = (1 << len(RELATIONS)) - 1
#: Bumped whenever the pickled layout changes, so old cache files are rebuilt, not misread.
FORMAT = 2
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
        import sys

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


# ---- building ------------------------------------------------------------------------------


class _Builder:
    """Collects nodes and relation instances under any key (IRI or id), then packs the CSR."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.keys: list[str] = []
        self.kinds = bytearray()
        self.subjects, self.objects = array("i"), array("i")
        self.relation, self.open = array("B"), array("B")
        self.dated: dict[tuple[int, int], set[DatedTie]] = {}

    def node(self, key: str, code: int) -> int:
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.kinds.append(code)
        return n

    def tie(
        self, s: str, o: str, kind: int, open_: bool, dates: Iterable[tuple[str | None, str | None]]
    ) -> None:
        a, b = self.node(s, UNKNOWN_KIND), self.node(o, UNKNOWN_KIND)
        if a == b:
            return  # a self-loop joins nothing
        self.subjects.append(a)
        self.objects.append(b)
        self.relation.append(kind)
        self.open.append(1 if open_ else 0)
        for start, end in dates:
            first, last = day_span(start, end)
            pair = (a, b) if a < b else (b, a)
            self.dated.setdefault(pair, set()).add(DatedTie(kind, a, start, end, first, last))

    def pack(self, version: str, base: str, to_id: Any) -> Projection:
        import numpy as np

        n = len(self.keys)
        s = np.frombuffer(self.subjects, dtype=np.int32).astype(np.int64)
        o = np.frombuffer(self.objects, dtype=np.int32).astype(np.int64)
        bit = np.left_shift(1, np.frombuffer(self.relation, dtype=np.uint8).astype(np.int64))
        opened = bit * np.frombuffer(self.open, dtype=np.uint8)
        zero = np.zeros_like(bit)
        src, dst = np.concatenate([s, o]), np.concatenate([o, s])
        out_b, in_b = np.concatenate([bit, zero]), np.concatenate([zero, bit])
        open_out, open_in = np.concatenate([opened, zero]), np.concatenate([zero, opened])
        key = src * max(n, 1) + dst
        order = np.argsort(key, kind="stable")
        key = key[order]
        if len(key):
            first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
            out_b = np.bitwise_or.reduceat(out_b[order], first)
            in_b = np.bitwise_or.reduceat(in_b[order], first)
            open_out = np.bitwise_or.reduceat(open_out[order], first)
            open_in = np.bitwise_or.reduceat(open_in[order], first)
            key = key[first]
        u, w = key // max(n, 1), key % max(n, 1)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
        return Projection(
            version=version,
            base=base,
            ids=[to_id(k) for k in self.keys],
            kinds=bytes(self.kinds),
            indptr=_array("q", indptr),
            indices=_array("i", w.astype(np.int32)),
            out_bits=_array("H", out_b.astype(np.uint16)),
            in_bits=_array("H", in_b.astype(np.uint16)),
            open_out=_array("H", open_out.astype(np.uint16)),
            open_in=_array("H", open_in.astype(np.uint16)),
            dated={pair: tuple(sorted(ties, key=_tie_order)) for pair, ties in self.dated.items()},
        )


def _tie_order(d: DatedTie) -> tuple[int, int, str, str]:
    return d.kind, d.subject, d.first, d.last


def _array(typecode: str, values: Any) -> array:
    out = array(typecode)
    out.frombytes(values.tobytes())
    return out


def build_projection(kg: Any) -> Projection:
    """Read every entity and relation of ``kg`` into a new projection (no caching).

    The embedded store is read with SPARQL queries (entity types, dated relation nodes, one per
    relation property) whose results Oxigraph writes as TSV and pandas parses, so no Python code
    runs per quad; any other store is read through the ``Store`` protocol.
    """
    version = kg.version()
    builder = _Builder()
    if hasattr(kg, "oxigraph"):
        _read_oxigraph(kg.oxigraph(), kg.base, builder)
        return builder.pack(version, kg.base, lambda key: key)
    return _build_from_records(kg, builder, version)


def build_projection_from_records(kg: Any) -> Projection:
    """The same projection read through the ``Store`` protocol only (slow; a reference for tests)."""
    return _build_from_records(kg, _Builder(), kg.version())


def _build_from_records(kg: Any, builder: _Builder, version: str) -> Projection:
    for e in kg.entities():
        builder.node(e.id, KINDS.index(e.kind))
    for r in kg.relations():
        dated = bool(r.start or r.end)
        builder.tie(
            r.subject, r.object, RELATIONS.index(r.kind), not dated, [(r.start, r.end)] if dated else []
        )
    return builder.pack(version, getattr(kg, "base", v.base_iri()), lambda key: key)


def _read_oxigraph(store: Any, base: str, builder: _Builder) -> None:
    """Fill ``builder`` from the store: typed entities, then every relation triple between entities."""
    import numpy as np
    import pandas as pd

    start = "<" + v.entity_iri("", base)  # entity IRIs as the TSV writes them
    class_code = {f"<{v.KIND_CLASS[kind]}>": code for code, kind in enumerate(KINDS)}
    props = [f"<{v.RELATION_PROPERTY[kind]}>" for kind in RELATIONS]
    queries = [
        f"SELECT ?s ?c WHERE {{ VALUES ?c {{ {' '.join(class_code)} }} GRAPH ?g {{ ?s a ?c }} }}",
        _QUALIFIED.format(rdf=v.RDF, schema=v.SCHEMA, prefix=v.relation_iri("", base)),
        # one query per property is faster than one with VALUES
        *(f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s {prop} ?o }} }}" for prop in props),
    ]
    # Oxigraph releases the GIL while it answers, so the queries run side by side
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        types, qualified, *frames = pool.map(partial(_select, store), queries)
    types = types[types.s.str.startswith(start)]
    type_codes = types.c.map(class_code).to_numpy(np.uint8)
    order = np.argsort(type_codes, kind="stable")  # an id typed twice keeps the first kind in KINDS order
    frames = [
        frame.assign(p=prop, code=code) for code, (prop, frame) in enumerate(zip(props, frames, strict=True))
    ]
    rels = pd.concat(frames, ignore_index=True)
    rels = rels[rels.s.str.startswith(start) & rels.o.str.startswith(start)].reset_index(drop=True)
    codes, uniques = pd.factorize(pd.concat([types.s.iloc[order], rels.s, rels.o], ignore_index=True))
    kinds = np.full(len(uniques), UNKNOWN_KIND, dtype=np.uint8)
    typed, first = np.unique(codes[: len(order)], return_index=True)
    kinds[typed] = type_codes[order][first]
    m = len(rels)
    subjects, objects = codes[len(order) : len(order) + m], codes[len(order) + m :]
    relation = rels.code.to_numpy(np.uint8)
    opened = np.ones(m, dtype=np.uint8)
    dated = _dated_instances(qualified)
    if dated:
        # keys only for rows whose subject has a dated relation: far fewer strings to build
        maybe = np.flatnonzero(rels.s.isin({key.split(" ", 1)[0] for key in dated}).to_numpy())
        rows = rels.iloc[maybe]
        for i, key in zip(maybe, rows.s + " " + rows.p + " " + rows.o + " " + rows.g, strict=True):
            instances = dated.get(key)
            if instances is None:
                continue
            a, b = int(subjects[i]), int(objects[i])
            if a == b:
                continue  # a self-loop is dropped below
            opened[i] = instances.has_open
            pair = (a, b) if a < b else (b, a)
            for first_day, last_day, start_, end_ in instances.spans():
                tie = DatedTie(int(relation[i]), a, start_, end_, first_day, last_day)
                builder.dated.setdefault(pair, set()).add(tie)
    loop = subjects == objects  # a self-loop joins nothing (its entity is still a node)
    builder.keys = [iri[len(start) : -1] for iri in uniques]
    builder.kinds = bytearray(kinds.tobytes())
    builder.subjects = _array("i", subjects[~loop].astype(np.int32))
    builder.objects = _array("i", objects[~loop].astype(np.int32))
    builder.relation = _array("B", relation[~loop])
    builder.open = _array("B", opened[~loop])


def _select(store: Any, query: str) -> Any:
    """A SELECT's results as a DataFrame of N-Triples terms (an unbound value is ``""``)."""
    import csv
    import io

    import pandas as pd
    import pyoxigraph as ox

    data = store.query(query).serialize(format=ox.QueryResultsFormat.TSV)
    frame = pd.read_csv(
        io.BytesIO(data), sep="\t", dtype=str, quoting=csv.QUOTE_NONE, na_filter=False, engine="c"
    )
    return frame.rename(columns=lambda name: name.lstrip("?"))


@dataclass
class _Instances:
    """The dated instances of one (subject, property, object, graph), and whether an undated one exists."""

    dates: set[tuple[str | None, str | None]] = field(default_factory=set)
    has_open: bool = False

    def spans(self) -> Iterator[tuple[str, str, str | None, str | None]]:
        for start, end in self.dates:
            yield (*day_span(start, end), start, end)


# Qualified relation nodes: the direct triple and graph they qualify, their dates, and whether the
# node is one of this project's (only those carry dates; others can still state an undated instance).
_QUALIFIED = """SELECT ?s ?p ?o ?g ?start ?end ?ours WHERE {{ GRAPH ?g {{
    ?r <{rdf}subject> ?s ; <{rdf}predicate> ?p ; <{rdf}object> ?o .
    OPTIONAL {{ ?r <{schema}startDate> ?start }} OPTIONAL {{ ?r <{schema}endDate> ?end }}
    BIND(IF(STRSTARTS(STR(?r), "{prefix}"), "y", "n") AS ?ours) }} }}"""


def _dated_instances(rows: Any) -> dict[str, _Instances]:
    """The dated instances of each direct triple and graph ("s p o g"), from ``_QUALIFIED``'s rows.

    A direct triple also holds at every date when its graph has a qualified node for it
    without dates.
    """
    keys = rows.s + " " + rows.p + " " + rows.o + " " + rows.g
    has_date = (rows.start != "") | (rows.end != "")
    ours = has_date & (rows.ours == '"y"')  # only this project's relation nodes carry dates
    found: dict[str, _Instances] = {}
    for key, start, end in zip(keys[ours], rows.start[ours], rows["end"][ours], strict=True):
        found.setdefault(key, _Instances()).dates.add((_lexical(start), _lexical(end)))
    for key in keys[~has_date & keys.isin(found.keys())]:
        found[key].has_open = True
    return found


def _lexical(term: str) -> str | None:
    """The lexical form of a TSV literal (dates need no unescaping), None when unbound."""
    return term[1 : term.rindex('"')] if term else None


# ---- caching -------------------------------------------------------------------------------

_MEMORY: weakref.WeakKeyDictionary[Any, Projection] = weakref.WeakKeyDictionary()


def projection(kg: Any) -> Projection:
    """The projection of ``kg``'s current data: from memory, else the store home's cache file, else built.

    One projection is held per store object; a change to the store (a new ``kg.version()``)
    replaces it, and the cache file of the old version is removed.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> proj = projection(bundled_store())
        >>> proj.kind_of(proj.index_of("city/shenzhen"))
        <EntityKind.CITY: 'City'>
        >>> projection(bundled_store()) is proj
        True
    """
    version = kg.version()
    base = getattr(kg, "base", v.base_iri())
    held = _MEMORY.get(kg)
    if held is not None and held.version == version and held.base == base:
        return held
    home = getattr(kg, "home", None)
    path = Path(home) / f"projection-{version}.pkl" if home is not None else None
    proj = _read_cache(path, version, base) if path is not None else None
    if proj is None:
        proj = build_projection(kg)
        if path is not None:
            _write_cache(proj, path)
    _MEMORY[kg] = proj
    return proj


def is_cached(kg: Any) -> bool:
    """Whether ``projection(kg)`` would be quick (held in memory or in a cache file)."""
    version = kg.version()
    held = _MEMORY.get(kg)
    if held is not None and held.version == version:
        return True
    home = getattr(kg, "home", None)
    return home is not None and (Path(home) / f"projection-{version}.pkl").exists()


def _read_cache(path: Path, version: str, base: str) -> Projection | None:
    try:
        with open(path, "rb") as f:
            # the file is one this library wrote into the user's own store home
            proj = pickle.load(f)  # noqa: S301
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
        warnings.warn(f"ignoring unreadable projection cache {path}: {exc}", stacklevel=3)
        return None
    fits = isinstance(proj, Projection) and proj.format == FORMAT
    return proj if fits and proj.version == version and proj.base == base else None


def _write_cache(proj: Projection, path: Path) -> None:
    """Write atomically, then drop cache files of other versions; a read-only home only warns."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".projection-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(proj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        warnings.warn(f"could not cache the projection in {path.parent}: {exc}", stacklevel=3)
        return
    for old in path.parent.glob("projection-*.pkl"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
