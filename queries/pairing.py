"""Which actors partner suggestions pair: cities and organisations, never initiatives or things.

Initiatives, events, agreements and technologies are context (what two actors share), never a
suggested partner. ``--pair`` chooses the pairs: ``city-city``, ``city-organisation`` or ``any``
(cities and organisations alike). Without it: ``city-city`` when the scope holds cities (and the
named actor, if any, is a city), else ``any``. Regions take part as the organisations or cities
their loader made them.
"""

from __future__ import annotations

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind

CITY, ORGANISATION = EntityKind.CITY.value, EntityKind.ORGANISATION.value
#: The kinds a suggestion may pair.
PARTNER_KINDS = frozenset({CITY, ORGANISATION})
#: The choices of ``--pair``.
PAIRS = ("city-city", "city-organisation", "any")


def choose_pair(pair: str | None, *, for_kind: str | None, has_cities: bool) -> str:
    """The pairing to use, refusing one that cannot apply to the named actor.

    Examples:
        >>> choose_pair(None, for_kind=None, has_cities=True)
        'city-city'
        >>> choose_pair(None, for_kind="Organisation", has_cities=True)
        'any'
        >>> choose_pair("city-city", for_kind="Initiative", has_cities=True)
        Traceback (most recent call last):
        ...
        climatekg.graph.errors.ClimateKGError: partners are suggested for cities and organisations, not for an Initiative (it is context two actors share)
    """
    if pair is not None and pair not in PAIRS:
        raise ClimateKGError(f"unknown --pair {pair!r} (one of {', '.join(PAIRS)})")
    if for_kind is not None and for_kind not in PARTNER_KINDS:
        raise ClimateKGError(
            f"partners are suggested for cities and organisations, not for an {for_kind} (it is context two actors share)"
        )
    if pair is None:
        return "city-city" if has_cities and for_kind in (None, CITY) else "any"
    if pair == "city-city" and for_kind == ORGANISATION:
        raise ClimateKGError("--pair city-city needs a city in --for (this is an organisation)")
    return pair


def sides(pair: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """The kinds of each side of a pair, and whether the sides are one set (each pair once).

    Examples:
        >>> sides("city-organisation")
        (frozenset({'City'}), frozenset({'Organisation'}), False)
    """
    if pair == "city-city":
        return frozenset({CITY}), frozenset({CITY}), True
    if pair == "city-organisation":
        return frozenset({CITY}), frozenset({ORGANISATION}), False
    return PARTNER_KINDS, PARTNER_KINDS, True


def partner_kinds(pair: str, for_kind: str) -> frozenset[str]:
    """The kinds a named actor of ``for_kind`` may be paired with.

    Examples:
        >>> sorted(partner_kinds("city-organisation", "Organisation"))
        ['City']
    """
    if pair == "city-city":
        return frozenset({CITY})
    if pair == "city-organisation":
        return frozenset({ORGANISATION}) if for_kind == CITY else frozenset({CITY})
    return PARTNER_KINDS


TIE_BREAK = (
    "ties on Adamic-Adar are ranked by resource allocation (rarer shared items first), then by "
    "preferential attachment (the product of the two actors' numbers of ties), then by id"
)
