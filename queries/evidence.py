"""A path's hop from the relations behind it: which relation speaks for the hop, and its evidence.

Both engines find the relations between two entities their own way and hand them here, so a hop
reads the same whichever store answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from climatekg.graph.model import Relation
from climatekg.graph.projection import RELATIONS
from climatekg.queries.results import Hop


def evidence_rank(r: Relation, a: str) -> tuple[object, ...]:
    """How well ``r`` speaks for a hop leaving ``a``: curated, confident, by kind, outgoing, early first."""
    p = r.provenance
    return (
        p.status != "curated",
        -p.confidence,
        RELATIONS.index(r.kind),
        r.subject != a,
        r.start or "",
        p.source,
    )


def evidence_row(r: Relation, a: str) -> dict[str, Any]:
    """One relation behind a hop leaving ``a``, as plain data: its kind, direction, dates and source."""
    p = r.provenance
    return {
        "relation": r.kind.value,
        "direction": "out" if r.subject == a else "in",
        "start": r.start,
        "end": r.end,
        "role": r.role,
        "source": p.source,
        "locator": p.locator,
        "quote": p.quote,
        "status": p.status,
        "confidence": p.confidence,
    }


def hop(a: str, b: str, relations: Iterable[Relation]) -> Hop:
    """The hop ``a`` → ``b`` told by its best relation, with every relation as evidence.

    No relation means the store changed under the search: the hop says so (an empty relation)
    instead of guessing.
    """
    rels = sorted(relations, key=lambda r: evidence_rank(r, a))
    if not rels:
        return Hop(a, b, "", "", None, None, None, [])
    best = rels[0]
    return Hop(
        source=a,
        target=b,
        relation=best.kind.value,
        direction="out" if best.subject == a else "in",
        start=best.start,
        end=best.end,
        role=best.role,
        evidence=[evidence_row(r, a) for r in rels],
    )
