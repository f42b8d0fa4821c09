"""Brokers and bridges: actors between groups and the ties that hold groups together."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Brokers


def brokers(kg: Store, *, top: int = 20, exact: bool = False) -> Brokers:
    """Actors between groups (betweenness, articulation points) and the ties that join groups.

    ``bridges`` lists ties whose removal would cut at least two entities off, the largest
    cut first (a tie to a lone leaf is not listed; ``bridge_count`` counts all bridges). Not on
    Neo4j (betweenness and bridges need the whole graph; the error says so). Betweenness is a
    sampled estimate on large graphs (``method`` says so and from how many sources); ``exact``
    as in ``structure.centrality``.

    Examples:
        >>> found = brokers(kg, top=1)
        >>> found[0].id, found[0].articulation_point, found.method
        ('org/iclei', True, 'exact')
    """
    return engine_for(kg).brokers(kg, top=top, exact=exact)
