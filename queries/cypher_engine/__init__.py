"""The Cypher engine: the questions answered on a Neo4j store, as Cypher run on the server.

The same result types and the same answers as the projection engine. Each runner binds
parameters into a ``.cypher`` file in ``queries/``; nothing pulls the whole graph: a query reads
the part of the graph its answer needs (paths between two entities, a neighbourhood, contexts
of a few actors, degrees from Neo4j's degree store). What needs the whole graph in memory
(betweenness, PageRank, communities, brokers) is refused with the reason (``refused.py``).
One module per question; this package is the engine ``queries.engine.engine_for`` hands out for
Neo4j, and each question takes any ``Store`` and insists it is a Neo4j one (``statements.on_neo4j``).
"""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.cypher_engine.centrality import centrality
from climatekg.queries.cypher_engine.cohort import cohort_gaps
from climatekg.queries.cypher_engine.coverage import coverage
from climatekg.queries.cypher_engine.neighbours import neighbours
from climatekg.queries.cypher_engine.partners import suggest_partners
from climatekg.queries.cypher_engine.paths import shortest_paths
from climatekg.queries.cypher_engine.refused import brokers, communities

__all__ = [
    "prepare",
    "ready",
    "brokers",
    "centrality",
    "cohort_gaps",
    "communities",
    "coverage",
    "neighbours",
    "shortest_paths",
    "suggest_partners",
]


def ready(kg: Store) -> bool:
    """Always: the server answers each question; nothing is read up front."""
    return True


def prepare(kg: Store) -> None:
    """Nothing to prepare: the Cypher engine never pulls the graph to the client."""
