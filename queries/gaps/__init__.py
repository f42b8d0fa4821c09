"""Partnership gaps: ties that could exist, technologies an initiative's cities lack, brokers, cohorts.

*Context.* An actor's context is what it is directly tied to (other actors — cities,
organisations, initiatives — and technologies) plus the co-parties of every agreement it is
party to. Two actors are *tied* when either is in the other's context; a suggested partner pair
is never tied and is ranked by the context it shares: Adamic-Adar (``adamic_adar``, the score)
and resource allocation, where an item's degree is the size of its own context (for a
technology: the actors tied to it). One module per question; each asks the store's engine.
"""

from __future__ import annotations

from climatekg.queries.gaps.brokers import brokers
from climatekg.queries.gaps.cohort import cohort_gaps
from climatekg.queries.gaps.coverage import coverage
from climatekg.queries.gaps.partners import suggest_partners

__all__ = ["brokers", "cohort_gaps", "coverage", "suggest_partners"]
