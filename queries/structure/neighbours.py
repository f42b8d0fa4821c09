"""An entity's neighbourhood: the entities within some ties of it, and the relations among them."""

from __future__ import annotations

from collections.abc import Iterable

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Neighbourhood


def neighbours(
    kg: Store,
    entity: str,
    *,
    hops: int = 2,
    relations: Iterable[RelationKind | str] | None = None,
    kinds: Iterable[EntityKind | str] | None = None,
    through_kinds: Iterable[EntityKind | str] | None = None,
    as_of: str | None = None,
    limit: int = 500,
) -> Neighbourhood:
    """Entities within ``hops`` ties of ``entity`` and the relations among them, at most ``limit``.

    ``relations`` limits the relation kinds followed; ``kinds`` filters the *result* (the entity
    itself is always listed; others of other kinds are walked through but not listed);
    ``through_kinds`` restricts the *traversal* (only entities of these kinds are entered, so
    nothing beyond another kind is reached); ``as_of`` the date the relations must hold on.
    ``limit`` counts listed entities. Each node has ``id``,
    ``label``, ``kind`` and ``distance``; each edge ``source`` (the subject), ``target``,
    ``relation`` and, when the tie is dated, ``start``/``end``. When ``limit`` cuts a level,
    the first entities by id are kept.

    Examples:
        >>> nb = neighbours(kg, "ICLEI USA", hops=1)
        >>> [(n["id"], n["distance"]) for n in nb.nodes]
        [('org/iclei-usa', 0), ('org/iclei', 1), ('person/angie-fyfe', 1)]
        >>> [(e["source"], e["relation"], e["target"]) for e in nb.edges]
        [('org/iclei-usa', 'member_of', 'org/iclei'), ('person/angie-fyfe', 'works_for', 'org/iclei-usa')]
    """
    return engine_for(kg).neighbours(
        kg,
        entity,
        hops=hops,
        relations=relations,
        kinds=kinds,
        through_kinds=through_kinds,
        as_of=as_of,
        limit=limit,
    )
