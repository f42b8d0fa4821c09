"""Who is central: entities ranked by degree, betweenness or PageRank."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Ranking


def centrality(kg: Store, measure: str = "degree", top: int = 20, *, exact: bool = False) -> Ranking:
    """The ``top`` entities by ``degree`` (distinct entities tied), ``betweenness`` or ``pagerank``.

    Betweenness is normalised like networkx's (pairs of other entities whose shortest paths
    pass through the entity, over all such pairs) and exact up to
    ``limits.EXACT_BETWEENNESS_LIMIT`` entities; above, ``method`` says it is a sampled estimate
    and from how many sources; ``exact=True`` computes it exactly (refused above
    ``limits.EXACT_BETWEENNESS_MAX`` entities, with the reason). On Neo4j
    only ``degree`` is answered (the others need the whole graph; the error says so).

    Examples:
        >>> ranking = centrality(kg, "degree", top=1)
        >>> ranking[0].id, ranking[0].score, ranking.method
        ('tech/low-carbon-clean-technology', 13.0, 'exact')
    """
    return engine_for(kg).centrality(kg, measure, top, exact)
