"""Cohort gaps: members of one initiative that have no tie of their own."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.pair_scores import Progress
from climatekg.queries.results import CohortGap


def cohort_gaps(
    kg: Store,
    initiative: str,
    *,
    role: str | None = None,
    top: int | None = None,
    progress: Progress | None = None,
) -> list[CohortGap]:
    """Pairs of members of ``initiative`` (with ``role``, if given) that have no tie of their own.

    A tie is any relation between the two or a shared agreement; membership of the
    initiative itself does not count. Ranked by Adamic-Adar over the rest of their shared
    context, then by ids. ``top`` bounds the work as well as the answer: members are scored in
    sparse row blocks keeping only the best ``top`` (``progress(done, total)`` per block), so a
    10,000-member group never holds its 50 million pairs; ``top=None`` lists every pair.

    Examples:
        >>> cohort_gaps(kg, "CCUCC")
        []
    """
    return engine_for(kg).cohort_gaps(kg, initiative, role=role, top=top, progress=progress)
