"""Curated files go through the identity rule: homonyms in different countries are two entities.

Expected ids are derived here from the raw CSV with the csv module and pycountry: an entity whose
kind and name no other row shares keeps ``kind/name``; homonyms get ``kind/name-cc``.
"""

from __future__ import annotations

import csv
from collections import Counter

import pycountry
import pytest

from climatekg.graph.errors import LoadError
from climatekg.graph.model import slugify
from climatekg.loaders.curated import load_curated

ROWS = [
    ("City", "Al Hoceima", "Morocco", "35.25", "-3.93"),
    ("City", "Al Hoceima", "Spain", "40.41", "-3.70"),  # a homonym: another country
    ("City", "Rabat", "Morocco", "34.02", "-6.84"),
    ("City", "Córdoba", "Spain", "37.88", "-4.78"),
    ("City", "Cordoba", "Argentina", "-31.42", "-64.18"),  # folds to the same name
    ("Organisation", "Al Hoceima", "Morocco", "", ""),  # same name, another kind: not a homonym
]


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "label", "country", "lat", "lon"])
        w.writerows(rows)
    return path


def _expected(path):
    """kind/slug, with the ISO code of the country when another row has the kind and slug."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names = Counter((r["kind"], slugify(r["label"])) for r in rows)
    expected = Counter()
    for r in rows:
        base = {"City": "city", "Organisation": "org"}[r["kind"]] + "/" + slugify(r["label"])
        if names[(r["kind"], slugify(r["label"]))] > 1:
            base += "-" + pycountry.countries.lookup(r["country"]).alpha_2.lower()
        expected[base] += 1
    return expected


def test_homonyms_in_different_countries_are_two_entities(tmp_path):
    path = _write(tmp_path / "members.csv", ROWS)
    batch = load_curated(path)
    ids = Counter(e.id for e in batch.entities)
    assert ids == _expected(path)
    assert len(batch.entities) == len(ROWS)
    assert "city/al-hoceima-ma" in ids and "city/al-hoceima-es" in ids  # the documented form
    assert not batch.merges  # nothing joined anything


def test_ids_do_not_depend_on_row_order_or_reloads(tmp_path, kg):
    first = load_curated(_write(tmp_path / "members.csv", ROWS))
    again = load_curated(_write(tmp_path / "members.csv", ROWS[::-1]))
    by_row = {(e.kind, e.label, e.country): e.id for e in first.entities}
    assert by_row == {(e.kind, e.label, e.country): e.id for e in again.entities}
    kg.load(first)
    reloaded = load_curated(tmp_path / "members.csv", store=kg)  # its own earlier load: same ids
    assert by_row == {(e.kind, e.label, e.country): e.id for e in reloaded.entities}


def test_an_explicit_duplicate_id_stays_an_error(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,kind,label,country\ncity/x,City,X,Morocco\ncity/x,City,X,Spain\n", encoding="utf-8")
    with pytest.raises(LoadError, match="entity city/x defined twice"):
        load_curated(path)


def test_an_explicit_id_is_never_given_to_a_homonym(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,kind,label,country\ncity/rabat,City,Rabat,Morocco\n,City,Rabat,Ecuador\n", encoding="utf-8"
    )
    ids = sorted(e.id for e in load_curated(path).entities)
    assert ids == ["city/rabat", "city/rabat-ec"]


def test_relations_name_homonyms_by_their_own_ids(tmp_path):
    text = """source: {id: twins, title: Twins}
entities:
  - {kind: City, label: Al Hoceima, country: Morocco}
  - {kind: City, label: Al Hoceima, country: Spain}
  - {kind: City, label: Rabat, country: Morocco}
relations:
  - {subject: city/al-hoceima-ma, kind: partner_of, object: city/rabat}
"""
    good = tmp_path / "good.yaml"
    good.write_text(text, encoding="utf-8")
    batch = load_curated(good)
    assert [(r.subject, r.object) for r in batch.relations] == [("city/al-hoceima-ma", "city/rabat")]
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("subject: city/al-hoceima-ma", "subject: city/al-hoceima"), encoding="utf-8")
    with pytest.raises(
        LoadError, match="city/al-hoceima names 2 entities here; use one of city/al-hoceima-es"
    ):
        load_curated(bad)


def test_a_curated_city_joins_a_stored_one_by_name_and_country(tmp_path, kg):
    kg.load(load_curated(_write(tmp_path / "first.csv", [("City", "Rabat", "Morocco", "34.02", "-6.84")])))
    second = _write(
        tmp_path / "second.csv",
        [("City", "Rabat", "MA", "34.03", "-6.83"), ("City", "Rabat", "Ecuador", "", "")],
    )
    batch = load_curated(second, store=kg)
    assert sorted(e.id for e in batch.entities) == ["city/rabat", "city/rabat-ec"]
    assert any("joined city/rabat: same name and country MA (within 50 km)" in n for n in batch.notes)
