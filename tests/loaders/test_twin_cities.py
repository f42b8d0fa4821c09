"""The twin-cities network loads completely; counts come from the raw CSV by a second method."""

from __future__ import annotations

import csv
import re
import unicodedata

import pycountry
from conftest import TWIN_CITIES, TWIN_CITIES_GEO

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.identity import Identities
from climatekg.loaders.network import load_graphml
from climatekg.loaders.twin_cities import load_twin_cities


def _raw_counts(path):
    """Cities and undirected pairs counted straight from the CSV, without the loader's code.

    Case is folded with casefold(), so "Großbottwar" and "GROSSBOTTWAR" are one city; accents
    are dropped (combining marks after NFD) and typographic apostrophes and dashes made ASCII,
    so "Bérat" and "Berat" in one country are one city, as the identity rule says.
    """

    def fold(text):
        text = re.sub("[\u2018\u2019\u02bc\u02b9`\u00b4\u2032]", "'", text)
        text = re.sub("[\u201c\u201d\u201e\u00ab\u00bb\u2033]", '"', text)
        text = re.sub("[\u2010-\u2015\u2212]", "-", text)
        bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        return " ".join(unicodedata.normalize("NFC", bare).casefold().split())

    def key(city, country):
        return fold(city), fold(country)

    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cities = set()
    pairs = set()
    for r in rows:
        a, b = key(r["city1"], r["country1"]), key(r["city2"], r["country2"])
        cities |= {a, b}
        if a != b:
            pairs.add(frozenset((a, b)))
    return len(rows), cities, pairs


def test_every_city_and_pair_is_loaded_once(kg):
    rows, cities, pairs = _raw_counts(TWIN_CITIES)
    kg.load(load_twin_cities(TWIN_CITIES, store=kg))
    stats = kg.stats()
    assert stats["entities_by_kind"] == {"City": len(cities), "Agreement": len(pairs)}
    assert stats["relations_by_kind"] == {"party_to": 2 * len(pairs)}
    assert rows > len(pairs)  # the file has duplicates and both directions of some pairs


def test_accents_are_kept_and_namesakes_in_other_countries_stay_apart(kg):
    kg.load(load_twin_cities(TWIN_CITIES, store=kg))
    # names are found with accents folded, so both spellings find both cities
    found = kg.find("Berat")
    assert found == kg.find("Bérat")
    by_country = {kg.entity(e).country: kg.entity(e).label for e in found}
    assert by_country["Albania"] == "Berat"
    assert "Bérat" in by_country.values()
    assert len(set(by_country)) == len(found)


def test_both_directions_of_a_pair_give_one_agreement(kg, tmp_path):
    path = tmp_path / "twins.csv"
    path.write_text(
        "city1,country1,city2,country2\nBerat,Albania,Amasya,Turkey\nAmasya,Turkey,Berat,Albania\n"
        "berat , albania,Amasya,Turkey\nSpringfield,USA,Springfield,USA\n",
        encoding="utf-8",
    )
    batch = load_twin_cities(path, store=kg)
    assert [e.kind for e in batch.entities].count(EntityKind.AGREEMENT) == 1
    assert [e.kind for e in batch.entities].count(EntityKind.CITY) == 3
    assert {r.kind for r in batch.relations} == {RelationKind.PARTY_TO}


def test_geocoded_file_gives_coordinates(kg):
    kg.load(load_twin_cities(TWIN_CITIES_GEO, store=kg))
    with open(TWIN_CITIES_GEO, encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    e = kg.entity(kg.find(first["city1"])[0])
    assert (e.lat, e.lon) == (float(first["lat1"]), float(first["lng1"]))


def test_reloading_is_idempotent_and_reuses_stored_cities(bundled_kg):
    batch = load_twin_cities(TWIN_CITIES, store=bundled_kg)
    bundled_kg.load(batch)
    before = bundled_kg.stats()
    report = bundled_kg.load(load_twin_cities(TWIN_CITIES, store=bundled_kg))
    assert not report.changed
    assert bundled_kg.stats() == before


def test_a_city_already_stored_is_reused_and_the_merge_recorded(bundled_kg):
    before = len(list(bundled_kg.relations("city/shenzhen")))
    batch = load_twin_cities(TWIN_CITIES, store=bundled_kg)
    # the id the row would have had on its own: kind/name-ISO code, as the identity rule gives it
    own = "city/shenzhen-" + pycountry.countries.lookup("China").alpha_2.lower()
    assert (own, "city/shenzhen") in batch.merges
    assert any("joined city/shenzhen: same name and country CN" in note for note in batch.notes)
    bundled_kg.load(batch)
    assert bundled_kg.find(own) == ["city/shenzhen"]
    assert bundled_kg.find("Shenzhen") == ["city/shenzhen"]
    with open(TWIN_CITIES, encoding="utf-8", newline="") as f:
        ends = [
            (
                (r["city1"].casefold(), r["country1"].casefold()),
                (r["city2"].casefold(), r["country2"].casefold()),
            )
            for r in csv.DictReader(f)
        ]
    pairs = {frozenset(e) for e in ends if ("shenzhen", "china") in e and e[0] != e[1]}
    after = list(bundled_kg.relations("city/shenzhen"))
    assert len(after) - before == len(pairs)


def test_twin_cities_share_the_identity_rule_with_the_other_loaders(kg, tmp_path):
    """One load of a twin-cities file and a GraphML: the same city (name, country, near) is one entity."""
    twins = tmp_path / "twins.csv"
    twins.write_text(
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Lyon,France,45.76,4.84,Montréal,Canada,45.50,-73.57\n"
        'Newport,"Wales, United Kingdom",51.58,-2.99,Lyon,France,45.76,4.84\n'
        'Newport,"England, United Kingdom",50.70,-1.29,Lyon,France,45.76,4.84\n',
        encoding="utf-8",
    )
    graphml = tmp_path / "partners.graphml"
    graphml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="label" for="node" attr.name="label" attr.type="string"/>'
        '<key id="country" for="node" attr.name="country" attr.type="string"/>'
        '<key id="kind" for="node" attr.name="kind" attr.type="string"/>'
        '<key id="lat" for="node" attr.name="lat" attr.type="double"/>'
        '<key id="lon" for="node" attr.name="lon" attr.type="double"/>'
        '<graph edgedefault="undirected">'
        '<node id="n1"><data key="label">LYON</data><data key="country">FRA</data><data key="kind">City</data>'
        '<data key="lat">45.75</data><data key="lon">4.85</data></node>'
        '<node id="n2"><data key="label">Montreal</data><data key="country">CA</data><data key="kind">City</data>'
        '<data key="lat">40.0</data><data key="lon">-100.0</data></node>'
        '<edge source="n1" target="n2"/></graph></graphml>\n',
        encoding="utf-8",
    )
    identities = Identities(kg)
    first = load_twin_cities(twins, store=kg, identities=identities)
    second = load_graphml(graphml, store=kg, identities=identities, default_kind="City")
    cities = {e.id: e for e in first.entities if e.kind == EntityKind.CITY}
    # the two Newports: one name, one ISO country, but the file names two countries: two cities
    newports = sorted(i for i, e in cities.items() if e.label == "Newport")
    assert len(newports) == 2 and newports[0] == "city/newport-gb"
    assert {cities[i].country for i in newports} == {"Wales, United Kingdom", "England, United Kingdom"}
    # Lyon (same name, country and within 50 km) is joined; this Montreal is 2,000 km away: not joined
    ids = {e.label: e.id for e in second.entities}
    assert ids["LYON"] == "city/lyon-fr" and "city/lyon-fr" in cities
    assert ids["Montreal"] not in cities and cities["city/montreal-ca"].label == "Montréal"
    assert second.merges == [] and any("joined city/lyon-fr" in n for n in second.notes)
