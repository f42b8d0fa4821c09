"""Technology coverage: which technologies each member city of an initiative covers, and lacks."""

from __future__ import annotations

from typing import Any

from climatekg.graph.model import RelationKind
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
    cov = engine_for(kg).coverage(kg, initiative)
    cov.notes = _notes(kg, cov)
    return cov


#: The relations that tie something to a technology.
TECHNOLOGY_TIES = (RelationKind.DEMONSTRATES, RelationKind.CONCERNS, RelationKind.PROVIDES)


def _notes(kg: Store, cov: Coverage) -> list[str]:
    """Why the answer is empty, if it is, and which members it leaves out."""
    notes = []
    if cov.left_out:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in cov.left_out.items())
        notes.append(
            f"{sum(cov.left_out.values()):,} members left out: coverage compares cities only ({kinds})"
        )
    if not cov.cities:
        notes.append(f"no member of {cov.initiative_label} is a city, so there is nothing to compare")
    elif not cov.technologies:
        by_kind: Any = kg.stats().get("relations_by_kind", {})
        if not any(by_kind.get(k.value) for k in TECHNOLOGY_TIES):
            notes.append(
                "the data holds no technology ties at all (no demonstrates, concerns or provides "
                "relations), so no city can cover one"
            )
        else:
            notes.append(
                f"none of the {len(cov.cities):,} member cities covers a technology: none demonstrates one, "
                "and none of their agreements or initiatives concerns one"
            )
    return notes
