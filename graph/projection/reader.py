"""Reading a store into a new projection: the embedded store through SPARQL, any other through
the ``Store`` protocol.

The embedded store is read with SPARQL queries (entity types, dated relation nodes, one per
relation property) whose results Oxigraph writes as TSV and pandas parses, so no Python code runs
per quad; the queries run side by side in threads, as Oxigraph releases the GIL while it answers.
"""

from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
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
from climatekg.graph.terms import literal_text


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
    """Fill ``builder`` from the store: typed entities, then every relation triple between entities.

    Relation rows carry no graph (one row per graph holding the triple): Oxigraph spends its time
    writing out terms, and a third of them were graph names. Only the qualified nodes keep theirs,
    to tell, per triple, whether some graph states it without dates (see ``_open_and_dated``).
    """
    import numpy as np
    import pandas as pd

    start = "<" + v.entity_iri("", base)  # entity IRIs as the TSV writes them
    props = [f"<{v.RELATION_PROPERTY[kind]}>" for kind in RELATIONS]
    queries = [
        _QUALIFIED.format(rdf=v.RDF, schema=v.SCHEMA),  # noqa: RUF027
        f"SELECT ?s ?c WHERE {{ GRAPH ?g {{ ?s <{v.SCHEMA}addressCountry> ?c }} }}",
        # one query per property (and per class) is faster than one with VALUES
        *(f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s {prop} ?o }} }}" for prop in props),
        *(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s a <{v.KIND_CLASS[kind]}> }} }}" for kind in KINDS),
    ]
    # Oxigraph releases the GIL while it answers, so the queries run side by side
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        qualified, countries, *frames = pool.map(partial(_select, store), queries)
    typed = frames[len(props) :]
    # in KINDS order, so an id typed twice keeps the first kind in KINDS order
    types = pd.concat(typed, ignore_index=True)
    type_codes = np.repeat(np.arange(len(KINDS), dtype=np.uint8), [len(t) for t in typed])
    ours = types.s.str.startswith(start).to_numpy()
    types, type_codes = types[ours], type_codes[ours]
    rels = pd.concat(frames[: len(props)], ignore_index=True)
    relation = np.repeat(np.arange(len(props), dtype=np.uint8), [len(f) for f in frames[: len(props)]])
    between = (rels.s.str.startswith(start) & rels.o.str.startswith(start)).to_numpy()
    rels, relation = rels[between], relation[between]
    prop_code = {prop: code for code, prop in enumerate(props)}
    qualified = qualified[
        qualified.p.isin(prop_code.keys())
        & qualified.s.str.startswith(start)
        & qualified.o.str.startswith(start)
    ]
    t, m, q = len(types), len(rels), len(qualified)
    codes, uniques = pd.factorize(
        pd.concat([types.s, rels.s, rels.o, qualified.s, qualified.o], ignore_index=True)
    )
    kinds = np.full(len(uniques), UNKNOWN_KIND, dtype=np.uint8)
    found, first = np.unique(codes[:t], return_index=True)
    kinds[found] = type_codes[first]
    subjects, objects = codes[t : t + m], codes[t + m : t + 2 * m]
    n = max(len(uniques), 1)
    width = len(props) + 1
    row_keys = (subjects.astype(np.int64) * n + objects) * width + relation
    q_codes = qualified.p.map(prop_code).to_numpy(np.int64)
    q_keys = (
        codes[t + 2 * m : t + 2 * m + q].astype(np.int64) * n + codes[t + 2 * m + q :]
    ) * width + q_codes
    opened = np.ones(m, dtype=np.uint8)
    relation_nodes = "<" + v.relation_iri("", base)
    _open_and_dated(qualified, relation_nodes, (q_keys, row_keys), width, n, opened, builder)
    loop = subjects == objects  # a self-loop joins nothing (its entity is still a node)
    builder.keys = [iri[len(start) : -1] for iri in uniques]
    countries = countries[countries.s.str.startswith(start)]
    builder.countries = {
        s[len(start) : -1]: literal_text(c) for s, c in zip(countries.s, countries.c, strict=True)
    }
    builder.kinds = bytearray(kinds.tobytes())
    builder.subjects = packed_array("i", subjects[~loop].astype(np.int32))
    builder.objects = packed_array("i", objects[~loop].astype(np.int32))
    builder.relation = packed_array("B", relation[~loop])
    builder.open = packed_array("B", opened[~loop])


def _open_and_dated(
    qualified: Any, prefix: str, keys: tuple[Any, Any], width: int, n: int, opened: Any, builder: Builder
) -> None:
    """Mark which relation rows have an undated instance (``opened``) and collect the dated ones.

    A triple with dated qualified nodes (this project's) holds at every date when it sits in
    more graphs than those holding its dated nodes, or when one of those graphs also has an
    undated qualified node for it. ``keys`` number each (subject, object, kind) of the qualified
    rows and of the relation rows; ``prefix`` starts this project's relation node IRIs.
    """
    import numpy as np

    q_keys, row_keys = keys

    has_date = ((qualified.start != "") | (qualified["end"] != "")).to_numpy()
    ours = has_date & qualified.r.str.startswith(prefix).to_numpy()  # only our relation nodes carry dates
    dated: dict[int, dict[str, set[tuple[str | None, str | None]]]] = {}
    for key, g, start, end in zip(
        q_keys[ours].tolist(), qualified.g[ours], qualified.start[ours], qualified["end"][ours], strict=True
    ):
        dated.setdefault(key, {}).setdefault(g, set()).add((_lexical(start), _lexical(end)))
    if not dated:
        return
    wanted = np.fromiter(dated, dtype=np.int64, count=len(dated))
    undated = ~has_date & np.isin(q_keys, wanted)  # only undated nodes of a dated triple matter
    has_open = {
        key for key, g in zip(q_keys[undated].tolist(), qualified.g[undated], strict=True) if g in dated[key]
    }
    rows = np.flatnonzero(np.isin(row_keys, wanted))
    present, graphs = np.unique(row_keys[rows], return_counts=True)
    in_graphs = dict(zip(present.tolist(), graphs.tolist(), strict=True))
    for i, key in zip(rows.tolist(), row_keys[rows].tolist(), strict=True):
        opened[i] = in_graphs[key] > len(dated[key]) or key in has_open
    for key in present.tolist():
        a, rest = divmod(key, width * n)
        b, kind = divmod(rest, width)
        if a == b:
            continue  # a self-loop is dropped
        pair = (a, b) if a < b else (b, a)
        for dates in dated[key].values():
            for start_, end_ in dates:
                first_day, last_day = day_span(start_, end_)
                builder.dated.setdefault(pair, set()).add(
                    DatedTie(kind, a, start_, end_, first_day, last_day)
                )


def _select(store: ox.Store, query: str) -> Any:
    """A SELECT's results as a DataFrame of N-Triples terms (an unbound value is ``""``)."""
    import pandas as pd

    results: Any = store.query(query)
    data = results.serialize(format=ox.QueryResultsFormat.TSV)
    frame = pd.read_csv(
        io.BytesIO(data), sep="\t", dtype=str, quoting=csv.QUOTE_NONE, na_filter=False, engine="c"
    )
    return frame.rename(columns=lambda name: name.lstrip("?"))


# Qualified relation nodes of a direct triple in their graph (which must hold the triple itself),
# with their dates; ?r tells this project's nodes (only those carry dates) from others.
_QUALIFIED = """SELECT ?s ?p ?o ?g ?start ?end ?r WHERE {{ GRAPH ?g {{
    ?r <{rdf}subject> ?s ; <{rdf}predicate> ?p ; <{rdf}object> ?o . ?s ?p ?o .
    OPTIONAL {{ ?r <{schema}startDate> ?start }} OPTIONAL {{ ?r <{schema}endDate> ?end }} }} }}"""


def _lexical(term: str) -> str | None:
    """The lexical form of a TSV literal (dates need no unescaping), None when unbound."""
    return term[1 : term.rindex('"')] if term else None
