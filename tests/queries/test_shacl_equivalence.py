"""The fast SHACL path (shapes compiled to SPARQL, run by Oxigraph) reports exactly what pySHACL
reports — focus node, path, constraint component, severity, value and message — on data that
breaks and meets every constraint graph/shapes.ttl uses, RDFS entailments included."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from climatekg.graph import vocab as v
from climatekg.queries import shacl_pyshacl, shacl_sparql
from climatekg.queries.quality import validate

NUMBERS = {rdflib.XSD.decimal, rdflib.XSD.double, rdflib.XSD.float, rdflib.XSD.integer}
pytestmark = pytest.mark.filterwarnings("ignore:Serializing weird numerical")

PREFIXES = """
@prefix id: <https://w3id.org/climatekg/id/> .
@prefix ckg: <https://w3id.org/climatekg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

#: Nodes that meet every shape: none of them may be a focus node of a result.
GOOD = """
id:source/s a ckg:Source ; dcterms:title "S" ; ckg:loader "test" ; dcterms:issued "2015-12"^^xsd:gYearMonth .
id:city/good a ckg:City ; rdfs:label "Good"@en, "好"@zh ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:latitude "10.5"^^xsd:double ; schema:longitude "20.0"^^xsd:double ; dcterms:date "2020"^^xsd:gYear ;
    owl:sameAs <http://www.wikidata.org/entity/Q42>, <https://example.org/other> ; skos:altLabel "G" ;
    dcterms:description "a city"@en ; schema:addressCountry "France" ; ckg:locator "line 1" ; ckg:quote "q" ;
    org:memberOf id:initiative/good ; ckg:partnerOf id:org/good ; ckg:demonstrates id:tech/good .
id:initiative/good a ckg:Initiative ; rdfs:label "Good initiative"@en ; prov:wasDerivedFrom id:source/s ;
    ckg:status "extracted" ; ckg:ledBy id:org/good ; ckg:launchedAt id:event/good ; ckg:concerns id:tech/good .
id:org/good a ckg:Organisation ; rdfs:label "Good org"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ckg:classification "ngo" ; ckg:provides id:tech/good ; schema:containedInPlace id:place/good .
id:place/good a ckg:Place ; rdfs:label "Good place"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" .
id:event/good a ckg:Event ; rdfs:label "Good event"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:location id:city/good ; dcterms:date "2015-12-01"^^xsd:date .
id:tech/good a ckg:Technology ; rdfs:label "Good tech"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    skos:broader id:tech/top .
id:tech/top a ckg:Technology ; rdfs:label "Top"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" .
id:agreement/good a ckg:Agreement ; rdfs:label "Good MOU"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ckg:classification "mou" ; ckg:signedAt id:event/good ; ckg:buildsOn id:event/good .
id:person/good a ckg:Person ; rdfs:label "Good person"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:worksFor id:org/good ; ckg:partyTo id:agreement/good ; ckg:participatedIn id:event/good .
id:rel/good a ckg:Relation ; rdf:subject id:city/good ; rdf:predicate org:memberOf ; rdf:object id:initiative/good ;
    ckg:status "curated" ; ckg:loader "test" ; ckg:confidence "0.9"^^xsd:decimal ; prov:wasDerivedFrom id:source/s ;
    schema:startDate "2019"^^xsd:gYear ; schema:endDate "2021-05"^^xsd:gYearMonth ; schema:roleName "member" ;
    ckg:locator "row 2" ; ckg:quote "joined" .
ex:third org:memberOf ex:club ; schema:location ex:somewhere ; skos:broader ex:wider .
"""

#: Every constraint broken at least once (several more than once, and on inferred data).
BAD = """
id:city/bare a ckg:City .
id:city/labels a ckg:City ; rdfs:label "A"@en, "B"@en, "untagged", "C"@fr, "D"@FR ; prov:wasDerivedFrom id:source/s ;
    ckg:status "draft" .
id:city/sources a ckg:City ; rdfs:label "Sources"@en ; ckg:status "curated", "extracted" ;
    prov:wasDerivedFrom "a file", id:source/missing .
id:city/texts a ckg:City ; rdfs:label "Texts"@en-GB ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    skos:altLabel id:alias ; dcterms:description "one"@en, "two"@en, id:descr ; schema:addressCountry ex:fr ;
    ckg:locator id:loc ; ckg:quote id:quote .
id:city/dates a ckg:City ; rdfs:label "Dates"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    dcterms:date "2020-01-01"^^xsd:date, "soon" .
id:city/illdate a ckg:City ; rdfs:label "Ill date"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    dcterms:date "2020-13-45"^^xsd:date .
id:city/far a ckg:City ; rdfs:label "Far"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:latitude "95"^^xsd:double ; schema:longitude "-200.5"^^xsd:double .
id:city/half a ckg:City ; rdfs:label "Half"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:latitude "north"^^xsd:double .
id:city/words a ckg:City ; rdfs:label "Words"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:longitude "east" ; schema:latitude "12"^^xsd:decimal .
id:city/classified a ckg:City ; rdfs:label "Classified"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ckg:classification "ngo" .
id:city/links a ckg:City ; rdfs:label "Links"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    owl:sameAs <https://www.wikidata.org/wiki/Q42>, "Q42", <http://www.wikidata.org/entity/P31> ;
    org:memberOf id:tech/top, id:city/good ; ckg:partyTo id:city/good ; ckg:partnerOf id:tech/top ;
    ckg:demonstrates id:org/good ; ckg:participatedIn id:place/good ; schema:containedInPlace "Europe" .
id:org/odd a ckg:Organisation ; rdfs:label "Odd"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ckg:classification "region", "ngo" ; ckg:provides id:city/good .
id:agreement/odd a ckg:Agreement ; rdfs:label "Odd"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ckg:classification "treaty" ; ckg:signedAt id:org/good ; ckg:buildsOn id:city/good ; ckg:concerns id:event/good ;
    ckg:launchedAt id:place/good .
id:initiative/odd a ckg:Initiative ; rdfs:label "Odd"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ckg:ledBy id:event/good, "someone" .
id:event/odd a ckg:Event ; rdfs:label "Odd"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:location id:org/good ; org:memberOf id:initiative/good ; ckg:partnerOf id:city/good .
id:person/odd a ckg:Person ; rdfs:label "Odd"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    schema:worksFor id:tech/top ; ckg:ledBy id:org/good ; ckg:provides id:tech/good ; skos:broader id:tech/top .
id:tech/loop1 a ckg:Technology ; rdfs:label "L1"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    skos:broader id:tech/loop2 ; ckg:demonstrates id:tech/good ; ckg:concerns id:tech/good ; ckg:buildsOn id:event/good .
id:tech/loop2 a ckg:Technology ; rdfs:label "L2"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    skos:broader id:tech/loop1, id:city/good ; ckg:participatedIn id:event/good ; ckg:partyTo id:agreement/good ;
    ckg:signedAt id:event/good ; ckg:launchedAt id:event/good ; schema:worksFor id:org/good .
id:tech/self a ckg:Technology ; rdfs:label "Self"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    skos:broader id:tech/self ; schema:containedInPlace id:place/good ; schema:location id:place/good .
id:rel/bad a ckg:Relation ; rdf:subject ex:stranger, id:city/good ; rdf:predicate ex:knows ;
    ckg:status "maybe", "curated" ; ckg:loader "" ; ckg:confidence "1.5"^^xsd:decimal, "0.5"^^xsd:double ;
    schema:startDate "2019"^^xsd:gYear, "2020"^^xsd:gYear ; schema:endDate "later" ; schema:roleName id:role ;
    ckg:locator "a", "b" ; ckg:quote id:q .
id:rel/worse a ckg:Relation ; rdf:subject "city" ; rdf:object id:source/s ; rdf:predicate org:memberOf ;
    ckg:loader 42, "two" ; ckg:confidence "-0.1"^^xsd:decimal, "high"^^xsd:decimal ; prov:wasDerivedFrom "s" ;
    ckg:status "curated" .
id:rel/missing a ckg:Relation ; rdf:subject id:city/good ; rdf:predicate ckg:partnerOf ; rdf:object id:city/links ;
    ckg:status "curated" ; ckg:loader "test" ; ckg:confidence "1"^^xsd:decimal ; prov:wasDerivedFrom id:source/s .
id:source/bad a ckg:Source ; dcterms:title id:title ; dcterms:issued "2015"^^xsd:gYear, "someday" .

# RDFS: a subclass declared in the data, a sub-property, a domain and a range
ex:Metropolis rdfs:subClassOf ckg:City .
id:city/metro a ex:Metropolis ; rdfs:label "Metro"@en ; prov:wasDerivedFrom id:source/s ; ckg:status "curated" ;
    ex:nom "Métro"@fr, "Grande ville"@fr .
ex:nom rdfs:subPropertyOf rdfs:label .
ex:hosts rdfs:domain ckg:Event ; rdfs:range ckg:Place .
id:city/host rdfs:label "Host"@en ; ex:hosts id:city/hosted ; schema:location id:org/good .
ex:hasTitle rdfs:subPropertyOf dcterms:title .
id:source/sub a ckg:Source ; ex:hasTitle "Titled by a sub-property" ; ckg:loader "test" .
"""


def graph(turtle: str) -> rdflib.Graph:
    """``turtle`` parsed, ``id:city/x`` written out (a slash cannot stand in a prefixed name)."""
    expanded = re.sub(r"\bid:([a-z]+/[\w-]+)", r"<https://w3id.org/climatekg/id/\1>", turtle)
    return rdflib.Graph().parse(data=PREFIXES + expanded, format="turtle")


def ntriples(turtle: str) -> bytes:
    return graph(turtle).serialize(format="nt", encoding="utf-8")


@pytest.fixture(scope="module")
def reports() -> tuple[list[shacl_sparql.ShaclResult], list[shacl_sparql.ShaclResult]]:
    data = ntriples(GOOD + BAD)
    args = (v.shapes_text(), v.ontology_text())
    return shacl_sparql.validate_ntriples(data, *args), shacl_pyshacl.validate_ntriples(data, *args)


def canonical(r: shacl_sparql.ShaclResult) -> shacl_sparql.ShaclResult:
    """``r`` with its value as rdflib writes it, numbers by their value: each store keeps its own
    canonical lexical form ("95"^^xsd:double is "95.0" in rdflib, "1.0"^^xsd:decimal is "1" in
    Oxigraph)."""
    if not r.value.startswith('"'):
        return r
    term = rdflib.util.from_n3(r.value)
    assert isinstance(term, rdflib.Literal)
    if term.datatype in NUMBERS and term.ill_typed is False:
        return dataclasses.replace(r, value=f"{float(term.toPython())!r}^^{term.datatype}")
    return dataclasses.replace(r, value=term.n3())


def test_the_fast_report_equals_pyshacls_result_for_result(reports):
    fast, reference = reports
    assert len(reference) > 100
    assert Counter(map(canonical, fast)) == Counter(map(canonical, reference))


def test_every_constraint_kind_of_the_shapes_is_broken_and_met(reports):
    _, reference = reports
    # the components of every constraint shapes.ttl states directly on a shape (sh:not, sh:pattern
    # and sh:languageIn appear only inside sh:or and sh:qualifiedValueShape, which report them)
    used = {
        "Class", "Datatype", "In", "MaxCount", "MaxInclusive", "MinCount", "MinInclusive", "MinLength", "Node",
        "NodeKind", "Or", "QualifiedMaxCount", "QualifiedMinCount", "UniqueLang", "SPARQL",
    }  # fmt: skip
    assert {r.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent") for r in reference} == used
    good = {str(s) for s in graph(GOOD).subjects()}
    # only as the detail of a relation whose rdf:object is the source (not an entity) is a good node named
    named = {r.focus for r in reference if r.component != v.SH + "OrConstraintComponent" or r.path}
    assert good and not good & named
    assert {r.focus for r in reference} & good == {"https://w3id.org/climatekg/id/source/s"}


def test_rdfs_entailments_decide_focus_nodes_and_values_in_both(reports):
    fast, reference = reports
    for report in (fast, reference):
        focus = {r.focus.rsplit("/", 1)[-1] for r in report}
        # a subclass instance is a City; a domain makes an Event, a range a Place
        assert {"metro", "host", "hosted"} <= focus
        metro = [r for r in report if r.focus.endswith("/metro")]
        # the two French labels arrive through the sub-property
        assert [r.component.rsplit("#", 1)[-1] for r in metro] == ["UniqueLangConstraintComponent"]
        assert not [r for r in report if r.focus.endswith("/source/sub")]


def test_the_project_validate_gives_the_same_rows_with_either_engine(kg):
    from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Source

    prov = Provenance("places", "test")
    batch = Batch(source=Source(id="places", title="places", loader="test"))
    batch.entities = [
        Entity("city/north", EntityKind.CITY, "North", prov, lat=89.9, lon=10.0),
        Entity("org/odd", EntityKind.ORGANISATION, "Odd", prov, classification="region"),
    ]
    kg.load(batch)
    rows = validate(kg)
    assert rows == validate(kg, engine="pyshacl")
    assert [(r["entity"], r["path"]) for r in rows] == [("org/odd", v.CKG + "classification")]


def test_a_shape_using_an_uncompiled_feature_is_refused():
    shapes = (
        PREFIXES.replace("@prefix ex:", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex:")
        + """
    ex:S a sh:NodeShape ; sh:targetClass ckg:City ;
        sh:property [ sh:path rdfs:label ; sh:equals skos:prefLabel ; sh:message "m" ] .
    """
    )
    with pytest.raises(shacl_sparql.ShapeNotSupported, match="equals"):
        shacl_sparql.validate_ntriples(b"", shapes, v.ontology_text())


# ---- random graphs ---------------------------------------------------------------------------

ID = "https://w3id.org/climatekg/id/"
NODES = [f"<{ID}{n}>" for n in ("city/a", "city/b", "org/c", "tech/d", "tech/e", "rel/r", "source/s")]
NODES.append("<http://example.org/x>")
CLASSES = [
    f"<{v.CKG}{c}>"
    for c in ("City", "Place", "Organisation", "Initiative", "Technology", "Relation", "Source")
]
CLASSES.append("<http://example.org/Kind>")
PROPS = [
    "<http://www.w3.org/2000/01/rdf-schema#label>", f"<{v.PROV}wasDerivedFrom>", f"<{v.CKG}status>",
    "<https://schema.org/latitude>", f"<{v.CKG}classification>", f"<{v.ORG}memberOf>", f"<{v.SKOS}broader>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate>", f"<{v.CKG}confidence>", f"<{v.CKG}loader>",
    "<http://www.w3.org/2002/07/owl#sameAs>", "<http://purl.org/dc/terms/date>", "<http://purl.org/dc/terms/title>",
    f"<{v.CKG}ledBy>", "<http://example.org/p>",
]  # fmt: skip
XSD_ = "http://www.w3.org/2001/XMLSchema#"
LITERALS = [
    '"A"@en', '"B"@en', '"C"@fr', '"x"', '""', '"curated"', '"draft"', '"ngo"', '"region"', f'"95"^^<{XSD_}double>',
    f'"-5"^^<{XSD_}double>', f'"1.0"^^<{XSD_}decimal>', f'"2"^^<{XSD_}decimal>', f'"2020"^^<{XSD_}gYear>',
    f'"bad"^^<{XSD_}date>', "<http://www.wikidata.org/entity/Q1>", "<https://www.wikidata.org/wiki/Q1>",
]  # fmt: skip
SCHEMA = {
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>": CLASSES,
    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>": CLASSES,
    "<http://www.w3.org/2000/01/rdf-schema#domain>": CLASSES,
    # no rdfs:range: on a literal value pySHACL types the literal, which Oxigraph cannot (see shacl_sparql)
    "<http://www.w3.org/2000/01/rdf-schema#subPropertyOf>": PROPS,
}


def triples() -> st.SearchStrategy[str]:
    data = st.tuples(
        st.sampled_from(NODES), st.sampled_from(PROPS), st.sampled_from(NODES + LITERALS + PROPS[5:7])
    )
    schema = st.sampled_from(sorted(SCHEMA)).flatmap(
        lambda p: st.tuples(st.sampled_from(NODES + CLASSES + PROPS), st.just(p), st.sampled_from(SCHEMA[p]))
    )
    return st.one_of(data, data, schema).map(lambda t: " ".join(t) + " .\n")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(triples(), max_size=25))
def test_both_engines_agree_on_random_graphs(lines):
    data = "".join(lines).encode()
    args = (v.shapes_text(), v.ontology_text())
    fast = shacl_sparql.validate_ntriples(data, *args)
    reference = shacl_pyshacl.validate_ntriples(data, *args)
    assert Counter(map(canonical, fast)) == Counter(map(canonical, reference))
