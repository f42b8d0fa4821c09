"""The projection engine: every question answered on the networkx-style projection of a store.

The embedded store's engine. Algorithms run in this process on the projection
(``graph/projection.py``, built once per store version and cached); evidence and labels are read
from the store only for what an answer names. One module per question; ``ProjectionEngine``
binds them to a store for ``queries.engine.engine_for``.
"""

from __future__ import annotations

from collections.abc import Iterable

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.queries.projection_engine.brokers import brokers
from climatekg.queries.projection_engine.centrality import centrality
from climatekg.queries.projection_engine.cohort import cohort_gaps
from climatekg.queries.projection_engine.communities import communities
from climatekg.queries.projection_engine.coverage import coverage
from climatekg.queries.projection_engine.neighbours import neighbours
from climatekg.queries.projection_engine.partners import suggest_partners
from climatekg.queries.projection_engine.paths import shortest_paths
from climatekg.queries.results import (
    Brokers,
    CohortGap,
    Communities,
    Coverage,
    Neighbourhood,
    PathList,
    Ranking,
    Suggestions,
)

__all__ = [
    "ProjectionEngine",
    "brokers",
    "centrality",
    "cohort_gaps",
    "communities",
    "coverage",
    "neighbours",
    "shortest_paths",
    "suggest_partners",
]


class ProjectionEngine:
    """The questions of ``queries.engine.Engine`` on one store's projection."""

    def __init__(self, kg: Store):
        self.kg = kg

    def shortest_paths(
        self,
        source: str,
        target: str,
        *,
        k: int,
        max_hops: int,
        relations: Iterable[RelationKind | str] | None,
        via_kinds: Iterable[EntityKind | str] | None,
        avoid_kinds: Iterable[EntityKind | str] | None,
        as_of: str | None,
        all_paths: bool,
    ) -> PathList:
        """See ``queries.paths.shortest_paths``."""
        return shortest_paths(
            self.kg,
            source,
            target,
            k=k,
            max_hops=max_hops,
            relations=relations,
            via_kinds=via_kinds,
            avoid_kinds=avoid_kinds,
            as_of=as_of,
            all_paths=all_paths,
        )

    def neighbours(
        self,
        entity: str,
        *,
        hops: int,
        relations: Iterable[RelationKind | str] | None,
        kinds: Iterable[EntityKind | str] | None,
        as_of: str | None,
        limit: int,
    ) -> Neighbourhood:
        """See ``queries.structure.neighbours``."""
        return neighbours(
            self.kg, entity, hops=hops, relations=relations, kinds=kinds, as_of=as_of, limit=limit
        )

    def centrality(self, measure: str, top: int) -> Ranking:
        """See ``queries.structure.centrality``."""
        return centrality(self.kg, measure, top)

    def communities(self, *, top: int | None, members: int, seed: int) -> Communities:
        """See ``queries.structure.communities``."""
        return communities(self.kg, top=top, members=members, seed=seed)

    def brokers(self, *, top: int) -> Brokers:
        """See ``queries.gaps.brokers``."""
        return brokers(self.kg, top=top)

    def suggest_partners(self, *, for_entity: str | None, within: str | None, top: int) -> Suggestions:
        """See ``queries.gaps.suggest_partners``."""
        return suggest_partners(self.kg, for_entity=for_entity, within=within, top=top)

    def coverage(self, initiative: str) -> Coverage:
        """See ``queries.gaps.coverage``."""
        return coverage(self.kg, initiative)

    def cohort_gaps(self, initiative: str, *, role: str | None, top: int | None) -> list[CohortGap]:
        """See ``queries.gaps.cohort_gaps``."""
        return cohort_gaps(self.kg, initiative, role=role, top=top)
