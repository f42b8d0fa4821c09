"""One dispatch point: each store's questions go to its engine, chosen by the store's kind; what
only the embedded store can do is refused on Neo4j in one line."""

from __future__ import annotations

import pytest

from climatekg.graph.errors import ClimateKGError
from climatekg.queries import cypher_engine, projection_engine, quality, sparql
from climatekg.queries.engine import engine_for


def test_the_embedded_store_is_answered_by_the_projection_engine(kg):
    assert engine_for(kg) is projection_engine


def test_the_cypher_engine_refuses_a_store_that_is_not_neo4j(kg):
    with pytest.raises(ClimateKGError, match="answers on a Neo4j store"):
        cypher_engine.shortest_paths(kg, "a", "b", k=1, max_hops=2)


def test_a_store_of_another_kind_has_no_engine_and_says_so(kg, monkeypatch):
    monkeypatch.setattr(kg, "kind", "elsewhere")
    with pytest.raises(ClimateKGError, match="no query engine for a 'elsewhere' store"):
        engine_for(kg)


@pytest.mark.neo4j
def test_neo4j_is_answered_by_the_cypher_engine_and_refuses_rdf_work_in_one_line(neo4j_server):
    from neo4j_fixtures import connect

    kg = connect(neo4j_server)
    try:
        assert engine_for(kg) is cypher_engine
        for run in (lambda: quality.validate(kg), lambda: sparql.run_sparql(kg, "ASK { ?s ?p ?o }")):
            with pytest.raises(ClimateKGError, match="needs the embedded store") as refused:
                run()
            assert "\n" not in str(refused.value)
    finally:
        kg.close()
