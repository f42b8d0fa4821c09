"""Cohort gaps: members of one initiative that have no tie of their own."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import CohortGap


def cohort_gaps(
    kg: Store, initiative: str, *, role: str | None = None, top: int | None = None
) -> list[CohortGap]:
    """Pairs of members of ``initiative`` (with ``role``, if given) that have no tie of their own.

    A tie is any relation between the two or a shared agreement; membership of the
    initiative itself does not count. Ranked by Adamic-Adar over the rest of their shared
    context, then by ids.

    Examples:
        >>> cohort_gaps(kg, "CCUCC")
        []
    """
    return engine_for(kg).cohort_gaps(kg, initiative, role=role, top=top)
