"""The Neo4j store against a real server: push/pull round trip, idempotency, interrupted pushes,
injection-shaped names, credentials and errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import load_bundled
from neo4j_fixtures import clean_database, connect, embedded_quads, graph_dump

from climatekg.graph.errors import LoadError, StoreError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.graph.stores.neo4j_store import Credentials, Neo4jStore, load_credentials
from climatekg.graph.stores.neo4j_store import sync as neo4j_sync

pytestmark = pytest.mark.neo4j

INJECT_1 = "x'}) DETACH DELETE n //"
INJECT_2 = "`) RETURN 1 //"
SRC_A = Source("doc-a", "Document A", "test", publisher="ICLEI", issued="2015-12", path="a.yaml")
SRC_B = Source("doc-b", "Document B", "test")
P_A = Provenance("doc-a", "test", locator="paragraph 1", quote="Shenzhen joined")
P_B = Provenance("doc-b", "test", locator="row 2")


def batch_a(digest: str = "a1") -> Batch:
    """Entities with every field, two dated memberships of one pair, a plain relation."""
    return Batch(
        SRC_A,
        [
            Entity(
                "city/shenzhen",
                EntityKind.CITY,
                "Shenzhen",
                P_A,
                labels=(("zh", "深圳"),),
                wikidata="Q15174",
                country="China",
                lat=22.54,
                lon=114.06,
                description="A city",
            ),
            Entity(
                "initiative/ccucc", EntityKind.INITIATIVE, "California-China Urban Climate Collaborative", P_A
            ),
            Entity(
                "org/odd", EntityKind.ORGANISATION, INJECT_1, P_A, aliases=(INJECT_2,), classification="ngo"
            ),
        ],
        [
            Relation(
                "city/shenzhen",
                RelationKind.MEMBER_OF,
                "initiative/ccucc",
                P_A,
                start="2015-09",
                role="first cohort",
            ),
            Relation("city/shenzhen", RelationKind.MEMBER_OF, "initiative/ccucc", P_A, start="2018"),
            Relation("org/odd", RelationKind.PARTNER_OF, "city/shenzhen", Provenance("doc-a", "test")),
        ],
        digest=digest,
    )


def batch_b(digest: str = "b1") -> Batch:
    """A second source describing Shenzhen too, a relation to an entity of source A, a merge."""
    return Batch(
        SRC_B,
        [
            Entity("city/shenzhen", EntityKind.CITY, "Shenzhen", P_B, aliases=("Pengcheng",)),
            Entity("city/los-angeles", EntityKind.CITY, "Los Angeles", P_B, wikidata="Q65"),
        ],
        [
            Relation("city/los-angeles", RelationKind.MEMBER_OF, "initiative/ccucc", P_B),
            Relation(
                "city/los-angeles",
                RelationKind.PARTNER_OF,
                "city/shenzhen",
                Provenance("doc-b", "extractor", quote=INJECT_1, confidence=0.7, status="extracted"),
            ),
        ],
        merges=[("city/la", "city/los-angeles")],
        digest=digest,
    )


@pytest.fixture
def source_kg(home: Path) -> EmbeddedStore:
    kg = EmbeddedStore(home)
    kg.load(batch_a())
    kg.load(batch_b())
    return kg


def test_push_then_pull_round_trips_to_an_identical_store(source_kg, neo4j_kg, tmp_path):
    load_bundled(source_kg)
    neo4j_sync.push(source_kg, neo4j_kg)
    assert neo4j_kg.stats() == {**source_kg.stats(), "store": "neo4j"}
    back = EmbeddedStore(tmp_path / "back")
    reports = neo4j_sync.pull(neo4j_kg, back)
    assert {r.action for r in reports} == {"pulled"}
    assert embedded_quads(back) == embedded_quads(source_kg)
    assert [(s.id, s.title, s.loader, s.digest, s.triples) for s in back.sources()] == [
        (s.id, s.title, s.loader, s.digest, s.triples) for s in source_kg.sources()
    ]
    assert neo4j_sync.pull(neo4j_kg, back)[0].action == "unchanged"


def test_pushing_twice_changes_nothing(source_kg, neo4j_kg):
    neo4j_sync.push(source_kg, neo4j_kg)
    before = graph_dump(neo4j_kg)
    reports = neo4j_sync.push(source_kg, neo4j_kg)
    assert [r.action for r in reports] == ["unchanged", "unchanged"]
    assert graph_dump(neo4j_kg) == before


def test_a_changed_source_replaces_what_it_had(source_kg, neo4j_kg, neo4j_server, tmp_path):
    neo4j_sync.push(source_kg, neo4j_kg)
    smaller = batch_a("a2")
    smaller.entities = smaller.entities[:2]
    smaller.relations = smaller.relations[:1]
    source_kg.load(smaller)
    neo4j_sync.push(source_kg, neo4j_kg)
    pushed = graph_dump(neo4j_kg)
    clean_database(neo4j_kg)
    neo4j_sync.push(source_kg, neo4j_kg)
    assert graph_dump(neo4j_kg) == pushed
    assert neo4j_kg.find(INJECT_1) == []


class _Stop(KeyboardInterrupt):
    """Ctrl-C, raised from inside the push at a chosen point."""


@pytest.mark.parametrize("where", [("entities", 1), ("relations", 1), ("relations", 3)])
def test_a_push_stopped_by_ctrl_c_and_run_again_ends_in_the_same_graph(neo4j_kg, home, where):
    kg = EmbeddedStore(home)
    kg.load(batch_a())
    kg.load(batch_b())
    neo4j_sync.push(kg, neo4j_kg)
    expected = graph_dump(neo4j_kg)
    clean_database(neo4j_kg)
    # an older version of source A is in Neo4j: the stopped push was replacing it
    old = EmbeddedStore(home.parent / "old")
    old.load(Batch(SRC_A, [Entity("city/paris", EntityKind.CITY, "Paris", P_A)], digest="old"))
    neo4j_sync.push(old, neo4j_kg)
    seen = {"entities": 0, "relations": 0}

    def stop_at(what: str, n: int) -> None:
        seen[what] += 1
        if (what, seen[what]) == where:
            raise _Stop

    with pytest.raises(_Stop):
        neo4j_sync.push(kg, neo4j_kg, batch_size=1, progress=stop_at)
    assert any(s.digest == "" for s in neo4j_kg.sources())  # left incomplete, and says so
    reports = neo4j_sync.push(kg, neo4j_kg, batch_size=1)
    assert "resumed" in {r.action for r in reports}
    assert graph_dump(neo4j_kg) == expected


@pytest.mark.slow
def test_a_push_cut_by_a_server_crash_and_run_again_ends_as_an_uninterrupted_push(neo4j_kg, tmp_path):
    """Kill Neo4j mid-push, start it again on the same store, push again: the graph equals an
    uninterrupted push of the same data into another (the session's) server."""
    import sys

    from servers.neo4j_server import Neo4jServer

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from synthetic import generate

    from climatekg.loaders.rdf import load_rdf

    kg = EmbeddedStore(tmp_path / "kg")
    kg.load(load_rdf(generate(3000, seed=7, out_dir=tmp_path)))
    kg.load(batch_a())
    neo4j_sync.push(kg, neo4j_kg, batch_size=500)
    expected = graph_dump(neo4j_kg)

    # auth off: the launcher cannot restart a server with a password (it sets the same one again)
    with Neo4jServer() as server:
        store = connect(server)
        written = {"n": 0}

        def crash(what: str, n: int) -> None:
            written["n"] += n
            if what == "relations" and written["n"] >= 4000:
                server.kill()

        started = time.monotonic()
        with pytest.raises(StoreError, match="cannot reach Neo4j"):
            neo4j_sync.push(kg, store, batch_size=500, progress=crash)
        assert time.monotonic() - started < 120
        store.close()
        server.start()
        store = connect(server)
        assert any(s.digest == "" for s in store.sources())
        neo4j_sync.push(kg, store, batch_size=500)
        assert graph_dump(store) == expected
        store.close()


def test_names_shaped_like_cypher_are_stored_and_returned_verbatim(neo4j_kg):
    neo4j_kg.load(batch_a())
    neo4j_kg.load(batch_b())
    nodes_before = len(graph_dump(neo4j_kg)[0])
    assert neo4j_kg.find(INJECT_1) == ["org/odd"]
    assert neo4j_kg.find(INJECT_2) == ["org/odd"]
    assert neo4j_kg.search("detach delete") == ["org/odd"]
    odd = neo4j_kg.entity("org/odd")
    assert (odd.label, odd.aliases) == (INJECT_1, (INJECT_2,))
    [extracted] = [r for r in neo4j_kg.relations("city/los-angeles") if r.kind == RelationKind.PARTNER_OF]
    assert extracted.provenance.quote == INJECT_1
    assert len(graph_dump(neo4j_kg)[0]) == nodes_before
    assert neo4j_kg.kind_of(INJECT_1) is None and neo4j_kg.entity(INJECT_2) is None


def test_load_reads_back_like_the_embedded_store(neo4j_kg, kg):
    for store in (kg, neo4j_kg):
        store.load(batch_a())
        store.load(batch_b())
    assert neo4j_kg.stats() == {**kg.stats(), "store": "neo4j"}
    for name in ("深圳", "q15174", "Pengcheng", "city/la", "CCUCC collaborative", "los angeles"):
        assert neo4j_kg.find(name) == kg.find(name), name
    assert neo4j_kg.search("an") == kg.search("an")
    assert sorted(neo4j_kg.relations(), key=repr) == sorted(kg.relations(), key=repr)
    assert sorted(neo4j_kg.entity("city/shenzhen").aliases) == ["Pengcheng"]
    assert neo4j_kg.entity("city/shenzhen").labels == (("zh", "深圳"),)
    assert not neo4j_kg.load(batch_b()).changed
    assert [s.id for s in neo4j_kg.sources()] == ["doc-a", "doc-b"]


def test_a_bad_batch_is_refused_before_anything_is_written(neo4j_kg):
    neo4j_kg.load(batch_a())
    before = graph_dump(neo4j_kg)
    bad = batch_b("b2")
    bad.relations.append(Relation("city/los-angeles", RelationKind.PARTNER_OF, "city/atlantis", P_B))
    with pytest.raises(LoadError, match="unknown entity city/atlantis"):
        neo4j_kg.load(bad)
    assert graph_dump(neo4j_kg) == before


def test_a_reload_cannot_keep_a_relation_to_an_entity_only_it_stated(neo4j_kg):
    """Reloading doc-b without Los Angeles removes it, so a relation to it would point at nothing."""
    neo4j_kg.load(batch_a())
    neo4j_kg.load(batch_b())
    before = graph_dump(neo4j_kg)
    bad = batch_b("b2")
    bad.entities = [e for e in bad.entities if e.id != "city/los-angeles"]
    with pytest.raises(LoadError, match="unknown entity city/los-angeles"):
        neo4j_kg.load(bad)
    assert graph_dump(neo4j_kg) == before
    still = batch_b("b3")  # Shenzhen is also stated by doc-a, so it may stay out of doc-b
    still.entities = [e for e in still.entities if e.id != "city/shenzhen"]
    assert neo4j_kg.load(still).changed


def test_removing_a_source_keeps_what_others_say(neo4j_kg):
    neo4j_kg.load(batch_a())
    neo4j_kg.load(batch_b())
    neo4j_kg.remove_source("doc-b")
    assert neo4j_kg.find("Pengcheng") == [] and neo4j_kg.find("Los Angeles") == []
    assert neo4j_kg.entity("city/shenzhen").aliases == ()
    assert [s.id for s in neo4j_kg.sources()] == ["doc-a"]


def test_wrong_password_is_one_line_and_fast(neo4j_server):
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        Neo4jStore.connect(neo4j_server.uri, credentials=Credentials("neo4j", "not-the-password-123"))
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert "refused the login" in message and "\n" not in message
    assert "not-the-password-123" not in message


def test_a_server_that_is_down_is_reported_within_5_s():
    from servers.neo4j_server import free_port

    started = time.monotonic()
    with pytest.raises(StoreError, match="cannot reach Neo4j"):
        Neo4jStore.connect(
            f"bolt://127.0.0.1:{free_port()}", credentials=Credentials("neo4j", "whatever-1234")
        )
    assert time.monotonic() - started < 5


def test_credentials_in_the_url_are_refused_without_echoing_them():
    with pytest.raises(StoreError) as caught:
        Neo4jStore.connect("bolt://neo4j:hunter2-secret@127.0.0.1:7687")
    assert "hunter2-secret" not in str(caught.value)


def test_credentials_come_from_the_environment_before_the_config_file(tmp_path, monkeypatch):
    config = tmp_path / "climatekg" / "neo4j.toml"
    config.parent.mkdir()
    config.write_text('[neo4j]\nuser = "alice"\npassword = "from-file-123"\ndatabase = "kg"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in ("NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "CLIMATEKG_NEO4J_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    creds = load_credentials()
    assert (creds.user, creds.password, creds.database) == ("alice", "from-file-123", "kg")
    assert "from-file-123" not in repr(creds)
    monkeypatch.setenv("NEO4J_PASSWORD", "from-env-456")
    assert load_credentials().password == "from-env-456"
    config.write_text("password = \n")
    monkeypatch.delenv("NEO4J_PASSWORD")
    with pytest.raises(StoreError, match="not valid TOML"):
        load_credentials()
