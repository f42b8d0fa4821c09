"""Why a coverage answer is empty, and whom it leaves out: the notes both engines attach."""

from __future__ import annotations

from typing import Any

from climatekg.graph.model import RelationKind
from climatekg.graph.store import Store
from climatekg.queries.results import Coverage

#: The relations that tie something to a technology.
TECHNOLOGY_TIES = (RelationKind.DEMONSTRATES, RelationKind.CONCERNS, RelationKind.PROVIDES)


def coverage_notes(kg: Store, cov: Coverage) -> list[str]:
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
