"""The bounds that keep a question's work in proportion, and the choices it accepts, in one place.

Every engine reads these at call time (``limits.HUB_LIMIT``), so a test may lower one.
"""

from __future__ import annotations

from collections.abc import Collection

from climatekg.graph.errors import ClimateKGError

#: ``all_paths=True`` stops after this many paths (and says so: ``PathList.truncated``).
MAX_ALL_PATHS = 10_000
#: A neighbourhood scans at most this many half-ties per kept entity before it stops counting.
SCAN_FACTOR = 50
#: Above this many entities betweenness is estimated from ``BETWEENNESS_SAMPLES`` random sources.
EXACT_BETWEENNESS_LIMIT = 5_000
BETWEENNESS_SAMPLES = 256
#: ``exact=True`` (``--exact``) computes betweenness exactly up to this many entities and refuses above.
EXACT_BETWEENNESS_MAX = 200_000
#: Items held by more actors than this do not generate candidates (they still count in scores).
HUB_LIMIT = 10_000
#: Without --for, suggestions compare every pair of actors: refused above this many actors.
GLOBAL_LIMIT = 50_000
#: The centrality measures, in the order the CLI lists them.
MEASURES = ("degree", "betweenness", "pagerank")


def check_measure(measure: str) -> None:
    """Refuse a centrality measure that is not one of ``MEASURES``.

    Examples:
        >>> check_measure("closeness")
        Traceback (most recent call last):
        ...
        climatekg.graph.errors.ClimateKGError: unknown measure 'closeness' (one of degree, betweenness, pagerank)
    """
    if measure not in MEASURES:
        raise ClimateKGError(f"unknown measure {measure!r} (one of {', '.join(MEASURES)})")


def hub_note(hubs: Collection[str]) -> str:
    """The note that says which items were too widely held to generate partner candidates."""
    names = ", ".join(sorted(hubs)[:5])
    return (
        f"{len(hubs)} items held by more than {HUB_LIMIT:,} actors ({names}{', …' if len(hubs) > 5 else ''}) "
        "were not used to find candidates; they still count in the scores"
    )
