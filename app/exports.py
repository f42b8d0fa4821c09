"""Exports: RDF in every common format, and the network as GraphML, GEXF or an edge-list CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError

#: Formats that keep named graphs (one per source) and those that flatten to the union graph.
QUAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
TRIPLE_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}
NETWORK_FORMATS = ("graphml", "gexf", "csv")
FORMATS = (*QUAD_FORMATS, *TRIPLE_FORMATS, *NETWORK_FORMATS)


def export(kg: Any, fmt: str, out: Path) -> int:
    """Write the whole graph to ``out`` in ``fmt``; returns the number of triples or edges written."""
    if fmt in QUAD_FORMATS or fmt in TRIPLE_FORMATS:
        return export_rdf(kg, fmt, out)
    if fmt in NETWORK_FORMATS:
        return export_network(kg, fmt, out)
    raise ClimateKGError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def export_rdf(kg: Any, fmt: str, out: Path) -> int:
    """RDF with the project's prefixes declared; quads formats keep one named graph per source."""
    store: ox.Store = kg.oxigraph()
    prefixes = {**v.PREFIXES, "id": v.entity_iri("", kg.base)}
    if fmt in QUAD_FORMATS:
        items: Any = list(store.quads_for_pattern(None, None, None, None))
        rdf_format = QUAD_FORMATS[fmt]
    else:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        items = list(store.query(query, use_default_graph_as_union=True))
        rdf_format = TRIPLE_FORMATS[fmt]
    with open(out, "wb") as f:
        if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            ox.serialize(items, f, rdf_format)
        else:
            ox.serialize(items, f, rdf_format, prefixes=prefixes)
    return len(items)


def network(kg: Any) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph with readable attributes (for file exports)."""
    G = nx.MultiDiGraph()
    for e in kg.entities():
        G.add_node(e.id, label=e.label, kind=e.kind.value, **({"country": e.country} if e.country else {}))
    for r in kg.relations():
        attrs = {"kind": r.kind.value, "source": r.provenance.source, "status": r.provenance.status}
        attrs.update({k: val for k, val in (("start", r.start), ("end", r.end), ("role", r.role)) if val})
        G.add_edge(r.subject, r.object, key=r.id, **attrs)
    return G


def export_network(kg: Any, fmt: str, out: Path) -> int:
    """GraphML, GEXF, or an edge-list CSV that the ``edges`` loader reads back."""
    G = network(kg)
    if fmt == "graphml":
        nx.write_graphml(G, out)
    elif fmt == "gexf":
        nx.write_gexf(G, out)
    else:
        with open(out, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(
                ["source", "target", "kind", "source_kind", "target_kind", "start", "end", "role", "evidence"]
            )
            for s, o, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])):
                w.writerow(
                    [
                        G.nodes[s]["label"],
                        G.nodes[o]["label"],
                        d["kind"],
                        G.nodes[s]["kind"],
                        G.nodes[o]["kind"],
                        d.get("start", ""),
                        d.get("end", ""),
                        d.get("role", ""),
                        d["source"],
                    ]
                )
    return G.number_of_edges()
