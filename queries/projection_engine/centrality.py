"""Centrality on the projection: degree, and betweenness and PageRank through igraph (C speed).

Betweenness is exact up to ``limits.EXACT_BETWEENNESS_LIMIT`` entities and a sampled estimate
above it (the result says which).
"""

from __future__ import annotations

import random
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.projection import Projection, projection
from climatekg.graph.store import Store
from climatekg.queries import limits
from climatekg.queries.labels import labels
from climatekg.queries.results import Central, Ranking


def centrality(kg: Store, measure: str = "degree", top: int = 20, exact: bool = False) -> Ranking:
    """``queries.structure.centrality`` on the projection, for every measure."""
    limits.check_measure(measure)
    proj = projection(kg)
    if measure == "degree":
        scores = [float(proj.degree(n)) for n in range(len(proj))]
        method = "exact"
    elif measure == "betweenness":
        scores, method = betweenness(proj, exact=exact)
    else:
        scores = list(proj.to_igraph().pagerank(directed=False)) if len(proj) else []
        method = "exact (igraph PRPACK, damping 0.85)"
    order = sorted(range(len(proj)), key=lambda n: (-scores[n], proj.ids[n]))[:top]
    named = labels(kg, (proj.ids[n] for n in order))
    ranking = Ranking(
        Central(proj.ids[n], *named[proj.ids[n]], score=scores[n], degree=proj.degree(n)) for n in order
    )
    ranking.measure, ranking.method = measure, method
    return ranking


def betweenness(
    proj: Projection, *, graph: Any = None, seed: int = 0, exact: bool = False
) -> tuple[list[float], str]:
    """Normalised betweenness of every entity and how it was computed ("exact" or "sampled …").

    Normalised like networkx's (pairs of other entities whose shortest paths pass through the
    entity, over all such pairs). Above ``EXACT_BETWEENNESS_LIMIT`` entities, shortest paths are
    counted from ``BETWEENNESS_SAMPLES`` random sources only and scaled up (Brandes and Pich's
    estimate). ``exact`` computes it exactly up to ``EXACT_BETWEENNESS_MAX`` entities and refuses
    above, saying why. ``graph`` is ``proj.to_igraph()`` when the caller already has it.
    """
    n = len(proj)
    if exact and n > limits.EXACT_BETWEENNESS_MAX:
        raise ClimateKGError(
            f"exact betweenness refused: {n:,} entities is above {limits.EXACT_BETWEENNESS_MAX:,} (it counts "
            "shortest paths from every entity, hours at this size); without --exact it is estimated from "
            f"{limits.BETWEENNESS_SAMPLES} sampled sources"
        )
    if n < 3:
        return [0.0] * n, "exact"
    g = graph if graph is not None else proj.to_igraph()
    scale = 2.0 / ((n - 1) * (n - 2))
    if exact or n <= limits.EXACT_BETWEENNESS_LIMIT:
        return [b * scale for b in g.betweenness(directed=False)], "exact"
    sources = sorted(random.Random(seed).sample(range(n), limits.BETWEENNESS_SAMPLES))
    raw = g.betweenness(directed=False, sources=sources)
    # with every entity as a source igraph gives the exact count, so a sample scales by n/|S|
    factor = scale * n / len(sources)
    method = (
        f"sampled: an estimate from shortest paths from {len(sources)} of {n:,} entities (seed {seed}); "
        "--exact computes it exactly"
    )
    return [b * factor for b in raw], method
