"""The store interface: what only the embedded store can do is asked for in one place."""

from __future__ import annotations

import pytest

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import RdfStore, as_rdf_store, rdf_store
from climatekg.graph.stores import EmbeddedStore, Neo4jStore, open_store


def _unconnected_neo4j() -> Neo4jStore:
    return Neo4jStore(None, "bolt://127.0.0.1:7687")  # never used to talk to a server here


def test_the_embedded_store_holds_rdf(kg):
    assert isinstance(kg, RdfStore)
    assert as_rdf_store(kg) is kg
    assert rdf_store(kg, "validate") is kg


def test_the_neo4j_store_does_not_and_says_so_in_one_line():
    neo = _unconnected_neo4j()
    assert as_rdf_store(neo) is None
    with pytest.raises(ClimateKGError) as caught:
        rdf_store(neo, "validate")
    message = str(caught.value)
    assert message.startswith("validate needs the embedded store (this is neo4j)")
    assert "\n" not in message


def test_open_store_opens_the_embedded_store_in_home_or_at_a_path(tmp_path, monkeypatch):
    monkeypatch.delenv("CLIMATEKG_STORE", raising=False)
    kg = open_store(home=tmp_path / "home")
    assert isinstance(kg, EmbeddedStore) and kg.location == str(tmp_path / "home")
    kg.close()
    again = open_store(str(tmp_path / "home"), read_only=True)
    assert isinstance(again, EmbeddedStore) and again.location == kg.location
    again.close()


def test_side_paths_sit_beside_the_data(kg):
    path = kg.side_path("review.json")
    assert path.parent == kg.home and path.parent.is_dir()
