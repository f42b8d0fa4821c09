"""Relation rules of issue 15, each on a small made-up text: memberships stated in clauses and
lists, agreements signed "with" parties or "at" an event, leadership by position, posts written
around a name, and what an agreement is about."""

from __future__ import annotations

from tests_text_helpers import entity

from climatekg.app.review.decisions import review_rows
from climatekg.graph.model import EntityKind
from climatekg.loaders.text import Gazetteer, extract

#: Technologies come only from the concept scheme, so the texts need a few of them.
TECHNOLOGIES = Gazetteer.from_entities(
    [
        entity("tech/heat-pumps", EntityKind.TECHNOLOGY, "Heat pumps", ("heat pump",)),
        entity(
            "tech/charging-infrastructure",
            EntityKind.TECHNOLOGY,
            "Charging infrastructure",
            ("charging hubs",),
        ),
        entity("tech/electric-buses", EntityKind.TECHNOLOGY, "Electric buses", ("electric bus",)),
    ]
)


def _relations(text: str) -> set[tuple[str, str, str, str | None]]:
    ex = extract(text, TECHNOLOGIES, source_id="t")
    return {(r.subject, r.kind.value, r.object, r.role) for r in ex.relations}


def _pairs(text: str) -> set[tuple[str, str, str]]:
    return {(s, k, o) for s, k, o, _ in _relations(text)}


def test_an_agreement_signed_with_parties_and_at_an_event() -> None:
    found = _pairs(
        "Antofagasta will run hydrogen fuel-cell buses under a cooperation agreement signed on Tuesday "
        "with the neighbouring town of Mejillones and the Atacama Hydrogen Council. "
        "The agreement was signed at Pacific Hydrogen Week 2022 in Antofagasta."
    )
    agreements = {o for s, k, o in found if k == "party_to"}
    assert len(agreements) == 1
    [agreement] = agreements
    parties = {s for s, k, o in found if k == "party_to"}
    assert parties == {"city/antofagasta", "city/mejillones", "org/atacama-hydrogen-council"}
    assert (agreement, "signed_at", "event/pacific-hydrogen-week-2022") in found
    assert (agreement, "concerns", "tech/hydrogen-fuel-cell-buses") in found


def test_under_it_refers_to_the_agreement_named_before() -> None:
    found = _pairs(
        "Leeds and York signed a cooperation agreement in London. "
        "Under it, the Parties will compare heat pumps installed in listed buildings."
    )
    [agreement] = {o for s, k, o in found if k == "party_to"}
    assert (agreement, "concerns", "tech/heat-pumps") in found


def test_membership_of_a_body_referred_to_as_the_council() -> None:
    found = _pairs(
        "The Flemish Heat Network Council met in Brussels. "
        "Leuven has been a member of the Council, which brings together 14 municipalities, since 2016."
    )
    assert ("city/leuven", "member_of", "org/flemish-heat-network-council") in found


def test_a_chair_of_a_council_who_is_also_a_mayor_holds_both_posts() -> None:
    found = _relations(
        "Flemish Heat Network Council Chair and Kortrijk Mayor Ruth Vandenberghe welcomed the agreement."
    )
    assert ("person/ruth-vandenberghe", "works_for", "org/flemish-heat-network-council", "Chair") in found
    assert ("person/ruth-vandenberghe", "works_for", "city/kortrijk", "Mayor") in found


def test_a_signatory_since_a_year_belongs_to_the_network_the_text_is_about() -> None:
    found = _pairs(
        "Six cities joined the Asia-Pacific Rooftop Solar Compact. "
        "Cebu City, a signatory since 2019, has installed rooftop solar on municipal buildings."
    )
    assert ("city/cebu-city", "member_of", "initiative/asia-pacific-rooftop-solar-compact") in found


def test_a_list_of_members_goes_on_past_their_countries_and_semicolons() -> None:
    found = _pairs(
        "The Asia-Pacific Rooftop Solar Compact has welcomed five new signatory cities: Iloilo City and "
        "Davao City in the Philippines; Hue in Viet Nam; and Mysuru, India."
    )
    compact = "initiative/asia-pacific-rooftop-solar-compact"
    for city in ("iloilo-city", "davao-city", "hue", "mysuru"):
        assert (f"city/{city}", "member_of", compact) in found


def test_counted_full_members_taking_part_in_a_programme_are_its_members() -> None:
    found = _pairs(
        "The African Clean Cities Network said that Dakar (Senegal), Kampala (Uganda) and Lusaka (Zambia) "
        "have joined as full members. Gulu and Nakuru were admitted as associate members in Kigali. "
        "The three new full members will take part in the Clean Air and Mobility Programme."
    )
    programme = "initiative/clean-air-and-mobility-programme"
    members = {s for s, k, o in found if k == "member_of" and o == programme}
    assert members == {"city/dakar", "city/kampala", "city/lusaka"}


def test_an_organisation_based_in_a_city_by_an_apposition() -> None:
    found = _pairs(
        "Quayside Power Labs, the Glasgow-based marine energy start-up, builds charging hubs for ships."
    )
    assert ("org/quayside-power-labs", "located_in", "city/glasgow") in found
    assert ("org/quayside-power-labs", "provides", "tech/charging-infrastructure") in found


def test_leadership_by_position() -> None:
    found = _pairs(
        "The project was selected for the Cool Cities Programme of the Flemish Energy Agency. "
        "The Green Lake Foundation said on Monday that its Zero-Carbon Villages Programme will grow. "
        "Kisumu City today launched the Solar Markets Programme."
    )
    assert ("initiative/cool-cities-programme", "led_by", "org/flemish-energy-agency") in found
    assert ("initiative/zero-carbon-villages-programme", "led_by", "org/green-lake-foundation") in found
    assert ("initiative/solar-markets-programme", "led_by", "city/kisumu") in found


def test_a_person_named_before_their_post_at_an_employer() -> None:
    found = _relations("Jonas Berg, product manager at Nordkyl Heat Pumps AB, presented the results.")
    assert ("person/jonas-berg", "works_for", "org/nordkyl-heat-pumps-ab", "product manager") in found


def test_an_organisation_that_tested_a_technology_with_a_city() -> None:
    found = _pairs("Kampala has already tested electric buses with the local start-up Nile E-Moto Ltd.")
    assert ("city/kampala", "demonstrates", "tech/electric-buses") in found
    assert ("org/nile-e-moto-ltd", "demonstrates", "tech/electric-buses") in found


def test_the_parties_of_an_agreement_between_two_cities() -> None:
    found = _pairs(
        "It builds on the 2019 sister-city agreement between Durban and Maputo, which set up exchanges."
    )
    [agreement] = {o for s, k, o in found if k == "party_to"}
    assert {s for s, k, o in found if k == "party_to"} == {"city/durban", "city/maputo"}
    assert agreement.startswith("agreement/")


def test_the_review_rows_show_each_candidate_s_sentence_and_its_offsets() -> None:
    text = (
        "The African Clean Cities Network said that Dakar (Senegal) and Kampala (Uganda) have joined as full "
        "members. The two new full members will take part in the Clean Air and Mobility Programme."
    )
    ex = extract(text, TECHNOLOGIES, source_id="t")
    entities, relations = review_rows(ex, lambda eid: eid)
    assert relations and entities
    for row in [*entities, *relations]:
        start, end = (int(x) for x in row["chars"].removeprefix("chars ").split("-"))
        assert text[start:end] == row["quote"] and row["quote"].endswith(".")


def test_an_agreement_signed_on_an_event_s_page_is_signed_at_the_event() -> None:
    page = (
        "# Baltic Clean Heat Forum 2023 — event report\n\n*Tallinn, Estonia, 5–6 October 2023*\n\n"
        "Pärnu (Estonia) and Jūrmala (Latvia) signed a memorandum of understanding on heat pumps.\n"
    )
    found = _pairs(page)
    [agreement] = {o for s, k, o in found if k == "party_to"}
    assert (agreement, "signed_at", "event/baltic-clean-heat-forum-2023") in found


def test_a_name_after_a_capitalised_noun_and_of_is_found_by_its_head_word() -> None:
    ex = extract(
        "Launch of the Andean Electric Mobility Initiative, led by the Condor Development Bank.",
        TECHNOLOGIES,
        source_id="t",
    )
    assert {e.label for e in ex.entities} >= {
        "Andean Electric Mobility Initiative",
        "Condor Development Bank",
    }
    assert ("initiative/andean-electric-mobility-initiative", "led_by", "org/condor-development-bank") in {
        (r.subject, r.kind.value, r.object) for r in ex.relations
    }
