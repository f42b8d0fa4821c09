"""The one RDF field mapping: what the writer writes, the readers read back unchanged."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import Entity, EntityKind, Provenance, Relation, RelationKind

BASE = "https://example.org/kg/"
P = Provenance("doc", "test", locator="row 3", quote='He said "yes"\n', status="extracted")


def _store(lines: list[str]) -> ox.Store:
    store = ox.Store()
    store.load("".join(t + " .\n" for t in lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    return store


def _objects(store: ox.Store, iri: str) -> dict[str, list[m.Term]]:
    objects: dict[str, list[m.Term]] = {}
    for q in store.quads_for_pattern(ox.NamedNode(iri), None, None):
        objects.setdefault(q.predicate.value, []).append(q.object)
    return objects


def test_an_entity_with_every_field_reads_back_as_written():
    e = Entity(
        "city/shenzhen",
        EntityKind.CITY,
        "Shenzhen",
        P,
        labels=(("zh", "深圳"), ("fr", "Shenzhen ville")),
        aliases=("Pengcheng", "SZ"),
        wikidata="Q15174",
        classification="megacity",
        description="A city in Guangdong",
        date="1979-03",
        country="China",
        lat=22.54,
        lon=114.06,
    )
    store = _store(list(m.entity_triples(e, BASE)))
    back = m.entity_from_rdf(e.id, e.kind, _objects(store, v.entity_iri(e.id, BASE)))
    # RDF keeps no order among a subject's objects; the loader is kept once per source
    assert replace(back, labels=tuple(sorted(back.labels)), aliases=tuple(sorted(back.aliases))) == replace(
        e, labels=tuple(sorted(e.labels)), aliases=tuple(sorted(e.aliases)), provenance=replace(P, loader="")
    )


def test_an_entity_without_an_english_label_reads_as_unlabelled():
    store = _store([f'<{v.entity_iri("city/x", BASE)}> <{m.LABEL}> "X"@de'])
    objects = _objects(store, v.entity_iri("city/x", BASE))
    assert m.entity_from_rdf("city/x", EntityKind.CITY, objects).label == ""
    back = m.entity_from_rdf("city/x", EntityKind.CITY, objects, unlabelled="city/x")
    assert (back.label, back.labels) == ("city/x", (("de", "X"),))


def test_a_qualified_relation_reads_back_from_its_node():
    r = Relation(
        "city/shenzhen",
        RelationKind.MEMBER_OF,
        "initiative/ccucc",
        replace(P, confidence=0.75),
        start="2015-09",
        end="2019",
        role="first cohort",
    )
    lines = list(m.relation_triples(r, BASE))
    assert m.needs_node(r) and len(lines) > 1
    store = _store(lines)
    node = {k: objs[0] for k, objs in _objects(store, v.relation_iri(r.id, BASE)).items()}
    assert m.relation_from_rdf(r.subject, r.kind, r.object, node) == r


def test_a_plain_relation_is_one_triple_whose_provenance_is_its_graph():
    r = Relation("city/a", RelationKind.PARTNER_OF, "city/b", Provenance("net", "edges"))
    assert not m.needs_node(r)
    assert list(m.relation_triples(r, BASE)) == [
        f"<{v.entity_iri('city/a', BASE)}> <{v.RELATION_PROPERTY[r.kind]}> <{v.entity_iri('city/b', BASE)}>"
    ]
    assert m.plain_relation("city/a", r.kind, "city/b", "net", "edges") == r


def test_every_field_has_its_own_predicate():
    for table in (m.ENTITY_FIELDS, m.RELATION_FIELDS, m.SOURCE_FIELDS):
        assert len(set(table.values())) == len(table)


def test_relations_naming_the_same_ends_read_back_each_from_its_own_node():
    # the writer makes each end's IRI term once for many relations: every relation must still
    # read back whole, and an end that is no IRI must still be refused
    members = [
        Relation(
            f"city/c{i}", RelationKind.MEMBER_OF, f"initiative/i{i % 2}", replace(P, locator=f"line {i}")
        )
        for i in range(4)
    ]
    store = _store([line.removesuffix(" .\n") for line in m.relations_ntriples(members, BASE)])
    for r in members:
        node = {k: objs[0] for k, objs in _objects(store, v.relation_iri(r.id, BASE)).items()}
        assert m.relation_from_rdf(r.subject, r.kind, r.object, node) == r
    bad = replace(members[0], object="initiative/a b")
    with pytest.raises(ValueError, match="not an IRI"):
        list(m.relations_ntriples([*members, bad], BASE))
