"""The shared country: a signal partner suggestions take from the data, weighted by the data.

Two actors stated in the same country share it as one more context item, held by every actor
(city or organisation) stated in that country. Like any shared item it adds ``weight / ln(size)``
to Adamic-Adar and ``weight / size`` to resource allocation, and it finds candidates unless more
than ``limits.HUB_LIMIT`` actors hold it. Its ``weight`` is learned from the store's own ties,
never from a benchmark: ``1 - expected / observed``, where *observed* is the share of tied actor
pairs (both located) in one country and *expected* the share of all located actor pairs in one
country — near 0 when ties ignore countries (0.037 for the sister cities: 3.7% against 3.6%), near 1 when they
follow them (0 as well when no tied pair is located, or ties are rarer within countries).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from climatekg.queries.results import SharedItem

#: Shared-item ids of countries start with this (no entity id does: ids are ``kind/slug``).
PREFIX = "country:"
KIND = "Country"


@dataclass(frozen=True)
class CountrySignal:
    """Located actors per country and the weight of a shared country."""

    sizes: Mapping[str, int]  # country → actors (cities, organisations) stated in it
    weight: float
    tied_pairs: int = 0  # located tied pairs the weight was learned from
    same_pairs: int = 0  # … of which in one country

    def size(self, country: str | None) -> int:
        """How many actors hold ``country`` (0 when none, or when the signal has no weight)."""
        return self.sizes.get(country, 0) if country and self.weight > 0 else 0

    def note(self) -> list[str]:
        """What the weight was learned from, when it counts (for ``Suggestions.notes``)."""
        if self.weight <= 0:
            return []
        return [
            f"a shared country weighs {self.weight:.3f} of an item: {self.same_pairs:,} of the "
            f"{self.tied_pairs:,} tied actor pairs with a stated country are in one country, "
            f"against {self.chance():.1%} of all such pairs"
        ]

    def chance(self) -> float:
        """The share of located actor pairs that are in one country."""
        located = sum(self.sizes.values())
        return sum(n * (n - 1) for n in self.sizes.values()) / max(1, located * (located - 1))

    def item(self, country: str) -> SharedItem:
        """The shared item that explains a shared country."""
        how = [f"stated in {country}"]
        return SharedItem(PREFIX + country, country, KIND, self.sizes[country], how, how, self.weight)


def learned_weight(sizes: Mapping[str, int], tied_pairs: int, same_pairs: int) -> float:
    """``1 - expected / observed`` (see the module docstring), rounded to 6 digits, never below 0.

    Examples:
        >>> learned_weight({"A": 50, "B": 50}, tied_pairs=100, same_pairs=90)  # ties follow countries
        0.450056
        >>> learned_weight({"A": 50, "B": 50}, tied_pairs=100, same_pairs=45)  # they ignore them
        0.0
    """
    if not tied_pairs or not same_pairs or sum(sizes.values()) < 2:
        return 0.0
    expected = CountrySignal(sizes, 0.0).chance()
    observed = same_pairs / tied_pairs
    return round(max(0.0, 1 - expected / observed), 6)
