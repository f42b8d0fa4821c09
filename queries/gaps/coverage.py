"""Technology coverage: which technologies each member city of an initiative covers, and lacks."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.queries.engine import engine_for
from climatekg.queries.results import Coverage


def coverage(kg: Store, initiative: str) -> Coverage:
    """Which technologies each member city of ``initiative`` covers, and which it lacks.

    A city covers a technology it demonstrates, or one an agreement it is party to or an
    initiative it is a member of concerns. A gap is a technology some member covers and
    another lacks (with the peers that cover it). ``providers`` lists organisations that
    provide one of these technologies yet are tied to no city at all. ``left_out`` counts the
    members that are not cities, by kind; ``notes`` say why an answer is empty (no member is a
    city; the data holds no technology ties; the cities cover none) and who was left out.

    Examples:
        >>> cov = coverage(kg, "CCUCC")
        >>> sorted(cov.matrix["city/shenzhen"])
        ['tech/air-pollution-mitigation', 'tech/low-carbon-clean-technology']
        >>> cov.matrix["city/shenzhen"]["tech/air-pollution-mitigation"]
        ['member of initiative/ccucc']
    """
    return engine_for(kg).coverage(kg, initiative)
