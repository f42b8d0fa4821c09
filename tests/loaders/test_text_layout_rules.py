"""The text loader's round-3 rules for issue 15 (tables, labelled lines, possessive posts, city
governments, regions, delegations, companies by legal form), each on a small hand-made text."""

from __future__ import annotations

from climatekg.graph.model import EntityKind
from climatekg.loaders.text import Gazetteer, extract
from climatekg.loaders.text.documents import html_to_text, markdown_to_text


def _found(text: str) -> tuple[set[tuple[str, str, str, str | None]], dict[str, EntityKind]]:
    ex = extract(text, Gazetteer(), source_id="t")
    kinds = {m.entity: m.kind for m in ex.mentions}
    return {(r.subject, r.kind.value, r.object, r.role) for r in ex.relations}, kinds


MEMBERS_PAGE = """# Lake Towns Climate Network — members

The **Lake Towns Climate Network** is a network of small towns.

| Town | Country | Member since | Status |
|---|---|---|---|
| Bled | Slovenia | 2023 | observer |
| Davos | Switzerland | 2021 | full member |

## Team

- **Director:** Dr. Katharina Berger
- **Policy officer:** Luca Moretti
"""


def test_a_member_table_states_membership_country_and_status() -> None:
    found, kinds = _found(markdown_to_text(MEMBERS_PAGE))
    net = "org/lake-towns-climate-network"
    assert kinds["city/bled"] is EntityKind.CITY and kinds["city/davos"] is EntityKind.CITY
    assert ("city/bled", "member_of", net, "observer") in found
    assert ("city/davos", "member_of", net, "full member") in found
    assert ("city/bled", "located_in", "place/slovenia", None) in found
    assert ("city/davos", "located_in", "place/switzerland", None) in found


def test_labelled_lines_under_a_team_heading_work_for_the_page_network() -> None:
    found, _ = _found(markdown_to_text(MEMBERS_PAGE))
    net = "org/lake-towns-climate-network"
    assert ("person/katharina-berger", "works_for", net, "Director") in found
    assert ("person/luca-moretti", "works_for", net, "Policy officer") in found


def test_html_tables_and_definition_lists_read_as_rows_and_labelled_lines() -> None:
    text = html_to_text(
        "<nav><a>Oslo</a></nav><table><tr><th>City</th><th>Country</th></tr>"
        "<tr><td>Bled</td><td>Slovenia</td></tr></table><dl><dt>Director</dt><dd>Ann Poe</dd></dl>"
    )
    assert "| City | Country |" in text and "| Bled | Slovenia |" in text
    assert "Director: Ann Poe" in text
    assert "Oslo" not in text  # navigation is not the page's text


def test_possessive_posts_name_the_employer() -> None:
    found, _ = _found(
        "Mayor Erik Dahl said Bergen would send engineers to Cork. Its energy officer, Ingrid Solberg, "
        'will lead the exchange. "It works," said Aalborg\'s deputy mayor for climate, Mads Kristensen.'
    )
    assert ("person/ingrid-solberg", "works_for", "city/bergen", "energy officer") in found
    assert ("person/mads-kristensen", "works_for", "city/aalborg", "deputy mayor for climate") in found


def test_a_city_named_by_its_government_is_the_city() -> None:
    ex = extract(
        "The partnership links Qanat Thermal and Al Wakrah Municipality. Anna Lindqvist works at Gothenburg Municipality.",
        Gazetteer(),
        source_id="t",
    )
    cities = {e.label: e for e in ex.entities if e.kind is EntityKind.CITY}
    assert {"Al Wakrah", "Gothenburg"} <= set(cities)
    assert "Gothenburg Municipality" in cities["Gothenburg"].aliases
    assert not [e for e in ex.entities if "Municipality" in e.label]


def test_members_listed_with_comma_countries_and_in_a_relative_clause() -> None:
    found, _ = _found(
        "The Baltic Warm Cities Network met in Riga. Turku, Finland, and Kalmar, Sweden, joined as associate "
        "members. The network thanked Stavanger and Luleå, which have been members since 2021."
    )
    net = "org/baltic-warm-cities-network"
    assert ("city/turku", "member_of", net, "associate member") in found
    assert ("city/kalmar", "member_of", net, "associate member") in found
    assert ("city/stavanger", "member_of", net, "member") in found
    assert ("city/lulea", "member_of", net, "member") in found


def test_signers_sign_for_their_cities_and_delegations_take_part() -> None:
    found, _ = _found(
        "The Lord Mayor of Cork, Siobhán Murphy, and Bergen Mayor Erik Dahl signed a cooperation agreement at "
        "the Harbour Summit, alongside delegations from Cobh and Kinsale."
    )
    parties = {s for s, k, _, _ in found if k == "party_to"}
    assert {"city/cork", "city/bergen"} <= parties
    assert ("city/cobh", "participated_in", "event/harbour-summit", None) in found
    assert ("city/kinsale", "participated_in", "event/harbour-summit", None) in found


def test_regions_named_by_their_country_or_kind() -> None:
    found, kinds = _found(
        "Guiyang, the capital of China's Guizhou province, met Zunyi, also in Guizhou. Lishui and Huzhou, two "
        "cities in the north of Zhejiang province, joined."
    )
    assert kinds["place/guizhou"] is EntityKind.PLACE
    assert ("place/guizhou", "located_in", "place/china", None) in found
    assert ("city/guiyang", "located_in", "place/guizhou", None) in found
    assert ("city/zunyi", "located_in", "place/guizhou", None) in found
    assert ("city/lishui", "located_in", "place/zhejiang", None) in found
    assert ("city/huzhou", "located_in", "place/zhejiang", None) in found


def test_companies_by_legal_form_and_their_short_name() -> None:
    ex = extract(
        "Sundar Electric Mobility Pvt. Ltd., a Bengaluru-based maker of electric three-wheelers, opened "
        'battery-swapping stations with Nordjysk Cement A/S. "It works," said Ananya Rao, chief executive of Sundar.',
        Gazetteer(),
        source_id="t",
    )
    orgs = {e.label: e for e in ex.entities if e.kind is EntityKind.ORGANISATION}
    assert {"Sundar Electric Mobility Pvt. Ltd.", "Nordjysk Cement A/S"} <= set(orgs)
    assert orgs["Nordjysk Cement A/S"].classification == "company"
    found = {(r.subject, r.kind.value, r.object) for r in ex.relations}
    sundar = orgs["Sundar Electric Mobility Pvt. Ltd."].id
    assert (sundar, "located_in", "city/bengaluru") in found
    assert (sundar, "provides", "tech/electric-three-wheelers") in found
    assert ("person/ananya-rao", "works_for", sundar) in found


def test_a_national_capital_named_by_its_adjective_is_the_capital_named_before() -> None:
    found, _ = _found(
        "ACCRA, 12 May 2022 (Wire) — Accra and Abidjan met at the West Africa Mobility Forum, held this "
        "year in the Ghanaian capital."
    )
    assert ("event/west-africa-mobility-forum", "held_in", "city/accra", None) in found


def test_a_city_government_in_its_own_language_names_the_city() -> None:
    ex = extract("The Alcaldía de Medellín signed the agreement.", Gazetteer(), source_id="t")
    [city] = [e for e in ex.entities if e.kind is EntityKind.CITY]
    assert city.label == "Medellín" and "Alcaldía de Medellín" in city.aliases


def test_sections_of_a_members_page_state_membership_and_use() -> None:
    page = markdown_to_text(
        "# Blue Harbours Network — directory\n\nThe **Blue Harbours Network** is an initiative of the "
        "Maritime Cities Foundation.\n\n## Valparaíso (Chile)\n\n- **Member since:** 2020, founding member\n"
        "- **What it does:** runs two electric tugboats and has installed shore power\n"
    )
    found, kinds = _found(page)
    net = "initiative/blue-harbours-network"
    assert kinds[net] is EntityKind.INITIATIVE  # the heading's name is the initiative the text says it is
    assert (net, "led_by", "org/maritime-cities-foundation", None) in found
    assert ("city/valparaiso", "member_of", net, "founding member") in found
    assert ("city/valparaiso", "demonstrates", "tech/shore-power", None) in found
    assert ("city/valparaiso", "demonstrates", "tech/electric-tugboats", None) in found


def test_a_table_column_headed_by_a_post_names_each_row_s_holder() -> None:
    text = html_to_text(
        "<p>The Sun Belt Cities Compact is a pledge. It is run by the Desert Cities Institute.</p><table>"
        "<tr><th>City</th><th>State</th><th>Signatory since</th><th>Mayor</th></tr>"
        "<tr><td>Yuma</td><td>Arizona</td><td>2023</td><td>Linda Park</td></tr></table>"
    )
    found, _ = _found(text)
    compact = "initiative/sun-belt-cities-compact"
    assert (compact, "led_by", "org/desert-cities-institute", None) in found
    assert ("person/linda-park", "works_for", "city/yuma", "Mayor") in found
    assert ("city/yuma", "located_in", "place/arizona", None) in found
    assert ("city/yuma", "member_of", compact, "signatory") in found


def test_members_admitted_as_a_list_and_a_forum_with_members_is_a_body() -> None:
    found, kinds = _found(
        "The Pacific Resilient Ports Alliance has admitted Apia (Samoa), Nuku'alofa (Tonga) and Port Vila "
        "(Vanuatu) as full members. Port Vila, a member of the Small Island Cities Forum since 2015, hosted it."
    )
    prpa = "org/pacific-resilient-ports-alliance"
    for city in ("city/apia", "city/nuku-alofa", "city/port-vila"):
        assert (city, "member_of", prpa, "full member") in found
    assert kinds["org/small-island-cities-forum"] is EntityKind.ORGANISATION
    assert ("city/port-vila", "member_of", "org/small-island-cities-forum", "member") in found


def test_a_network_run_by_another_body_is_its_initiative() -> None:
    found, kinds = _found(
        "The Alpine Clean Air Coalition is a network of mountain towns. It was founded in 2019 in Innsbruck "
        "and is run by the Alpine Towns Foundation. The Coalition works with Alpenstrom GmbH."
    )
    coalition = "initiative/alpine-clean-air-coalition"
    assert kinds[coalition] is EntityKind.INITIATIVE
    assert (coalition, "led_by", "org/alpine-towns-foundation", None) in found
    assert (coalition, "partner_of", "org/alpenstrom-gmbh", None) in found


def test_a_city_post_without_a_city_in_its_sentence_is_a_post_of_the_document_s_city() -> None:
    found, _ = _found(
        "CITY OF GRAZ — MEDIA INFORMATION\n\nThe city opened a depot. Deputy Mayor Judith Steiner said the "
        "depot would open in May."
    )
    assert ("person/judith-steiner", "works_for", "city/graz", "Deputy Mayor") in found
