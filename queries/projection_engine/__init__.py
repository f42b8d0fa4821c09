"""The projection engine: every question answered on the networkx-style projection of a store.

The embedded store's engine. Algorithms run in this process on the projection
(``graph/projection.py``, built once per store version and cached); evidence and labels are read
from the store only for what an answer names. One module per question; this package is the
engine ``queries.engine.engine_for`` hands out for the embedded store.
"""

from __future__ import annotations

from climatekg.graph.projection import is_cached, projection
from climatekg.graph.store import Store
from climatekg.queries.projection_engine.brokers import brokers
from climatekg.queries.projection_engine.centrality import centrality
from climatekg.queries.projection_engine.cohort import cohort_gaps
from climatekg.queries.projection_engine.communities import communities
from climatekg.queries.projection_engine.coverage import coverage
from climatekg.queries.projection_engine.neighbours import neighbours
from climatekg.queries.projection_engine.partners import suggest_partners
from climatekg.queries.projection_engine.paths import shortest_paths

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
    """Whether the store's projection is built for its current data (in memory or cached on disk)."""
    return is_cached(kg)


def prepare(kg: Store) -> None:
    """Build (or load) the projection every question here answers from."""
    projection(kg)
