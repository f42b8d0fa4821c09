"""Suggested partners: pairs of actors with no tie, ranked by the context they share."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Suggestions


def suggest_partners(
    kg: Store, *, for_entity: str | None = None, within: str | None = None, top: int = 20
) -> Suggestions:
    """Pairs of actors with no tie, ranked by the context they share, each with its explanation.

    ``for_entity`` fixes one side; ``within`` (an initiative or network) keeps both sides among
    its members (the ``for_entity`` side may be outside). Without ``for_entity`` every pair in
    scope is compared (refused above ``limits.GLOBAL_LIMIT`` actors, and on Neo4j without
    ``within``). Items held by more than ``limits.HUB_LIMIT`` actors generate no candidates but
    still count in the scores (``notes`` says so).

    Examples:
        >>> best = suggest_partners(kg, for_entity="ICLEI USA", top=1)[0]
        >>> best.b, [item.id for item in best.shared]
        ('initiative/ccucc', ['org/iclei'])
    """
    return engine_for(kg).suggest_partners(kg, for_entity=for_entity, within=within, top=top)
