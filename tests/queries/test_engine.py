"""One dispatch point: each store's questions go to its engine, chosen by the store's kind; what
only the embedded store can do is refused on Neo4j in one line."""

from __future__ import annotations

import pytest

from climatekg.graph.errors import ClimateKGError
from climatekg.queries import quality, sparql
from climatekg.queries.cypher_engine import CypherEngine
from climatekg.queries.engine import ENGINES, engine_for
from climatekg.queries.projection_engine import ProjectionEngine


def test_the_embedded_store_is_answered_by_the_projection_engine(kg):
    assert isinstance(engine_for(kg), ProjectionEngine)
    assert set(ENGINES) == {"embedded", "neo4j"}


def test_a_store_of_another_kind_has_no_engine_and_says_so(kg, monkeypatch):
    monkeypatch.setattr(kg, "kind", "elsewhere")
    with pytest.raises(ClimateKGError, match="no query engine for a 'elsewhere' store"):
        engine_for(kg)


@pytest.mark.neo4j
def test_neo4j_is_answered_by_the_cypher_engine_and_refuses_rdf_work_in_one_line(neo4j_server):
    from neo4j_fixtures import connect

    kg = connect(neo4j_server)
    try:
        assert isinstance(engine_for(kg), CypherEngine)
        for run in (lambda: quality.validate(kg), lambda: sparql.run_sparql(kg, "ASK { ?s ?p ?o }")):
            with pytest.raises(ClimateKGError, match="needs the embedded store") as refused:
                run()
            assert "\n" not in str(refused.value)
    finally:
        kg.close()
