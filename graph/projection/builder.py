"""Packing entities and relation instances into a :class:`Projection`'s CSR arrays."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Any

from climatekg.graph.projection.structure import UNKNOWN_KIND, DatedTie, Projection, day_span


class Builder:
    """Collects nodes and relation instances under any key (IRI or id), then packs the CSR."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.keys: list[str] = []
        self.kinds = bytearray()
        self.subjects, self.objects = array("i"), array("i")
        self.relation, self.open = array("B"), array("B")
        self.dated: dict[tuple[int, int], set[DatedTie]] = {}
        self.countries: dict[str, str] = {}  # key → stated country

    def node(self, key: str, code: int) -> int:
        """The int of the node ``key`` (added with kind ``code`` if new)."""
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.kinds.append(code)
        return n

    def tie(
        self, s: str, o: str, kind: int, open_: bool, dates: Iterable[tuple[str | None, str | None]]
    ) -> None:
        """One relation instance of kind index ``kind`` from ``s`` to ``o``; ``open_`` when undated."""
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

    def pack(self, version: str, base: str, to_id: Callable[[str], str]) -> Projection:
        """The CSR projection of everything collected; ``to_id`` turns a key into an entity id."""
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
        order = np.argsort(key)  # equal keys are OR-ed together, so their order does not matter
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
            indptr=packed_array("q", indptr),
            indices=packed_array("i", w.astype(np.int32)),
            out_bits=packed_array("H", out_b.astype(np.uint16)),
            in_bits=packed_array("H", in_b.astype(np.uint16)),
            open_out=packed_array("H", open_out.astype(np.uint16)),
            open_in=packed_array("H", open_in.astype(np.uint16)),
            dated={pair: tuple(sorted(ties, key=_tie_order)) for pair, ties in self.dated.items()},
            **self._countries(),
        )

    def _countries(self) -> dict[str, Any]:
        """Each node's country as a code into a sorted list of names (code 0: none stated)."""
        names = ["", *sorted(set(self.countries.values()))]
        code = {name: i for i, name in enumerate(names)}
        codes = array("H", (code[self.countries[k]] if k in self.countries else 0 for k in self.keys))
        return {"country": codes, "country_names": names}


def _tie_order(d: DatedTie) -> tuple[int, int, str, str]:
    return d.kind, d.subject, d.first, d.last


def packed_array(typecode: str, values: Any) -> array:
    """A stdlib array of ``typecode`` holding a numpy array's values (same item size)."""
    out = array(typecode)
    out.frombytes(values.tobytes())
    return out
