"""The lean projection graph algorithms run on (see ``structure``), how it is built from a store
(``builder``, ``reader``) and kept per store version (``cache``).

Today's names stay importable from here: ``projection(kg)``, ``Projection``, ``View`` and the
kind, relation and date helpers queries filter with.
"""

from climatekg.graph.projection.cache import is_cached, projection
from climatekg.graph.projection.reader import build_projection, build_projection_from_records
from climatekg.graph.projection.structure import (
    ALL_RELATIONS,
    FORMAT,
    KINDS,
    RELATIONS,
    UNKNOWN_KIND,
    DatedTie,
    Projection,
    View,
    as_of_bounds,
    day_span,
    holds_during,
    kind_code,
    relation_kinds,
    relation_mask,
)

__all__ = [
    "ALL_RELATIONS",
    "FORMAT",
    "KINDS",
    "RELATIONS",
    "UNKNOWN_KIND",
    "DatedTie",
    "Projection",
    "View",
    "as_of_bounds",
    "build_projection",
    "build_projection_from_records",
    "day_span",
    "holds_during",
    "is_cached",
    "kind_code",
    "projection",
    "relation_kinds",
    "relation_mask",
]
