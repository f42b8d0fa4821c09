"""One dispatch point: the engine that answers the questions on a store, chosen once by its kind.

Every question (``paths``, ``structure``, ``gaps``) asks ``engine_for(kg)`` and calls the same
method whatever the store: the projection engine for the embedded store, the Cypher engine for
Neo4j. No question ever asks which store it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.queries import cypher_engine, projection_engine
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


class Engine(Protocol):
    """The questions, each answered on the store it is given. Each public question documents its
    parameters; an engine is a module of functions with these signatures."""

    def ready(self, kg: Store, /) -> bool:
        """Whether questions can start at once (no one-off preparation such as a projection to build)."""
        ...

    def prepare(self, kg: Store, /) -> None:
        """Do the one-off work questions need, so a caller can show progress while it runs."""
        ...

    def shortest_paths(
        self,
        kg: Store,
        /,
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
        ...

    def neighbours(
        self,
        kg: Store,
        /,
        entity: str,
        *,
        hops: int,
        relations: Iterable[RelationKind | str] | None,
        kinds: Iterable[EntityKind | str] | None,
        through_kinds: Iterable[EntityKind | str] | None,
        as_of: str | None,
        limit: int,
    ) -> Neighbourhood:
        """See ``queries.structure.neighbours``."""
        ...

    def centrality(self, kg: Store, /, measure: str, top: int, exact: bool) -> Ranking:
        """See ``queries.structure.centrality``."""
        ...

    def communities(self, kg: Store, /, *, top: int | None, members: int, seed: int) -> Communities:
        """See ``queries.structure.communities``."""
        ...

    def brokers(self, kg: Store, /, *, top: int, exact: bool) -> Brokers:
        """See ``queries.gaps.brokers``."""
        ...

    def suggest_partners(
        self,
        kg: Store,
        /,
        *,
        for_entity: str | None,
        within: str | None,
        top: int,
        pair: str | None,
        progress: Callable[[int, int], None] | None,
    ) -> Suggestions:
        """See ``queries.gaps.suggest_partners``."""
        ...

    def coverage(self, kg: Store, /, initiative: str) -> Coverage:
        """See ``queries.gaps.coverage``."""
        ...

    def cohort_gaps(
        self,
        kg: Store,
        /,
        initiative: str,
        *,
        role: str | None,
        top: int | None,
        progress: Callable[[int, int], None] | None,
    ) -> list[CohortGap]:
        """See ``queries.gaps.cohort_gaps``."""
        ...


#: The engine for each kind of store (``Store.kind``).
ENGINES: dict[str, Engine] = {
    "embedded": projection_engine,
    "neo4j": cypher_engine,
}


def engine_for(kg: Store) -> Engine:
    """The engine that answers questions on ``kg``.

    Examples:
        >>> engine_for(kg).__name__
        'climatekg.queries.projection_engine'
    """
    engine = ENGINES.get(kg.kind)
    if engine is None:
        raise ClimateKGError(f"no query engine for a {kg.kind!r} store (one of {', '.join(ENGINES)})")
    return engine
