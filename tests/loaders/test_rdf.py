"""RDF files load as they are, each into its own named graph."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from conftest import ORG_ONTOLOGY
from rdflib.compare import isomorphic

from climatekg.graph import vocab as v
from climatekg.loaders.rdf import load_rdf


def _graph(kg, source_id: str) -> rdflib.Graph:
    """The triples the store holds for a source, minus its own bookkeeping about the load."""
    g = rdflib.Graph()
    graph = ox.NamedNode(v.graph_iri(source_id, kg.base))
    src = ox.NamedNode(v.source_iri(source_id, kg.base))
    quads = [
        q for q in kg.oxigraph().quads_for_pattern(None, None, None, graph) if q.subject not in (graph, src)
    ]
    g.parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


def test_org_turtle_and_rdfxml_load_to_isomorphic_graphs(kg):
    kg.load(load_rdf(ORG_ONTOLOGY / "org.ttl"))
    kg.load(load_rdf(ORG_ONTOLOGY / "org.rdf"))
    from_ttl, from_xml = _graph(kg, "org-ttl"), _graph(kg, "org-rdf")
    reference = rdflib.Graph().parse(ORG_ONTOLOGY / "org.ttl")
    assert len(from_ttl) == len(reference)
    assert isomorphic(from_ttl, from_xml)
    assert isomorphic(from_ttl, reference)


def test_every_rdf_syntax_loads(kg, tmp_path):
    reference = rdflib.Graph().parse(ORG_ONTOLOGY / "org.ttl")
    for fmt, ext in (("nt", "nt"), ("nquads", "nq"), ("json-ld", "jsonld"), ("trig", "trig"), ("xml", "rdf")):
        path = tmp_path / f"org.{ext}"
        if fmt in ("nquads", "trig"):
            ds = rdflib.Dataset()
            ds.graph(rdflib.URIRef("http://example.org/g")).__iadd__(reference)
            ds.serialize(path, format=fmt)
        else:
            reference.serialize(path, format=fmt)
        report = kg.load(load_rdf(path))
        assert report.changed
        assert isomorphic(_graph(kg, f"org-{ext}"), reference), ext


def test_loading_the_same_file_twice_changes_nothing(kg):
    kg.load(load_rdf(ORG_ONTOLOGY / "org.ttl"))
    before = sorted(map(str, kg.oxigraph()))
    report = kg.load(load_rdf(ORG_ONTOLOGY / "org.ttl"))
    assert not report.changed
    assert sorted(map(str, kg.oxigraph())) == before
