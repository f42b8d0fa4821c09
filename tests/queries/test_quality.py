"""Likely duplicates: near-identical names of one kind and country, unless coordinates say apart."""

from __future__ import annotations

import math

from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Source
from climatekg.queries.quality import NEARBY_KM, likely_duplicates

PROV = Provenance("places", "test")


def city(eid: str, label: str, country: str, lat: float | None = None, lon: float | None = None) -> Entity:
    return Entity(eid, EntityKind.CITY, label, PROV, country=country, lat=lat, lon=lon)


def test_same_name_far_apart_is_not_a_duplicate_and_each_pair_says_why(kg):
    batch = Batch(source=Source(id="places", title="places", loader="test"))
    batch.entities = [
        city("city/springfield-il", "Springfield", "United States", 39.80, -89.64),
        city("city/springfield-ma", "Springfield", "United States", 42.10, -72.59),
        city("city/portland-or", "Portland", "United States", 45.52, -122.68),
        city("city/portland-or-2", "Portland ", "United States", 45.55, -122.60),
        city("city/berat", "Berat", "Albania"),
        city("city/berat-2", "Bérat", "Albania"),
        city("city/beratx", "Beratino", "Albania"),
    ]
    kg.load(batch)
    found = {(p["a"], p["b"]): p for p in likely_duplicates(kg)}
    # by hand: the two Springfields are ~1,200 km apart; the two Portlands ~7 km
    dlat, dlon = math.radians(45.55 - 45.52), math.radians(-122.60 + 122.68)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(45.52)) * math.cos(math.radians(45.55)) * math.sin(dlon / 2) ** 2
    )
    km = 2 * 6371.0 * math.asin(math.sqrt(h))
    assert km < NEARBY_KM
    assert set(found) == {("city/portland-or", "city/portland-or-2"), ("city/berat", "city/berat-2")}
    portland = found[("city/portland-or", "city/portland-or-2")]
    assert portland["score"] == 1.0 and portland["distance_km"] == round(km, 1)
    assert portland["reason"] == f"same name; same country; {km:.1f} km apart"
    assert (
        found[("city/berat", "city/berat-2")]["reason"]
        == "same name; same country; no coordinates on both to compare"
    )
    # a lower --min-score also reports the near namesake, with its similarity
    loose = {(p["a"], p["b"]): p for p in likely_duplicates(kg, min_score=0.7)}
    assert ("city/berat", "city/beratx") in loose
    assert loose[("city/berat", "city/beratx")]["reason"].startswith("names 77% alike")
