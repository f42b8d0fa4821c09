"""Atomic replacement of one source's named graph in an Oxigraph store.

Why not "drop, then load": a failure or a kill in between left no source at all, and readers
saw the source missing for the whole load. Here the old graph stays until the new content is
completely written, and the switch is one Oxigraph transaction:

- a source seen for the first time is bulk-loaded into its graph and its load record
  (``load_record``, ending with the ``ckg:digest`` statement) is written last, in a transaction
  of its own; a graph without that record is an interrupted first load, invisible to
  ``sources()`` and removed on the next writable open (``clean_interrupted``);
- a source already stored is replaced by its difference: the new content is parsed into a
  scratch in-memory store, compared with the stored graph, and the statements to remove and
  to add go to Oxigraph in one SPARQL update, which Oxigraph runs as one transaction. A reload
  changes few statements (the load record, edited rows), so the transaction stays small;
  blank-node statements cannot be named in ``DELETE DATA`` and are replaced as a whole.

``FAULT`` is a test hook: called with the name of each step, it may raise or kill the process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.store import timestamp

#: Called with a step name before each write step (tests inject faults here); None in use.
FAULT: Callable[[str], None] | None = None

#: The statement every complete source graph holds about itself, written last.
RECORD = ox.NamedNode(v.CKG + "digest")

Files = list[tuple[Path, ox.RdfFormat]]


def load_record(graph: str, source: str, loader: str, digest: str, count: int) -> list[str]:
    """What a source's graph says about its own load, as N-Triples statements; ``RECORD`` last."""
    fields = [
        (v.CKG + "triples", m.lit(str(count), datatype=v.XSD + "integer")),
        (v.PROV + "wasDerivedFrom", m.iri(source)),
        (v.PROV + "generatedAtTime", m.lit(timestamp(), datatype=v.XSD + "dateTime")),
        (v.CKG + "loader", m.lit(loader)),
        (RECORD.value, m.lit(digest)),
    ]
    return [f"{m.iri(graph)} {m.iri(p)} {o}" for p, o in fields]


#: How many statements a load record holds (the Neo4j store counts them in a source's size).
LOAD_RECORD_QUADS = len(load_record("urn:graph", "urn:source", "", "", 0))


def _step(name: str) -> None:
    if FAULT is not None:
        FAULT(name)


def is_complete(store: ox.Store, graph: ox.NamedNode) -> bool:
    """Whether ``graph`` holds its load record (a first load that was interrupted does not)."""
    return any(True for _ in store.quads_for_pattern(graph, RECORD, None, graph))


def replace_graph(store: ox.Store, graph: ox.NamedNode, data: Files, record: Files, *, bulk: bool) -> None:
    """Make ``graph`` hold exactly the statements of ``data`` and ``record``, all or nothing."""
    if store.contains_named_graph(graph) and is_complete(store, graph):
        _swap(store, graph, [*data, *record])
        return
    if store.contains_named_graph(graph):
        store.remove_graph(graph)  # left by an interrupted first load
    _step("first-load")
    for path, fmt in data:
        if bulk:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph, lenient=True)
        else:
            store.load(path=str(path), format=fmt, to_graph=graph)
        _step("first-load-data")
    for path, fmt in record:  # the record last: with it, the graph is complete
        store.load(path=str(path), format=fmt, to_graph=graph)
    _step("first-load-record")


def _swap(store: ox.Store, graph: ox.NamedNode, files: Files) -> None:
    new = ox.Store()  # in memory: invisible to every other reader of the store
    for path, fmt in files:
        new.bulk_load(path=str(path), format=fmt, to_graph=graph, lenient=True)
    _step("staged")
    old_blank = False
    removed: list[ox.Triple] = []
    for q in store.quads_for_pattern(None, None, None, graph):
        if _blank(q):
            old_blank = True
        elif q not in new:
            removed.append(q.triple)
    added = [q.triple for q in new if _blank(q) or q not in store]
    g = f"<{graph.value}>"
    parts = []
    if removed:
        parts.append(f"DELETE DATA {{ GRAPH {g} {{ {_ntriples(removed)} }} }}")
    if old_blank:
        parts.append(
            f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH {g} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"
        )
    if added:
        parts.append(f"INSERT DATA {{ GRAPH {g} {{ {_ntriples(added)} }} }}")
    _step("swap")
    if parts:
        store.update(" ;\n".join(parts))
    _step("swapped")


def _blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def _ntriples(triples: Iterable[ox.Triple]) -> str:
    # Oxigraph's own serialiser escapes every term; N-Triples is valid inside SPARQL's DATA blocks
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def clean_interrupted(store: ox.Store, home: Path, base: str) -> list[str]:
    """Remove what an interrupted load left: temporary files and incomplete source graphs.

    Called when the store is opened for writing (only one writer can hold it open).
    Returns what was removed, for the log.
    """
    removed = []
    for leftover in sorted(home.glob("tmp*.nt")):
        leftover.unlink(missing_ok=True)
        removed.append(leftover.name)
    for g in list(store.named_graphs()):
        if isinstance(g, ox.NamedNode) and g.value.startswith(base + "graph/") and not is_complete(store, g):
            store.remove_graph(g)
            removed.append(g.value)
    return removed
