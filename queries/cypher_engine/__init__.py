"""The Cypher engine: the questions answered on a Neo4j store, as Cypher run on the server.

The same result types and the same answers as the projection engine. Each runner binds
parameters into a ``.cypher`` file in ``queries/``; nothing pulls the whole graph: a query reads
the part of the graph its answer needs (paths between two entities, a neighbourhood, contexts
of a few actors, degrees from Neo4j's degree store). What needs the whole graph in memory
(betweenness, PageRank, communities, brokers) is refused with the reason (``refused.py``).
One module per question; ``CypherEngine`` binds them to a store for ``queries.engine.engine_for``.
"""

from __future__ import annotations

from collections.abc import Iterable

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.queries.cypher_engine.centrality import centrality
from climatekg.queries.cypher_engine.cohort import cohort_gaps
from climatekg.queries.cypher_engine.coverage import coverage
from climatekg.queries.cypher_engine.neighbours import neighbours
from climatekg.queries.cypher_engine.partners import suggest_partners
from climatekg.queries.cypher_engine.paths import shortest_paths
from climatekg.queries.cypher_engine.refused import brokers, communities
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
    "CypherEngine",
    "brokers",
    "centrality",
    "cohort_gaps",
    "communities",
    "coverage",
    "cypher_engine",
    "neighbours",
    "shortest_paths",
    "suggest_partners",
]


class CypherEngine:
    """The questions of ``queries.engine.Engine`` as Cypher on one Neo4j server."""

    def __init__(self, kg: Neo4jStore):
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
        """See ``queries.structure.centrality`` (degree only)."""
        return centrality(self.kg, measure, top)

    def communities(self, *, top: int | None, members: int, seed: int) -> Communities:
        """Refused: see ``refused.py``."""
        return communities(self.kg, top=top, members=members, seed=seed)

    def brokers(self, *, top: int) -> Brokers:
        """Refused: see ``refused.py``."""
        return brokers(self.kg, top=top)

    def suggest_partners(self, *, for_entity: str | None, within: str | None, top: int) -> Suggestions:
        """See ``queries.gaps.suggest_partners`` (one side or a group must be named)."""
        return suggest_partners(self.kg, for_entity=for_entity, within=within, top=top)

    def coverage(self, initiative: str) -> Coverage:
        """See ``queries.gaps.coverage``."""
        return coverage(self.kg, initiative)

    def cohort_gaps(self, initiative: str, *, role: str | None, top: int | None) -> list[CohortGap]:
        """See ``queries.gaps.cohort_gaps``."""
        return cohort_gaps(self.kg, initiative, role=role, top=top)


def cypher_engine(kg: Store) -> CypherEngine:
    """The Cypher engine on ``kg``, which must be a Neo4j store."""
    if not isinstance(kg, Neo4jStore):
        raise ClimateKGError(f"the Cypher engine answers on a Neo4j store (this is {kg.kind})")
    return CypherEngine(kg)
