"""The ontology and the SHACL shapes: they parse, align to the vocabularies they name, declare every
term the RDF mapping emits, and accept good data while rejecting bad data at the right node."""

from __future__ import annotations

from collections.abc import Iterable

import pyshacl
import pytest
import rdflib
from conftest import ORG_ONTOLOGY
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VANN, VOID

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import (
    AGREEMENT_TYPES,
    ID_PREFIX,
    ORGANISATION_CLASSES,
    RELATION_SIGNATURE,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
)

ORG_TTL = ORG_ONTOLOGY / "org.ttl"
BASE = "https://example.org/kg/"
CKG = rdflib.Namespace(v.CKG)
ORG = rdflib.Namespace(v.ORG)
CKGSH = rdflib.Namespace("https://w3id.org/climatekg/shapes#")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/climatekg/ontology")
SCHEME_IRI = rdflib.URIRef("https://w3id.org/climatekg/id/tech/scheme")
CC_BY = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")

#: Vocabularies whose terms rdflib knows (DefinedNamespace), to check the IRIs we use exist.
#: (SDO, TIME and XSD are reached through ``rns``: as module globals pytest's collector probes them.)
KNOWN_VOCABULARIES = [SKOS, PROV, rns.SDO, DCTERMS, FOAF, rns.TIME, OWL, RDF, RDFS, rns.XSD, SH, VANN, VOID]

SOURCE = Source(id="test-source", title="A test source", loader="test", issued="2015-12")
PROV_CURATED = Provenance(source=SOURCE.id, loader="test", locator="line 1", quote="a quote")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=v.ontology_text(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=v.shapes_text(), format="turtle")


def ntriples_graph(lines: Iterable[str]) -> rdflib.Graph:
    """Parse the mapping's N-Triples statements (with or without the final dot)."""
    text = "".join(line if line.endswith("\n") else line + " .\n" for line in lines)
    return rdflib.Graph().parse(data=text, format="nt")


def results(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph, inference: str = "rdfs"):
    """(conforms, [(focus node, result path, source shape, message)], report text)."""
    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference=inference
    )
    rows = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        rows.append(
            (
                str(report.value(r, SH.focusNode)),
                str(report.value(r, SH.resultPath) or ""),
                str(report.value(r, SH.sourceShape) or ""),
                str(report.value(r, SH.resultMessage) or ""),
            )
        )
    return conforms, rows, text


def entity(kind: EntityKind, name: str, **fields) -> Entity:
    return Entity(
        id=f"{ID_PREFIX[kind]}/{name}",
        kind=kind,
        label=name.replace("-", " "),
        provenance=PROV_CURATED,
        **fields,
    )


def iri_of(entity_id: str) -> str:
    return v.entity_iri(entity_id, BASE)


def terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    """Every IRI that occurs in ``g`` (the items of RDF lists included)."""
    return {t for triple in g for t in triple if isinstance(t, rdflib.URIRef)}


# ---- the files -------------------------------------------------------------------------------


def test_the_ontology_describes_itself(ontology: rdflib.Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    for prop in (DCTERMS.title, DCTERMS.description):
        value = ontology.value(ONTOLOGY_IRI, prop)
        assert isinstance(value, rdflib.Literal) and value.language == "en" and str(value).strip()
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == CC_BY
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert (SCHEME_IRI, RDF.type, SKOS.ConceptScheme) in ontology


def test_the_shapes_parse_and_are_shapes(shapes: rdflib.Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert {
        CKGSH.Entity,
        CKGSH.Relation,
        CKGSH.WikidataLink,
        CKGSH.Organisation,
        CKGSH.Agreement,
    } <= node_shapes
    for shape in node_shapes | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        # every constraint says in plain English what is wrong (on the shape or its property shapes)
        parts = [shape, *shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
        messages = [msg for part in parts for msg in shapes.objects(part, SH.message)]
        assert messages or shape == CKGSH.Entity, f"{shape} has no sh:message"


def test_every_ckg_term_has_an_english_label_and_comment(ontology: rdflib.Graph) -> None:
    declared = {s for s in ontology.subjects() if isinstance(s, rdflib.URIRef) and s.startswith(v.CKG)}
    assert declared
    for term in declared | {ONTOLOGY_IRI, SCHEME_IRI}:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(term, prop) if isinstance(o, rdflib.Literal)}
            assert "en" in langs, f"{term} has no {prop}@en"


def test_every_ckg_term_used_is_declared(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    declared = {s for s in ontology.subjects(RDF.type, None) if s.startswith(v.CKG)}
    for g in (ontology, shapes):
        used = {t for t in terms(g) if t.startswith(v.CKG)}
        assert used <= declared, sorted(used - declared)


# ---- alignment to the vocabularies it names -----------------------------------------------------


def test_org_terms_are_defined_by_the_w3c_org_ontology(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    org = rdflib.Graph().parse(ORG_TTL, format="turtle")
    defined = {s for s in org.subjects(RDF.type, None) if s.startswith(v.ORG)}
    used = {t for g in (ontology, shapes) for t in terms(g) if t.startswith(v.ORG)}
    assert {ORG.Organization, ORG.memberOf, ORG.Membership} <= used
    assert used <= defined, sorted(used - defined)


@pytest.mark.parametrize("namespace", KNOWN_VOCABULARIES, ids=lambda ns: str(ns))
def test_other_vocabulary_terms_exist(namespace, ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    prefix = str(namespace)
    used = {
        t for g in (ontology, shapes) for t in terms(g) if t.startswith(prefix) and t != rdflib.URIRef(prefix)
    }
    unknown = [t for t in used if not hasattr(namespace, t[len(prefix) :])]
    assert not unknown, f"not terms of {prefix}: {sorted(unknown)}"


ALIGNMENTS = [
    (CKG.Organisation, RDFS.subClassOf, ORG.Organization),
    (CKG.Organisation, RDFS.subClassOf, rns.SDO.Organization),
    (CKG.Initiative, RDFS.subClassOf, ORG.Organization),
    (CKG.City, RDFS.subClassOf, rns.SDO.City),
    (CKG.City, RDFS.subClassOf, CKG.Place),
    (CKG.Place, RDFS.subClassOf, rns.SDO.Place),
    (CKG.Event, RDFS.subClassOf, rns.SDO.Event),
    (CKG.Person, RDFS.subClassOf, rns.SDO.Person),
    (CKG.Technology, RDFS.subClassOf, SKOS.Concept),
    (CKG.Agreement, RDFS.subClassOf, PROV.Entity),
    (CKG.Source, RDFS.subClassOf, PROV.Entity),
    (CKG.Relation, RDFS.subClassOf, RDF.Statement),
    (CKG.Relation, RDFS.seeAlso, rns.TIME.hasBeginning),
    (CKG.Relation, RDFS.seeAlso, rns.TIME.hasEnd),
    (CKG.Relation, RDFS.seeAlso, ORG.Membership),
]


@pytest.mark.parametrize("axiom", ALIGNMENTS, ids=lambda a: f"{a[0].split('#')[-1]}-{a[2]}")
def test_alignment(axiom: tuple, ontology: rdflib.Graph) -> None:
    assert axiom in ontology


def test_every_model_kind_and_relation_property_is_declared(ontology: rdflib.Graph) -> None:
    for kind, cls in v.KIND_CLASS.items():
        assert (rdflib.URIRef(cls), RDF.type, OWL.Class) in ontology, kind
    for kind, prop in v.RELATION_PROPERTY.items():
        if prop.startswith(v.CKG):
            assert (rdflib.URIRef(prop), RDF.type, OWL.ObjectProperty) in ontology, kind


def test_every_ckg_term_the_mapping_emits_is_declared(ontology: rdflib.Graph) -> None:
    # one record of each kind with every optional field set, so every triple pattern appears
    full = Provenance(SOURCE.id, "test", locator="l", quote="q", confidence=0.5, status="extracted")
    src = Source(
        "s", "t", "test", publisher="p", url="https://example.org/", issued="2015", licence="x", path="f"
    )
    e = Entity(
        "org/x",
        EntityKind.ORGANISATION,
        "X",
        full,
        labels=(("zh", "十"),),
        aliases=("Ex",),
        wikidata="Q1",
        classification="ngo",
        description="d",
        date="2015-12",
        country="China",
        lat=1.0,
        lon=2.0,
    )
    r = Relation("org/x", RelationKind.PARTNER_OF, "org/x", full, start="2015", end="2016", role="r")
    g = ntriples_graph(
        [*m.source_triples(src, BASE), *m.entity_triples(e, BASE), *m.relation_triples(r, BASE)]
    )
    emitted = {p for p in g.predicates() if p.startswith(v.CKG)} | {
        o for o in g.objects(None, RDF.type) if o.startswith(v.CKG)
    }
    declared = set(ontology.subjects(RDF.type, None))
    assert CKG.nameKey in emitted and CKG.Relation in emitted
    assert emitted <= declared, sorted(emitted - declared)


def test_ckg_properties_entail_no_types(ontology: rdflib.Graph) -> None:
    """Domain and range axioms would make RDFS inference hide the type errors the shapes report."""
    for prop in (RDFS.domain, RDFS.range):
        assert not [s for s in ontology.subjects(prop, None) if s.startswith(v.CKG)]


def test_shape_code_lists_follow_the_model(shapes: rdflib.Graph) -> None:
    def listed(shape: rdflib.URIRef, path: rdflib.URIRef) -> list:
        for ps in shapes.objects(shape, SH.property):
            if shapes.value(ps, SH.path) == path:
                return list(rdflib.collection.Collection(shapes, shapes.value(ps, SH["in"])))
        raise AssertionError(f"{shape} has no property shape for {path}")

    assert [str(x) for x in listed(CKGSH.Organisation, CKG.classification)] == list(ORGANISATION_CLASSES)
    assert [str(x) for x in listed(CKGSH.Agreement, CKG.classification)] == list(AGREEMENT_TYPES)
    assert {str(x) for x in listed(CKGSH.Relation, RDF.predicate)} == set(v.RELATION_PROPERTY.values())


# ---- the shapes on data --------------------------------------------------------------------------

SHENZHEN = entity(
    EntityKind.CITY, "shenzhen", labels=(("zh", "深圳"),), wikidata="Q15174", lat=22.5, lon=114.1
)
ICLEI = entity(EntityKind.ORGANISATION, "iclei", classification="city_network", aliases=("ICLEI",))
CCUCC = entity(EntityKind.INITIATIVE, "ccucc")
MOU = entity(EntityKind.AGREEMENT, "mou", classification="mou", date="2015-12", description="purpose")
COP21 = entity(EntityKind.EVENT, "cop21", date="2015-11-30")
TANG = entity(EntityKind.PERSON, "tang")
SOLAR = entity(EntityKind.TECHNOLOGY, "solar")
CLEAN = entity(EntityKind.TECHNOLOGY, "clean")
CHINA = entity(EntityKind.PLACE, "china")
MEMBER = Relation(
    SHENZHEN.id, RelationKind.MEMBER_OF, CCUCC.id, PROV_CURATED, start="2015", role="first cohort"
)


def valid_batch() -> Batch:
    return Batch(
        source=SOURCE,
        entities=[SHENZHEN, ICLEI, CCUCC, MOU, COP21, TANG, SOLAR, CLEAN, CHINA],
        relations=[
            MEMBER,
            Relation(ICLEI.id, RelationKind.PARTY_TO, MOU.id, PROV_CURATED, start="2015-12-05"),
            Relation(MOU.id, RelationKind.SIGNED_AT, COP21.id, PROV_CURATED),
            Relation(CCUCC.id, RelationKind.LED_BY, ICLEI.id, PROV_CURATED),
            Relation(TANG.id, RelationKind.WORKS_FOR, SHENZHEN.id, PROV_CURATED, role="former deputy mayor"),
            Relation(SOLAR.id, RelationKind.BROADER, CLEAN.id, PROV_CURATED),
            Relation(SHENZHEN.id, RelationKind.LOCATED_IN, CHINA.id, PROV_CURATED),
            Relation(
                COP21.id, RelationKind.HELD_IN, SHENZHEN.id, Provenance(SOURCE.id, "test", confidence=0.25)
            ),
            # a plain relation: a direct triple with no qualified node
            Relation(MOU.id, RelationKind.CONCERNS, SOLAR.id, Provenance(SOURCE.id, "test")),
        ],
        merges=[("city/shenzhen-china", SHENZHEN.id)],  # owl:sameAs between two of our own IRIs
    )


@pytest.mark.parametrize("inference", ["rdfs", "none"])
def test_the_shapes_accept_valid_data(inference: str, ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    data = ntriples_graph(m.batch_ntriples(valid_batch(), BASE))
    assert (None, OWL.sameAs, rdflib.URIRef(iri_of(SHENZHEN.id))) in data
    conforms, rows, text = results(data, shapes, ontology, inference)
    assert conforms, text


def _without(lines: Iterable[str], needle: str) -> list[str]:
    return [line for line in lines if needle not in line]


def _broken_cases() -> dict[str, tuple[list[str], str, str]]:
    """name: (N-Triples of the whole graph, expected focus node, expected result path or '')."""
    good = list(m.batch_ntriples(valid_batch(), BASE))
    mou_iri = iri_of(MOU.id)
    member_node = v.relation_iri(MEMBER.id, BASE)
    guessed = Relation(
        SHENZHEN.id,
        RelationKind.MEMBER_OF,
        CCUCC.id,
        Provenance(SOURCE.id, "test", "l", status="guessed"),  # type: ignore[arg-type]
    )
    unsure = Relation(
        ICLEI.id, RelationKind.PARTNER_OF, CCUCC.id, Provenance(SOURCE.id, "test", confidence=1.5)
    )
    label = f"<{mou_iri}> <{RDFS.label}> "
    return {
        "missing label": (_without(good, f'{label}"mou"@en'), mou_iri, str(RDFS.label)),
        "second English label": ([*good, f'{label}"the MOU"@en .\n'], mou_iri, str(RDFS.label)),
        "label without language": ([*good, f'{label}"MOU" .\n'], mou_iri, str(RDFS.label)),
        "no source": (
            _without(good, f"<{mou_iri}> <{PROV.wasDerivedFrom}>"),
            mou_iri,
            str(PROV.wasDerivedFrom),
        ),
        "relation with status guessed": (
            [*good, *(t + " .\n" for t in m.relation_triples(guessed, BASE))],
            v.relation_iri(guessed.id, BASE),
            str(CKG.status),
        ),
        "confidence above 1": (
            [*good, *(t + " .\n" for t in m.relation_triples(unsure, BASE))],
            v.relation_iri(unsure.id, BASE),
            str(CKG.confidence),
        ),
        "bad Wikidata id": (
            [
                *good,
                *(t + " .\n" for t in m.entity_triples(entity(EntityKind.CITY, "x", wikidata="X42"), BASE)),
            ],
            iri_of("city/x"),
            str(OWL.sameAs),
        ),
        "Wikidata page instead of entity": (
            [*good, f"<{iri_of(CCUCC.id)}> <{OWL.sameAs}> <https://www.wikidata.org/wiki/Q42> .\n"],
            iri_of(CCUCC.id),
            str(OWL.sameAs),
        ),
        "unknown organisation class": (
            [*good, f'<{iri_of(ICLEI.id)}> <{CKG.classification}> "charity" .\n'],
            iri_of(ICLEI.id),
            str(CKG.classification),
        ),
        "latitude out of range": (
            [*(line.replace('"22.5"', '"95.0"') for line in good)],
            iri_of(SHENZHEN.id),
            str(rns.SDO.latitude),
        ),
        "end date that is not a date": (
            [*good, f'<{member_node}> <{rns.SDO.endDate}> "soon" .\n'],
            member_node,
            str(rns.SDO.endDate),
        ),
        "qualified relation without its triple": (
            _without(good, f"<{iri_of(SHENZHEN.id)}> <{ORG.memberOf}> "),
            member_node,
            "",
        ),
        "technology party to an agreement": (
            [*good, f"<{iri_of(SOLAR.id)}> <{CKG.partyTo}> <{mou_iri}> .\n"],
            iri_of(SOLAR.id),
            "",
        ),
        "member of a technology": (
            [*good, f"<{iri_of(TANG.id)}> <{ORG.memberOf}> <{iri_of(SOLAR.id)}> .\n"],
            iri_of(TANG.id),
            str(ORG.memberOf),
        ),
    }


BROKEN = _broken_cases()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_shapes_reject_broken_data(case: str, ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    lines, focus, path = BROKEN[case]
    conforms, rows, text = results(ntriples_graph(lines), shapes, ontology)
    assert not conforms
    hits = [row for row in rows if row[0] == focus and (not path or row[1] == path)]
    assert hits, f"no violation at {focus} {path}:\n{text}"
    assert all(row[3] for row in hits), "every violation has a message"


def test_the_shapes_enforce_every_relation_signature(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    """Every subject/object pair RELATION_SIGNATURE allows conforms; one wrong kind on either end fails."""
    kinds = list(EntityKind)

    def ent(kind: EntityKind, name: str) -> Entity:
        return Entity(f"{ID_PREFIX[kind]}/{name}", kind, name, PROV_CURATED)

    good, bad, expected = Batch(source=SOURCE), Batch(source=SOURCE), set()
    for rk, (subjects, objects) in RELATION_SIGNATURE.items():
        for sk in subjects:
            for ok in objects:
                s, o = (
                    ent(sk, f"{rk.value}-{sk.value}-{ok.value}-s"),
                    ent(ok, f"{rk.value}-{sk.value}-{ok.value}-o"),
                )
                good.entities += [s, o]
                good.relations.append(Relation(s.id, rk, o.id, PROV_CURATED))
        # first in EntityKind order, so every run builds the same graph (frozensets have no order)
        wrong_s, wrong_o = (next(k for k in kinds if k not in ks) for ks in (subjects, objects))
        some_s, some_o = (next(k for k in kinds if k in ks) for ks in (subjects, objects))
        for sk, ok, side in ((wrong_s, some_o, "subject"), (some_s, wrong_o, "object")):
            s, o = ent(sk, f"{rk.value}-bad-{side}-s"), ent(ok, f"{rk.value}-bad-{side}-o")
            bad.entities += [s, o]
            bad.relations.append(Relation(s.id, rk, o.id, PROV_CURATED))
            expected.add((iri_of(s.id), rk.value, side))

    conforms, _, text = results(ntriples_graph(m.batch_ntriples(good, BASE)), shapes, ontology)
    assert conforms, text

    _, rows, text = results(ntriples_graph(m.batch_ntriples(bad, BASE)), shapes, ontology)
    props = {kind.value: v.RELATION_PROPERTY[kind] for kind in RelationKind}
    for focus, kind, side in sorted(expected):
        if side == "subject":
            hit = [r for r in rows if r[0] == focus and r[2].endswith("Subject")]
        else:
            hit = [r for r in rows if r[0] == focus and r[1] == props[kind]]
        assert hit, f"{kind}: a wrong {side} kind at {focus} was not reported"
