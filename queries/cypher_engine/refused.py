"""What needs the whole graph in memory, refused on Neo4j with the reason.

Betweenness, PageRank, communities and brokers (betweenness, articulation points and bridges)
need the whole graph; Neo4j Community has no Graph Data Science library to run them on the
server, and the Cypher engine never pulls the whole graph to the client.
"""

from __future__ import annotations

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store
from climatekg.queries.results import Brokers, Communities

UNSUPPORTED = (
    "{what} is not supported on a Neo4j store: Neo4j Community has no Graph Data Science library to "
    "compute it on the server, and climatekg does not pull the whole graph to the client; "
    "run it on the embedded store (climatekg neo4j pull, then without --store)"
)


def refusal(what: str) -> ClimateKGError:
    """The one-line error for a question Neo4j cannot answer without the whole graph."""
    return ClimateKGError(UNSUPPORTED.format(what=what))


def communities(store: Store, *, top: int | None = None, members: int = 10, seed: int = 0) -> Communities:
    """Not supported on Neo4j: Louvain needs the whole graph."""
    raise refusal("communities (Louvain)")


def brokers(store: Store, *, top: int = 20, exact: bool = False) -> Brokers:
    """Not supported on Neo4j: betweenness, articulation points and bridges need the whole graph."""
    raise refusal("brokers (betweenness, bridges)")
