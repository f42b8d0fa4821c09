"""Attributes no model field holds are kept, cite their source, and round-trip through GraphML/GEXF.

The expected attributes come from the raw files read with ElementTree (a second reader, not
networkx and not the loader); the exports are read back with networkx.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from climatekg.app.publish.exports import export_network
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind
from climatekg.graph.rdf_mapping import ATTRIBUTE, attribute_property
from climatekg.graph.store import rdf_store
from climatekg.loaders.memberships import load_memberships
from climatekg.loaders.network import load_gexf, load_graphml

#: What the loaders read as model fields, in these files; everything else is an "other" attribute.
FIELDS = {"label", "kind", "country", "lat", "lon", "pop", "population"}

GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <key id="d1" for="node" attr.name="country" attr.type="string"/>
  <key id="d2" for="node" attr.name="region" attr.type="string"/>
  <key id="d3" for="node" attr.name="mayor" attr.type="string"/>
  <key id="d4" for="node" attr.name="founded" attr.type="string"/>
  <key id="d5" for="node" attr.name="kind" attr.type="string"/>
  <key id="d6" for="edge" attr.name="kind" attr.type="string"/>
  <graph edgedefault="undirected">
    <node id="lyon"><data key="d0">Lyon</data><data key="d1">FR</data><data key="d5">City</data>
      <data key="d2">Auvergne-Rhône-Alpes</data><data key="d3">Grégory Doucet</data><data key="d4">-43</data></node>
    <node id="turin"><data key="d0">Turin</data><data key="d1">IT</data><data key="d5">City</data>
      <data key="d2">Piemonte</data><data key="d4">"28 BC"</data></node>
    <node id="rhone"><data key="d0">Rhône</data><data key="d1">FR</data><data key="d5">Region</data>
      <data key="d3">NA</data></node>
    <edge source="lyon" target="turin"/>
    <edge source="lyon" target="rhone"><data key="d6">located_in</data></edge>
  </graph>
</graphml>
"""

GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
  <graph defaultedgetype="undirected" mode="static">
    <attributes class="node" mode="static">
      <attribute id="0" title="country" type="string"/>
      <attribute id="1" title="pop" type="long"/>
      <attribute id="2" title="region" type="string"/>
      <attribute id="3" title="twinned since" type="string"/>
      <attribute id="4" title="kind" type="string"/>
    </attributes>
    <nodes>
      <node id="Q1" label="Kraków"><attvalues><attvalue for="0" value="PL"/><attvalue for="1" value="800000"/>
        <attvalue for="2" value="Lesser Poland"/><attvalue for="3" value="1993 &amp; 2003"/>
        <attvalue for="4" value="City"/></attvalues></node>
      <node id="Q2" label="Nürnberg"><attvalues><attvalue for="0" value="DE"/>
        <attvalue for="2" value="Bayern"/><attvalue for="4" value="City"/></attvalues></node>
    </nodes>
    <edges><edge id="0" source="Q1" target="Q2"/></edges>
  </graph>
</gexf>
"""


def _raw_graphml(path):
    """label → {attribute: text} for the attributes that are not model fields (ElementTree)."""
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iterfind("g:key", ns)}
    out = {}
    for node in root.iterfind(".//g:node", ns):
        data = {names[d.get("key")]: (d.text or "").strip() for d in node.iterfind("g:data", ns)}
        out[data["label"]] = {k: t for k, t in data.items() if k not in FIELDS and t not in ("", "NA")}
    return out


def _raw_gexf(path):
    ns = {"x": "http://www.gexf.net/1.2draft"}
    root = ET.parse(path).getroot()
    titles = {a.get("id"): a.get("title") for a in root.iterfind(".//x:attributes/x:attribute", ns)}
    out = {}
    for node in root.iterfind(".//x:node", ns):
        data = {titles[a.get("for")]: a.get("value") for a in node.iterfind(".//x:attvalue", ns)}
        out[node.get("label")] = {k: t for k, t in data.items() if k not in FIELDS}
    return out


def _exported(G):
    """label → the node attributes that are not fields the exporter always writes."""
    written = {"label", "kind", "country", "lat", "lon", "population", "wikidata"}
    return {d["label"]: {k: str(t) for k, t in d.items() if k not in written} for _, d in G.nodes(data=True)}


@pytest.fixture
def loaded(kg, tmp_path):
    graphml, gexf = tmp_path / "cities.graphml", tmp_path / "twins.gexf"
    graphml.write_text(GRAPHML, encoding="utf-8")
    gexf.write_text(GEXF, encoding="utf-8")
    kg.load(load_graphml(graphml, store=kg))
    kg.load(load_gexf(gexf, store=kg))
    expected = _raw_graphml(graphml) | _raw_gexf(gexf)
    return kg, expected


def test_other_attributes_are_stored_with_their_source(loaded):
    kg, expected = loaded
    assert expected["Lyon"] == {"region": "Auvergne-Rhône-Alpes", "mayor": "Grégory Doucet", "founded": "-43"}
    assert expected["Rhône"] == {}  # NA is missing, not a value
    for label, attributes in expected.items():
        (eid,) = kg.find(label)
        assert dict(kg.entity(eid).attributes) == attributes
    assert kg.kind_of(kg.find("Rhône")[0]) == EntityKind.PLACE
    # in RDF: one property per key under ckg:attribute, stated in the source's named graph
    store = rdf_store(kg, "the test").oxigraph()
    rows = store.query(
        "SELECT ?g ?v WHERE { GRAPH ?g { ?e ?p ?v . ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> ?a } }"
    )
    found = {(str(r["g"].value).rsplit("/", 1)[-1], r["v"].value) for r in rows}
    assert ("twins-gexf", "1993 & 2003") in found and ("cities-graphml", "Piemonte") in found
    assert attribute_property("twinned since") == ATTRIBUTE + "/twinned%20since"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_other_attributes_round_trip_through_the_export(loaded, tmp_path, fmt):
    kg, expected = loaded
    out = tmp_path / f"export.{fmt}"
    export_network(kg, fmt, out)
    G = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert _exported(G) == expected
    lyon = next(d for _, d in G.nodes(data=True) if d["label"] == "Lyon")
    assert lyon["country"] == "FR" and lyon["kind"] == "City"


def test_membership_columns_without_a_field_are_kept_per_actor(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(
        "name,iso,initiatives,mayor,region\nLyon,FRA,A;B,Grégory Doucet,NA\nTurin,ITA,A,,Piemonte\n",
        encoding="utf-8",
    )
    batch = load_memberships(path)
    by_label = {e.label: dict(e.attributes) for e in batch.entities}
    assert by_label == {
        "Lyon": {"mayor": "Grégory Doucet"},
        "Turin": {"region": "Piemonte"},
        "A": {},
        "B": {},
    }
    assert "kept as attributes: mayor, region" in batch.notes[-1]


@pytest.mark.neo4j
def test_neo4j_keeps_and_exports_the_same_attributes(neo4j_kg, tmp_path):
    graphml, gexf = tmp_path / "cities.graphml", tmp_path / "twins.gexf"
    graphml.write_text(GRAPHML, encoding="utf-8")
    gexf.write_text(GEXF, encoding="utf-8")
    neo4j_kg.load(load_graphml(graphml, store=neo4j_kg))
    neo4j_kg.load(load_gexf(gexf, store=neo4j_kg))
    out = tmp_path / "export.graphml"
    export_network(neo4j_kg, "graphml", out)
    assert _exported(nx.read_graphml(out)) == _raw_graphml(graphml) | _raw_gexf(gexf)


def test_an_attribute_with_a_control_character_is_refused_naming_it(kg, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(b"name,iso,initiatives,mayor\nLyon,FRA,A,Bad\x07Bell\n")
    before = kg.stats()
    with pytest.raises(ClimateKGError, match=r"attribute 'mayor'.*control character U\+0007"):
        kg.load(load_memberships(path, store=kg))
    assert kg.stats() == before
