"""Reading a store into a new projection: the embedded store through SPARQL, any other through
the ``Store`` protocol.

The embedded store is read with SPARQL queries (entity types, dated relation nodes, one per
relation property) whose results Oxigraph writes as TSV and pandas parses, so no Python code runs
per quad; the queries run side by side in threads, as Oxigraph releases the GIL while it answers.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.projection.builder import Builder, packed_array
from climatekg.graph.projection.structure import (
    KINDS,
    RELATIONS,
    UNKNOWN_KIND,
    DatedTie,
    Projection,
    day_span,
)
from climatekg.graph.store import Store, as_rdf_store


def build_projection(kg: Store, version: str | None = None) -> Projection:
    """Read every entity and relation of ``kg`` into a new projection (no caching), labelled
    ``version`` (the caller's ``kg.version()``, so it is computed once; asked for when None).

    A store that holds RDF (the embedded store) is read with SPARQL, as the module docstring
    says; any other store through the ``Store`` protocol.
    """
    version = kg.version() if version is None else version
    builder = Builder()
    rdf = as_rdf_store(kg)
    if rdf is not None:
        _read_oxigraph(rdf.oxigraph(), kg.base, builder)
        return builder.pack(version, kg.base, _same)
    return _build_from_records(kg, builder, version)


def build_projection_from_records(kg: Store) -> Projection:
    """The same projection read through the ``Store`` protocol only (slow; a reference for tests)."""
    return _build_from_records(kg, Builder(), kg.version())


def _same(key: str) -> str:
    return key


def _build_from_records(kg: Store, builder: Builder, version: str) -> Projection:
    for e in kg.entities():
        builder.node(e.id, KINDS.index(e.kind))
        if e.country:
            builder.countries[e.id] = e.country
    for r in kg.relations():
        dated = bool(r.start or r.end)
        builder.tie(
            r.subject, r.object, RELATIONS.index(r.kind), not dated, [(r.start, r.end)] if dated else []
        )
    return builder.pack(version, kg.base, _same)


def _read_oxigraph(store: ox.Store, base: str, builder: Builder) -> None:
    """Fill ``builder`` from the store: typed entities, then every relation triple between entities."""
    import numpy as np
    import pandas as pd

    start = "<" + v.entity_iri("", base)  # entity IRIs as the TSV writes them
    class_code = {f"<{v.KIND_CLASS[kind]}>": code for code, kind in enumerate(KINDS)}
    props = [f"<{v.RELATION_PROPERTY[kind]}>" for kind in RELATIONS]
    queries = [
        f"SELECT ?s ?c WHERE {{ VALUES ?c {{ {' '.join(class_code)} }} GRAPH ?g {{ ?s a ?c }} }}",
        _QUALIFIED.format(rdf=v.RDF, schema=v.SCHEMA, prefix=v.relation_iri("", base)),
        f"SELECT ?s ?c WHERE {{ GRAPH ?g {{ ?s <{v.SCHEMA}addressCountry> ?c }} }}",
        # one query per property is faster than one with VALUES
        *(f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s {prop} ?o }} }}" for prop in props),
    ]
    # Oxigraph releases the GIL while it answers, so the queries run side by side
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        types, qualified, countries, *frames = pool.map(partial(_select, store), queries)
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
    countries = countries[countries.s.str.startswith(start)]
    builder.countries = {
        s[len(start) : -1]: _literal_text(c) for s, c in zip(countries.s, countries.c, strict=True)
    }
    builder.kinds = bytearray(kinds.tobytes())
    builder.subjects = packed_array("i", subjects[~loop].astype(np.int32))
    builder.objects = packed_array("i", objects[~loop].astype(np.int32))
    builder.relation = packed_array("B", relation[~loop])
    builder.open = packed_array("B", opened[~loop])


def _select(store: ox.Store, query: str) -> Any:
    """A SELECT's results as a DataFrame of N-Triples terms (an unbound value is ``""``)."""
    import pandas as pd

    results: Any = store.query(query)
    data = results.serialize(format=ox.QueryResultsFormat.TSV)
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


def _literal_text(term: str) -> str:
    """The text of a TSV literal (``"Côte d\\'Ivoire"@fr``); N-Triples escapes are JSON's but ``\\'``."""
    body = term[: term.rindex('"') + 1]
    return json.loads(body.replace("\\'", "'")) if "\\" in body else body[1:-1]


def _lexical(term: str) -> str | None:
    """The lexical form of a TSV literal (dates need no unescaping), None when unbound."""
    return term[1 : term.rindex('"')] if term else None
