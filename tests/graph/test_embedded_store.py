"""The embedded store: named graph per source, idempotent and all-or-nothing loads, look-ups."""

from __future__ import annotations

import pytest
from helpers import snapshot

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source

SRC = Source(id="doc", title="A document", loader="test")
P = Provenance(source="doc", loader="test", locator="sentence 1", quote="Shenzhen joined")


def _batch(*extra_relations: Relation, digest: str = "") -> Batch:
    entities = [
        Entity("city/shenzhen", EntityKind.CITY, "Shenzhen", P, labels=(("zh", "深圳"),), wikidata="Q15174"),
        Entity(
            "initiative/ccucc",
            EntityKind.INITIATIVE,
            "California-China Urban Climate Collaborative",
            P,
            aliases=("CCUCC",),
        ),
    ]
    relations = [
        Relation(
            "city/shenzhen",
            RelationKind.MEMBER_OF,
            "initiative/ccucc",
            P,
            start="2015-09",
            role="first cohort",
        ),
        *extra_relations,
    ]
    return Batch(SRC, entities, relations, digest=digest)


def test_relations_keep_dates_role_and_evidence(kg):
    kg.load(_batch())
    [r] = list(kg.relations("city/shenzhen"))
    assert (r.kind, r.start, r.role, r.provenance.quote, r.provenance.source) == (
        RelationKind.MEMBER_OF,
        "2015-09",
        "first cohort",
        "Shenzhen joined",
        "doc",
    )


def test_a_plain_relation_and_a_dated_one_with_the_same_triple_both_read_back(kg):
    plain = Relation("city/shenzhen", RelationKind.MEMBER_OF, "initiative/ccucc", Provenance("doc", "test"))
    kg.load(_batch(plain))
    read = sorted((r.start or "", r.role or "") for r in kg.relations("city/shenzhen"))
    assert read == [("", ""), ("2015-09", "first cohort")]


@pytest.mark.parametrize("name", ["city/shenzhen", "Shenzhen", "  shenzhen ", "深圳", "Q15174"])
def test_find_by_id_label_other_language_and_wikidata(kg, name):
    kg.load(_batch())
    assert kg.find(name) == ["city/shenzhen"]


def test_find_by_alias_and_search_by_part(kg):
    kg.load(_batch())
    assert kg.find("ccucc") == ["initiative/ccucc"]
    assert kg.search("urban climate") == ["initiative/ccucc"]


def test_loading_twice_leaves_the_store_identical(kg):
    kg.load(_batch(digest="abc"))
    before = snapshot(kg)
    assert not kg.load(_batch(digest="abc")).changed
    assert snapshot(kg) == before


def test_reloading_a_source_replaces_its_facts(kg):
    kg.load(_batch(digest="v1"))
    smaller = _batch(digest="v2")
    smaller.relations = []
    kg.load(smaller)
    assert list(kg.relations()) == []


def test_a_relation_to_an_unknown_entity_changes_nothing(kg):
    kg.load(_batch(digest="v1"))
    before = snapshot(kg)
    bad = _batch(Relation("city/shenzhen", RelationKind.PARTNER_OF, "city/atlantis", P), digest="v2")
    with pytest.raises(LoadError, match="unknown entity city/atlantis"):
        kg.load(bad)
    assert snapshot(kg) == before


def test_a_reload_cannot_keep_a_relation_to_an_entity_only_it_stated(kg):
    """Reloading a source replaces its entities: a relation to one it no longer states is refused."""
    kg.load(_batch(digest="v1"))
    before = snapshot(kg)
    bad = _batch(digest="v2")
    bad.entities = [e for e in bad.entities if e.id != "initiative/ccucc"]
    with pytest.raises(LoadError, match="unknown entity initiative/ccucc"):
        kg.load(bad)
    assert snapshot(kg) == before
    other = Batch(
        Source(id="other", title="Other", loader="test"),
        [Entity("initiative/ccucc", EntityKind.INITIATIVE, "CCUCC", Provenance("other", "test"))],
    )
    kg.load(other)  # now another source states it too, so it outlives the reload
    assert kg.load(bad).changed


def test_sources_are_separate_named_graphs(kg):
    kg.load(_batch())
    other = Batch(
        Source(id="other", title="Other", loader="test"),
        [Entity("city/paris", EntityKind.CITY, "Paris", Provenance("other", "test"))],
    )
    kg.load(other)
    assert [s.id for s in kg.sources()] == ["doc", "other"]
    kg.remove_source("other")
    assert kg.find("Paris") == []
    assert kg.find("Shenzhen") == ["city/shenzhen"]


def test_search_sees_each_load_though_names_are_read_once_per_version(bundled_kg, tmp_path):
    from climatekg.loaders.curated import load_curated

    assert bundled_kg.search("Newtownabbey") == []
    extra = tmp_path / "extra.csv"
    extra.write_text("kind,label,country\nCity,Newtownabbey,GB\n", encoding="utf-8")
    bundled_kg.load(load_curated(extra, store=bundled_kg))
    found = bundled_kg.search("newtownab")
    assert len(found) == 1 and bundled_kg.entity(found[0]).label == "Newtownabbey"
    bundled_kg.remove_source("extra")
    assert bundled_kg.search("Newtownabbey") == []
