"""The memberships loader on a table with every trap of the real ones.

Expected counts are computed here from the raw file with the csv module and plain Python, not
with the loader's code: split on ';', drop empty/NA items and repeats, key actors by kind, name
and country.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import run_cli

from climatekg.graph.errors import LoadError
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.memberships import load_memberships

HEADER = "name,entity_type,iso,country,lat,lng,population,initiatives,notes\n"
ROWS = [
    "Lyon,City,FRA,France,45.76,4.84,516092,NAZCA2020;;DDLNetZeroDB2020;NA;NAZCA2020,x\n",
    "Lyon,Region,FRA,France,,,,NAZCA2020;;CDP2019,\n",  # a Region with a City's name
    "San Francisco,City,USA,United States,37.77,-122.42,873965,C40;NAZCA2020,\n",
    "San Francisco,City,ARG,Argentina,-31.43,-62.08,NA,C40,\n",  # same name, other country
    "Oslo,,NOR,Norway,59.91,10.75,,N/A;null;;C40,\n",  # kind missing: takes the default (City)
    "Bayern,State,DEU,Germany,,,,CDP2019; Under2 ,\n",
    "Acme Energy,Company,GBR,United Kingdom,,,,RE100,\n",
    "Nowhere,City,,,,,,NA,\n",  # no memberships at all
]
LEGACY = "Besançon,City,FRA,France,47.24,6.02,,NAZCA2020;C40,\n"  # written in cp1252


def _table(path):
    data = HEADER.encode() + b"".join(r.encode() for r in ROWS[:4]) + LEGACY.encode("cp1252")
    data += b"".join(r.encode() for r in ROWS[4:])
    path.write_bytes(data)
    return path


def _expected(path):
    """Actors, initiatives and memberships counted from the raw file with the csv module."""
    lines = []
    for raw in path.read_bytes().splitlines():
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("cp1252"))
    actors, initiatives, ties = set(), set(), set()
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        kind = {"": "City", "City": "City", "Region": "Place", "State": "Place", "Company": "Organisation"}
        actor = (kind[row["entity_type"]], row["name"], row["iso"])
        actors.add(actor)
        for item in row["initiatives"].split(";"):
            item = item.strip()
            if item and item.lower() not in ("na", "n/a", "null"):
                initiatives.add(item)
                ties.add((actor, item))
    return actors, initiatives, ties


MAP = {"actor": "name", "initiative": "initiatives", "kind": "entity_type", "country": "iso", "lon": "lng"}


def test_every_trap_gives_the_counts_of_the_raw_file(kg, tmp_path):
    path = _table(tmp_path / "members.csv")
    actors, initiatives, ties = _expected(path)
    batch = load_memberships(path, store=kg, mapping=MAP, encoding="auto")
    kg.load(batch)
    by_kind = kg.stats()["entities_by_kind"]
    assert by_kind["Initiative"] == len(initiatives)
    assert sum(n for k, n in by_kind.items() if k != "Initiative") == len(actors)
    for kind in ("City", "Place", "Organisation"):
        assert by_kind[kind] == len([a for a in actors if a[0] == kind])
    members = [r for r in kg.relations() if r.kind == RelationKind.MEMBER_OF]
    assert len(members) == len(ties)
    assert batch.notes[0].startswith("members.csv: line 6 decoded as cp125")  # the one legacy line
    assert batch.notes[1:] == ["members.csv: columns not used as fields, kept as attributes: country, notes"]


def test_homonyms_are_kept_apart_and_regions_are_members(kg, tmp_path):
    kg.load(load_memberships(_table(tmp_path / "members.csv"), store=kg, mapping=MAP, encoding="auto"))
    lyon = {kg.entity(e).kind for e in kg.find("Lyon")}
    assert lyon == {EntityKind.CITY, EntityKind.PLACE}
    sf = {kg.entity(e).country for e in kg.find("San Francisco")}
    assert sf == {"US", "AR"}
    region = next(e for e in kg.find("Lyon") if kg.kind_of(e) == EntityKind.PLACE)
    assert {r.object for r in kg.relations(region) if r.kind == RelationKind.MEMBER_OF} == {
        "initiative/nazca2020",
        "initiative/cdp2019",
    }
    (besancon,) = kg.find("Besancon")
    assert kg.entity(besancon).label == "Besançon"
    (oslo,) = kg.find("Oslo")
    assert kg.kind_of(oslo) == EntityKind.CITY


def test_each_membership_cites_its_file_and_line(tmp_path):
    path = _table(tmp_path / "members.csv")
    batch = load_memberships(path, mapping=MAP, encoding="auto")
    _, _, ties = _expected(path)
    first_line = {}
    for line, row in enumerate(csv.reader(path.read_bytes().decode("cp1252").splitlines()), start=1):
        for item in row[7].split(";") if line > 1 else []:
            if item.strip() and item.strip().lower() not in ("na", "n/a", "null"):
                first_line.setdefault((row[0], row[1], row[2], item.strip()), line)
    assert len(batch.relations) == len(ties)
    assert sorted(int(r.provenance.locator.split()[1]) for r in batch.relations) == sorted(
        first_line.values()
    )
    assert {r.provenance.source for r in batch.relations} == {"members-csv"}


def test_a_non_utf8_line_is_an_error_naming_line_and_byte(tmp_path):
    with pytest.raises(LoadError, match=r"members.csv:6: byte 0xe7 at column 6 is not UTF-8"):
        load_memberships(_table(tmp_path / "members.csv"), mapping=MAP)


def test_a_mapped_column_the_file_lacks_lists_the_columns(tmp_path):
    with pytest.raises(LoadError, match=r"--map country=land: no column 'land' \(columns: name, entity_type"):
        load_memberships(
            _table(tmp_path / "members.csv"), mapping={**MAP, "country": "land"}, encoding="auto"
        )


def test_an_unknown_kind_names_the_line_and_value(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("name,entity_type,initiatives\nA,City,X\nB,Galaxy,X\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"m.csv: line 3, entity_type: unknown kind 'Galaxy'"):
        load_memberships(path)


def test_long_format_gives_the_same_ties(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text("actor,iso,initiative\nLyon,FR,A;B\nOslo,NO,A\n", encoding="utf-8")
    long = tmp_path / "long.csv"
    long.write_text("actor,iso,initiative\nLyon,FR,A\nOslo,NO,A\nLyon,FR,B\nLyon,FR,A\n", encoding="utf-8")
    ties = [{(r.subject, r.object) for r in load_memberships(p).relations} for p in (wide, long)]
    assert (
        ties[0]
        == ties[1]
        == {
            ("city/lyon-fr", "initiative/a"),
            ("city/lyon-fr", "initiative/b"),
            ("city/oslo-no", "initiative/a"),
        }
    )


def _nquads(home):
    kg = EmbeddedStore(home, read_only=True)
    lines = sorted(str(q) for q in kg.oxigraph().quads_for_pattern(None, None, None, None))
    kg.close()
    return lines


def test_a_failing_second_file_leaves_the_store_as_it_was(tmp_path):
    home = tmp_path / "home"
    first = _table(tmp_path / "members.csv")
    run_cli("load", str(first), "--map", "lon=lng", "--encoding", "auto", home=home, check=True)
    before = _nquads(home)
    changed = tmp_path / "v2" / "members.csv"  # the same source, changed: replaced, then put back
    changed.parent.mkdir()
    changed.write_text(HEADER + ROWS[0], encoding="utf-8")
    bad = tmp_path / "broken.csv"
    bad.write_text("actor,initiative\nX,A\nY\n", encoding="utf-8")
    proc = run_cli("load", str(changed), str(bad), "--loader", "memberships", home=home)
    assert proc.returncode != 0 and "broken.csv:3" in proc.stderr
    assert _nquads(home) == before


def test_a_folder_loads_what_it_can_and_lists_the_rest(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    _table(folder / "members.csv")
    (folder / "README.md").write_text("# about\n", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    proc = run_cli(
        "load", str(folder), "--map", "lon=lng", "--encoding", "auto", "--json", home=tmp_path / "h"
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [r["loader"] for r in report if "loader" in r] == ["memberships"]
    skipped = {r["path"].rsplit("/", 1)[-1]: r["skipped"] for r in report if "skipped" in r}
    assert set(skipped) == {"README.md", "picture.png"}
