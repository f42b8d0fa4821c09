"""Which groups form: communities of densely tied entities (Louvain)."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Communities


def communities(kg: Store, *, top: int | None = None, members: int = 10, seed: int = 0) -> Communities:
    """Groups of densely tied entities (Louvain, igraph), largest first, with their top members.

    ``top`` limits how many communities are described, ``members`` how many members each
    lists (highest degree first); ``membership`` maps every entity id to its community. Not on
    Neo4j (Louvain needs the whole graph; the error says so).

    Examples:
        >>> found = communities(kg)
        >>> sum(c.size for c in found) == len(found.membership), found.modularity > 0
        (True, True)
    """
    return engine_for(kg).communities(kg, top=top, members=members, seed=seed)
