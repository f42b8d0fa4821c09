"""Exports: RDF in every common format, and the network as GraphML, GEXF or an edge-list CSV.

A *publication* is a directory: ``export(kg, "all", Path("dist/"))`` (or any format with a
directory as ``out``) writes ``climatekg.<ext>`` dumps and, beside them, the metadata a linked-data
consumer needs: ``ontology.ttl``, ``shapes.ttl`` and ``void.ttl`` (VoID + DCAT + PROV, see
``description``). Metadata is the default for a directory because a dump without its
licence and provenance should not be published; a single file gets it only on request.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    import networkx as nx

from climatekg.app.publish.description import Dump, dataset_description, write_description
from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, rdf_store

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
#: Every RDF format, in the order a publication lists them ("all" means these).
RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "rdf")
DUMP_STEM = "climatekg"
METADATA_FILES = ("ontology.ttl", "shapes.ttl", "void.ttl")


def _is_directory(out: Path) -> bool:
    # Path() drops a trailing slash, so only an existing directory (or fmt "all") means a publication.
    return out.is_dir()


def export(
    kg: Store, fmt: str, out: Path, *, with_metadata: bool | None = None, download_base: str | None = None
) -> int:
    """Write the whole graph to ``out`` in ``fmt``; returns the number of triples or edges written.

    ``fmt`` may be ``all`` (every RDF format). When ``out`` is a directory (or ``fmt`` is
    ``all``) the dumps go into it as ``climatekg.<ext>`` and the metadata files are written
    beside them unless ``with_metadata`` is False; for a single file, metadata is written into
    the file's directory only when ``with_metadata`` is True.
    """
    if fmt != "all" and fmt not in FORMATS:
        raise ClimateKGError(f"unknown export format {fmt!r} (one of all, {', '.join(FORMATS)})")
    if fmt not in NETWORK_FORMATS:
        rdf_store(kg, "an RDF export")  # refused before any file is written
    if fmt == "all" or _is_directory(out):
        formats = RDF_FORMATS if fmt == "all" else (fmt,)
        return publish(
            kg, out, formats=formats, with_metadata=with_metadata is not False, download_base=download_base
        )
    if fmt in QUAD_FORMATS or fmt in TRIPLE_FORMATS:
        n = export_rdf(kg, fmt, out)
        if with_metadata:
            dumps = [_dump(out, fmt, download_base, kg)]
            write_metadata(kg, out.parent, dumps, download_base=download_base)
        return n
    return export_network(kg, fmt, out)  # the formats were checked above


def _base(download_base: str | None, kg: Store) -> str:
    """Where the dumps are published; file names are appended to it, so it ends with a slash."""
    base = download_base or f"{kg.base}dump/"
    return base if base.endswith("/") else base + "/"


def _dump(path: Path, ext: str, download_base: str | None, kg: Store) -> Dump:
    return Dump(ext, _base(download_base, kg) + path.name, path.stat().st_size)


def publish(
    kg: Store,
    out_dir: Path,
    *,
    formats: Sequence[str] = RDF_FORMATS,
    with_metadata: bool = True,
    download_base: str | None = None,
) -> int:
    """Write dumps ``climatekg.<ext>`` into ``out_dir`` (and the metadata); returns triples in the first.

    ``download_base`` is the URL the directory will be published at (for ``dcat:downloadURL`` and
    ``void:dataDump``); it defaults to ``{base IRI}dump/``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    counts, dumps = [], []
    for ext in formats:
        path = out_dir / f"{DUMP_STEM}.{ext}"
        counts.append(export(kg, ext, path))
        if ext in RDF_FORMATS:
            dumps.append(_dump(path, ext, download_base, kg))
    if with_metadata:
        write_metadata(kg, out_dir, dumps, download_base=download_base)
    return counts[0] if counts else 0


def write_metadata(
    kg: Store, out_dir: Path, dumps: Sequence[Dump], *, download_base: str | None = None
) -> list[Path]:
    """Write ``ontology.ttl``, ``shapes.ttl`` and ``void.ttl`` (VoID + DCAT + PROV) into ``out_dir``."""
    try:
        ontology, shapes = v.ontology_text(), v.shapes_text()
    except FileNotFoundError as exc:
        raise ClimateKGError(f"the installed package lacks its ontology or shapes: {exc}") from None
    base = _base(download_base, kg)
    paths = [out_dir / name for name in METADATA_FILES]
    paths[0].write_text(ontology, encoding="utf-8")
    paths[1].write_text(shapes, encoding="utf-8")
    triples = dataset_description(
        kg, dumps=dumps, ontology_url=base + "ontology.ttl", shapes_url=base + "shapes.ttl"
    )
    write_description(paths[2], triples, kg.base)
    return paths


def export_rdf(kg: Store, fmt: str, out: Path) -> int:
    """RDF with the project's prefixes declared; quads formats keep one named graph per source."""
    store = rdf_store(kg, "an RDF export").oxigraph()
    prefixes = v.prefixes(kg.base)
    if fmt in QUAD_FORMATS:
        items: Any = list(store.quads_for_pattern(None, None, None, None))
        rdf_format = QUAD_FORMATS[fmt]
    else:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        triples: Any = store.query(query, use_default_graph_as_union=True)
        items = list(triples)
        rdf_format = TRIPLE_FORMATS[fmt]
    with open(out, "wb") as f:
        if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            ox.serialize(items, f, rdf_format)
        else:
            ox.serialize(items, f, rdf_format, prefixes=prefixes)
    return len(items)


def network(kg: Store) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph with readable attributes (for file exports)."""
    import networkx as nx  # heavy: only for the network formats (the CLI starts without it)

    G = nx.MultiDiGraph()
    for e in kg.entities():
        # coordinates as lat/lon (Gephi's Geo Layout reads them), and the fields loaders read back
        extra = {
            "country": e.country,
            "lat": e.lat,
            "lon": e.lon,
            "population": e.population,
            "wikidata": e.wikidata,
        }
        fields = {k: val for k, val in extra.items() if val is not None}
        # the attributes no model field holds (region, mayor …), under their own keys, as text
        others = {k: val for k, val in e.attributes if k not in fields and k not in ("label", "kind")}
        G.add_node(e.id, label=e.label, kind=e.kind.value, **fields, **others)
    for r in kg.relations():
        attrs = {"kind": r.kind.value, "source": r.provenance.source, "status": r.provenance.status}
        attrs.update({k: val for k, val in (("start", r.start), ("end", r.end), ("role", r.role)) if val})
        G.add_edge(r.subject, r.object, key=r.id, **attrs)
    return G


def export_network(kg: Store, fmt: str, out: Path) -> int:
    """GraphML, GEXF, or an edge-list CSV that the ``edges`` loader reads back."""
    import networkx as nx

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
