"""The one RDF field mapping: what the writer writes, the readers read back unchanged."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.graph.stores.stated_relations import stated_relations

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


def _read_back(lines: list[str], source: str) -> set[Relation]:
    """Relations of one batch's N-Triples read back as the embedded store reads its graphs."""
    store = ox.Store()
    graph = ox.NamedNode(v.graph_iri(source, BASE))
    store.load("".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    return set(stated_relations(store, BASE, {}))


def test_relations_stated_at_their_subject_need_no_node_and_the_others_keep_theirs():
    src = Source("table", "table.csv", "memberships")
    at = Provenance("table", "memberships", locator="line 2")
    batch = Batch(
        src,
        entities=[
            Entity("city/a", EntityKind.CITY, "A", at),
            Entity("city/b", EntityKind.CITY, "B", replace(at, locator="line 3")),
            Entity("initiative/x", EntityKind.INITIATIVE, "X", at),
            Entity("initiative/y", EntityKind.INITIATIVE, "Y", at),
        ],
        relations=[
            Relation("city/a", RelationKind.MEMBER_OF, "initiative/x", at),  # on its member's row
            Relation("city/a", RelationKind.MEMBER_OF, "initiative/y", replace(at, locator="line 7")),
            Relation("city/b", RelationKind.MEMBER_OF, "initiative/x", replace(at, locator=None)),  # no line
            Relation("city/b", RelationKind.MEMBER_OF, "initiative/y", replace(at, locator="line 3"), "2019"),
            Relation("city/b", RelationKind.PARTNER_OF, "city/a", replace(at, locator="line 3", loader="x")),
        ],
    )
    lines = list(m.batch_ntriples(batch, BASE))
    marker = f"<{v.source_iri('table', BASE)}> <{m.PLAIN_AT_SUBJECT}> {m.lit('true', datatype=v.XSD + 'boolean')} .\n"
    assert marker in lines
    nodes = [line for line in lines if f"<{m.TYPE}> <{m.RELATION_CLASS}>" in line]
    assert len(nodes) == len(batch.relations) - 1  # only the first is stated at its subject
    assert _read_back(lines, "table") == set(batch.relations)


def test_a_source_without_relations_at_their_subject_is_written_as_before():
    src = Source("doc", "doc", "test")
    batch = Batch(
        src,
        entities=[Entity("city/a", EntityKind.CITY, "A", P), Entity("city/b", EntityKind.CITY, "B", P)],
        relations=[
            Relation("city/a", RelationKind.PARTNER_OF, "city/b", P),
            Relation("city/b", RelationKind.PARTNER_OF, "city/a", Provenance("doc", "test")),
        ],
    )
    lines = list(m.batch_ntriples(batch, BASE))
    assert not any(m.PLAIN_AT_SUBJECT in line for line in lines)
    # the first relation has a locator, so a node of its own; the second is plain
    assert sum(f"<{m.RELATION_CLASS}>" in line for line in lines) == 1
    plain = batch.relations[1]  # its graph names its source; the load record (not written here) its loader
    assert _read_back(lines, "doc") == {
        batch.relations[0],
        replace(plain, provenance=replace(plain.provenance, loader="")),
    }
