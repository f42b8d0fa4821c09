"""Describing the published dataset: VoID statistics, DCAT distributions, PROV per source, SD.

- **VoID**: the dataset (``{base}dataset``) with ``void:triples`` (distinct triples of the union
  graph, which is what the triple-format dumps hold), ``void:entities`` (typed model entities),
  class and property partitions, ``void:uriSpace``, ``void:vocabulary``, ``void:dataDump`` per
  dump file and ``void:sparqlEndpoint`` when served; one ``void:subset`` per source graph.
- **DCAT**: the same resource is a ``dcat:Dataset`` with one ``dcat:Distribution`` per dump
  (``dcat:mediaType``, ``dcat:downloadURL``, ``dcat:byteSize``), ``dcterms:issued``/``modified``
  and, when served, a ``dcat:DataService`` for the endpoint.
- **PROV**: each named graph (one per source) ``prov:wasDerivedFrom`` its source and
  ``prov:generatedAtTime`` its load time (both as stored by the loader).
- **Licences**: each subset repeats its source's licence statement (``dcterms:rights``, the
  literal the loader stored) and, when that statement names a licence we recognise,
  ``dcterms:license`` with the licence's IRI. The dataset-level statement is derived, not
  asserted: with a share-alike source in the mix (Wikipedia's CC BY-SA 4.0) the combined dumps
  are offered under that licence; when a source states no licence, no dataset-level
  ``dcterms:license`` is claimed and ``dcterms:rights`` says which sources are unstated.
- **SPARQL Service Description** for the endpoint (``service_description``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.store import Store, rdf_store

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
IANA = "https://www.iana.org/assignments/media-types/"

#: Licence statements we recognise (checked in order, first mention in the text wins).
LICENCES = {
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODC PDDL": "https://opendatacommons.org/licenses/pddl/1-0/",
    "ODbL": "https://opendatacommons.org/licenses/odbl/1-0/",
    "Apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
    "MIT": "https://opensource.org/license/mit",
}
SHARE_ALIKE = {LICENCES["CC BY-SA 4.0"], LICENCES["ODbL"]}

#: Dump file extension → (media type, SD/formats IRI, title).
DUMP_TYPES = {
    "ttl": ("text/turtle", FORMATS + "Turtle", "Turtle"),
    "nt": ("application/n-triples", FORMATS + "N-Triples", "N-Triples"),
    "nq": ("application/n-quads", FORMATS + "N-Quads", "N-Quads (one named graph per source)"),
    "trig": ("application/trig", FORMATS + "TriG", "TriG (one named graph per source)"),
    "jsonld": ("application/ld+json", FORMATS + "JSON-LD", "JSON-LD"),
    "rdf": ("application/rdf+xml", FORMATS + "RDF_XML", "RDF/XML"),
}

TITLE = "climatekg: cities, clean technologies and organisations in low-carbon transitions"
DESCRIPTION = (
    "A knowledge graph of the cities, clean technologies and organisations that work together on "
    "low-carbon transitions: agreements, memberships and partnerships with their evidence. "
    "One named graph per source."
)


def licence_iri(statement: str | None) -> str | None:
    """The IRI of the licence a free-text statement names first, if we recognise it.

    >>> licence_iri("CC BY-SA 4.0 (Wikipedia contributors); collection MIT (Hekman/twincities)")
    'https://creativecommons.org/licenses/by-sa/4.0/'
    >>> licence_iri("all rights reserved") is None
    True
    """
    if not statement:
        return None
    text = statement.casefold()
    hits = [(text.find(name.casefold()), iri) for name, iri in LICENCES.items() if name.casefold() in text]
    return min(hits)[1] if hits else None


@dataclass(frozen=True)
class SourceGraph:
    """One loaded source as its named graph: size, load time and the source's own statements."""

    id: str
    graph: str
    source: str
    triples: int
    generated: str | None
    title: str | None
    licence: str | None
    url: str | None
    publisher: str | None


@dataclass(frozen=True)
class Dump:
    """One dump file of a publication: its extension, where it will be downloaded from, its size."""

    ext: str
    url: str
    size: int | None = None


def _one(store: ox.Store, s: ox.NamedNode, p: str, g: ox.NamedNode | None = None) -> str | None:
    for q in store.quads_for_pattern(s, ox.NamedNode(p), None, g):
        return str(getattr(q.object, "value", q.object))
    return None


def source_graphs(kg: Store, base: str | None = None) -> list[SourceGraph]:
    """Every source graph with what PROV and licensing need."""
    store = rdf_store(kg, "the dataset description").oxigraph()
    base = base or kg.base
    out = []
    for g in store.named_graphs():
        if not isinstance(g, ox.NamedNode) or not g.value.startswith(base + "graph/"):
            continue
        sid = g.value[len(base + "graph/") :]
        src = ox.NamedNode(_one(store, g, v.PROV + "wasDerivedFrom", g) or v.source_iri(sid, base))
        size = _one(store, g, v.CKG + "triples", g)
        out.append(
            SourceGraph(
                id=sid,
                graph=g.value,
                source=src.value,
                triples=int(size) if size else sum(1 for _ in store.quads_for_pattern(None, None, None, g)),
                generated=_one(store, g, v.PROV + "generatedAtTime", g),
                title=_one(store, src, v.DCTERMS + "title", g),
                licence=_one(store, src, v.DCTERMS + "license", g),
                url=_one(store, src, v.SCHEMA + "url", g),
                publisher=_one(store, src, v.DCTERMS + "publisher", g),
            )
        )
    return sorted(out, key=lambda s: s.id)


def dataset_licence(sources: Sequence[SourceGraph]) -> tuple[str | None, str]:
    """The dataset-level licence IRI (or None) and a plain statement of why.

    >>> s = SourceGraph("a", "g", "s", 1, None, None, "CC BY-SA 4.0", None, None)
    >>> dataset_licence([s])[0]
    'https://creativecommons.org/licenses/by-sa/4.0/'
    """
    per = [(s, licence_iri(s.licence)) for s in sources]
    unstated = [s.id for s, iri in per if iri is None]
    iris = {iri for _, iri in per if iri}
    listing = "; ".join(f"{s.id}: {s.licence or 'no licence stated'}" for s in sources)
    if unstated:
        return None, (
            "Combines sources under different terms and no single licence is claimed: "
            f"{', '.join(unstated)} state no licence we can name. Per source: {listing}."
        )
    if len(iris) == 1:
        return iris.pop(), f"Every source is under the same licence. Per source: {listing}."
    share_alike = iris & SHARE_ALIKE
    if len(share_alike) == 1:
        iri = share_alike.pop()
        return iri, (
            "Combines sources under different licences; the dumps include share-alike material, "
            f"so the combined data is offered under {iri} and each source's attribution applies. "
            f"Per source: {listing}."
        )
    return None, f"Combines sources under different licences; use each subset under its own. {listing}."


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str | int, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=_n(datatype))
    return ox.Literal(str(value))


def _datetime(text: str) -> ox.Literal:
    return _lit(text, v.XSD + "dateTime")


class _Triples:
    """A small builder: ``add(s, p, o)`` with plain strings for IRIs."""

    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(self, s: ox.NamedNode | ox.BlankNode | str, p: str, o: Any) -> None:
        subject = _n(s) if isinstance(s, str) else s
        obj = _n(o) if isinstance(o, str) else o
        self.items.append(ox.Triple(subject, _n(p), obj))


def _count(store: ox.Store, query: str) -> Iterator[tuple[str, int]]:
    rows: Any = store.query(query, use_default_graph_as_union=True)
    for row in rows:
        yield row[0].value if row[0] is not None else "", int(row[1].value)


def statistics(kg: Store) -> dict[str, Any]:
    """VoID numbers over the union graph: triples, entities, class and property partitions."""
    store = rdf_store(kg, "the dataset description").oxigraph()
    classes = " ".join(f"<{c}>" for c in v.CLASS_KIND)
    by_class = dict(
        _count(store, "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c ORDER BY ?c")
    )
    by_property = dict(
        _count(
            store,
            "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
            "GROUP BY ?p ORDER BY ?p",
        )
    )
    entities = next(
        iter(
            _count(
                store,
                f"SELECT ('' AS ?x) (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}",
            )
        ),
        ("", 0),
    )[1]
    return {
        "triples": sum(by_property.values()),
        "entities": entities,
        "classes": by_class,
        "properties": by_property,
    }


def dataset_description(
    kg: Store,
    *,
    dumps: Iterable[Dump] = (),
    sparql_endpoint: str | None = None,
    base: str | None = None,
    ontology_url: str | None = None,
    shapes_url: str | None = None,
) -> list[ox.Triple]:
    """VoID + DCAT + PROV triples describing the dataset, its dumps, endpoint and sources."""
    base = base or kg.base
    ds = base + "dataset"
    t = _Triples()
    sources = source_graphs(kg, base)
    stats = statistics(kg)
    licence, rights = dataset_licence(sources)
    times = sorted(s.generated for s in sources if s.generated)

    t.add(ds, v.RDF + "type", v.VOID + "Dataset")
    t.add(ds, v.RDF + "type", v.DCAT + "Dataset")
    t.add(ds, v.DCTERMS + "title", _lit(TITLE, lang="en"))
    t.add(ds, v.DCTERMS + "description", _lit(DESCRIPTION, lang="en"))
    if times:
        t.add(ds, v.DCTERMS + "issued", _lit(times[0][:10], v.XSD + "date"))
        t.add(ds, v.DCTERMS + "modified", _datetime(times[-1]))
    if licence:
        t.add(ds, v.DCTERMS + "license", licence)
    t.add(ds, v.DCTERMS + "rights", _lit(rights, lang="en"))
    t.add(ds, v.VOID + "uriSpace", _lit(v.entity_iri("", base)))
    for vocab in (v.CKG, v.ORG, v.SCHEMA, v.SKOS, v.PROV, v.DCTERMS, v.OWL):
        t.add(ds, v.VOID + "vocabulary", vocab)
    t.add(ds, v.VOID + "triples", _lit(stats["triples"], v.XSD + "integer"))
    t.add(ds, v.VOID + "entities", _lit(stats["entities"], v.XSD + "integer"))
    t.add(ds, v.VOID + "classes", _lit(len(stats["classes"]), v.XSD + "integer"))
    t.add(ds, v.VOID + "properties", _lit(len(stats["properties"]), v.XSD + "integer"))
    if ontology_url:
        t.add(ds, v.DCTERMS + "conformsTo", ontology_url)
    if shapes_url:
        t.add(ds, v.DCTERMS + "conformsTo", shapes_url)
    for cls, n in stats["classes"].items():
        part = ox.BlankNode()
        t.add(ds, v.VOID + "classPartition", part)
        t.add(part, v.VOID + "class", cls)
        t.add(part, v.VOID + "entities", _lit(n, v.XSD + "integer"))
    for prop, n in stats["properties"].items():
        part = ox.BlankNode()
        t.add(ds, v.VOID + "propertyPartition", part)
        t.add(part, v.VOID + "property", prop)
        t.add(part, v.VOID + "triples", _lit(n, v.XSD + "integer"))

    for d in dumps:
        media, fmt, title = DUMP_TYPES[d.ext]
        dist = f"{ds}/distribution/{d.ext}"
        t.add(ds, v.VOID + "dataDump", d.url)
        t.add(ds, v.DCAT + "distribution", dist)
        t.add(dist, v.RDF + "type", v.DCAT + "Distribution")
        t.add(dist, v.DCTERMS + "title", _lit(f"{title} dump", lang="en"))
        t.add(dist, v.DCAT + "downloadURL", d.url)
        t.add(dist, v.DCAT + "accessURL", d.url)
        t.add(dist, v.DCAT + "mediaType", IANA + media)
        t.add(dist, v.DCTERMS + "format", fmt)
        if d.size is not None:
            t.add(dist, v.DCAT + "byteSize", _lit(d.size, v.XSD + "nonNegativeInteger"))
        if licence:
            t.add(dist, v.DCTERMS + "license", licence)

    if sparql_endpoint:
        t.add(ds, v.VOID + "sparqlEndpoint", sparql_endpoint)
        t.add(sparql_endpoint, v.RDF + "type", v.DCAT + "DataService")
        t.add(sparql_endpoint, v.DCAT + "endpointURL", sparql_endpoint)
        t.add(sparql_endpoint, v.DCAT + "servesDataset", ds)
        t.add(sparql_endpoint, v.DCTERMS + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")

    for s in sources:
        g = s.graph
        t.add(ds, v.VOID + "subset", g)
        t.add(g, v.RDF + "type", v.VOID + "Dataset")
        t.add(g, v.RDF + "type", v.PROV + "Entity")
        t.add(g, v.VOID + "triples", _lit(s.triples, v.XSD + "integer"))
        t.add(g, v.PROV + "wasDerivedFrom", s.source)
        t.add(g, v.DCTERMS + "source", s.source)
        if s.generated:
            t.add(g, v.PROV + "generatedAtTime", _datetime(s.generated))
        if s.title:
            t.add(g, v.DCTERMS + "title", _lit(s.title))
            t.add(s.source, v.DCTERMS + "title", _lit(s.title))
        t.add(s.source, v.RDF + "type", v.PROV + "Entity")
        if s.url:
            t.add(s.source, v.SCHEMA + "url", s.url)
        if s.publisher:
            t.add(s.source, v.DCTERMS + "publisher", _lit(s.publisher))
        t.add(g, v.DCTERMS + "rights", _lit(s.licence or "no licence stated by the source"))
        iri = licence_iri(s.licence)
        if iri:
            t.add(g, v.DCTERMS + "license", iri)
    return t.items


def service_description(
    kg: Store, endpoint: str, *, base: str | None = None, limits: str = ""
) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    base = base or kg.base
    ds = base + "dataset"
    t = _Triples()
    t.add(endpoint, v.RDF + "type", SD + "Service")
    t.add(endpoint, SD + "endpoint", endpoint)
    t.add(endpoint, SD + "supportedLanguage", SD + "SPARQL11Query")
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        t.add(endpoint, SD + "resultFormat", FORMATS + fmt)
    t.add(endpoint, SD + "feature", SD + "UnionDefaultGraph")
    t.add(endpoint, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/Simple")
    if limits:
        t.add(endpoint, v.RDFS + "comment", _lit(limits, lang="en"))
    t.add(endpoint, SD + "defaultDataset", ds)
    t.add(ds, v.RDF + "type", SD + "Dataset")
    t.add(ds, v.RDF + "type", v.VOID + "Dataset")
    t.add(ds, v.VOID + "sparqlEndpoint", endpoint)
    default = ox.BlankNode()
    t.add(ds, SD + "defaultGraph", default)
    t.add(default, v.RDF + "type", SD + "Graph")
    t.add(default, v.RDFS + "comment", _lit("the union of all named graphs", lang="en"))
    for s in source_graphs(kg, base):
        named, graph = ox.BlankNode(), ox.BlankNode()
        t.add(ds, SD + "namedGraph", named)
        t.add(named, v.RDF + "type", SD + "NamedGraph")
        t.add(named, SD + "name", s.graph)
        t.add(named, SD + "graph", graph)
        t.add(graph, v.RDF + "type", SD + "Graph")
        t.add(graph, v.VOID + "triples", _lit(s.triples, v.XSD + "integer"))
    return t.items


def turtle(triples: Sequence[ox.Triple], base: str) -> bytes:
    """Triples as Turtle with the project's prefixes (plus sd: and formats:)."""
    prefixes = {**v.prefixes(base), "sd": SD, "formats": FORMATS}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def write_description(path: Path, triples: Sequence[ox.Triple], base: str) -> None:
    """Write a description as Turtle."""
    path.write_bytes(turtle(triples, base))
