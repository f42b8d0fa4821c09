"""Suggested partners: pairs of actors with no tie, ranked by the context they share."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.pair_scores import Progress
from climatekg.queries.results import Suggestions


def suggest_partners(
    kg: Store,
    *,
    for_entity: str | None = None,
    within: str | None = None,
    top: int = 20,
    pair: str | None = None,
    progress: Progress | None = None,
) -> Suggestions:
    """Pairs of actors with no tie, ranked by the context they share, each with its explanation.

    Only cities and organisations are paired (``pair``: ``city-city``, ``city-organisation`` or
    ``any``; the default is in ``queries.pairing``); initiatives, agreements and technologies are
    shared context. ``for_entity`` fixes one side; ``within`` (an initiative or network) keeps
    both sides among its members (the ``for_entity`` side may be outside). Without ``for_entity``
    every pair in scope is scored in bounded sparse blocks (refused above
    ``limits.GLOBAL_LIMIT`` actors, and on Neo4j without ``within``); ``progress(done, total)``
    is called per block. For one actor, items held by more than ``limits.HUB_LIMIT`` actors
    generate no candidates but still count in the scores (``notes`` says so). Each suggestion
    counts the candidates sharing its score (``ties``); ``pairing.TIE_BREAK`` orders them.

    Examples:
        >>> suggest_partners(kg, for_entity="Shenzhen").pair  # a city: other cities by default
        'city-city'
        >>> best = suggest_partners(kg, for_entity="Shenzhen", pair="any", top=1)[0]
        >>> best.b, [item.id for item in best.shared], best.ties
        ('org/iclei', ['initiative/ccucc'], 1)
    """
    return engine_for(kg).suggest_partners(
        kg, for_entity=for_entity, within=within, top=top, pair=pair, progress=progress
    )
