"""The Wikipedia twin-cities network: each row a sister-city agreement between two cities.

Columns ``city1,country1,city2,country2`` (optionally ``lat1,lng1,lat2,lng2``). Within the file a
city is its name and country as written, with case, accents, quotes and spacing folded
(``Bérat``/``Berat``, ``GROSSBOTTWAR``/``Großbottwar``): that is the file's key. Ids, and whether
a city is one already stored, come from the identity rule (``loaders.identity``), as for every
loader: ``city/berat-al``; a city the file names twice in one country (``Newport, Wales`` and
``Newport, England``) stays two cities. Labels keep accents and the country is stored as written.
Duplicate rows and both directions of a pair give one agreement; a city paired with itself is
skipped.
"""

from __future__ import annotations

import csv
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import (
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    normalise_name,
)
from climatekg.graph.store import Store
from climatekg.loaders.common import check_batch, file_digest, known_kinds, utf8_lines
from climatekg.loaders.identity import Identities, Record, country_code

LOADER = "twin-cities"
SOURCE = Source(
    id="twin-cities-wikipedia",
    title="List of twin towns and sister cities (English Wikipedia), as collected by Hekman/twincities",
    loader=LOADER,
    publisher="Wikipedia contributors",
    url="https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities",
    licence="CC BY-SA 4.0 (Wikipedia contributors); collection MIT (Hekman/twincities, commit 84ebdec2)",
)
REQUIRED = ("city1", "country1", "city2", "country2")

CityKey = tuple[str, str]


def load_twin_cities(
    path: Path, *, store: Store | None = None, identities: Identities | None = None
) -> Batch:
    """Read the twin-cities CSV into cities and sister-city agreements.

    A row's city that the identity rule finds already stored (same name and country, within
    50 km when both are located) is reused and the merge recorded instead of becoming a second
    entity.
    """
    rows = csv.reader(utf8_lines(path), strict=True)
    try:
        header = next(rows)
    except (StopIteration, csv.Error):
        raise LoadError(str(path), "no header row", line=1) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LoadError(str(path), f"missing column {missing[0]!r}", line=1)
    col = {name: header.index(name) for name in header}
    geo = all(c in col for c in ("lat1", "lng1", "lat2", "lng2"))
    cities: dict[CityKey, tuple[str, str, float | None, float | None, int]] = {}
    pairs: dict[frozenset[CityKey], int] = {}
    try:
        for line, row in enumerate(rows, start=2):
            if len(row) != len(header):
                raise LoadError(str(path), f"expected {len(header)} columns, found {len(row)}", line=line)
            ends = []
            for n in ("1", "2"):
                city, country = row[col["city" + n]].strip(), row[col["country" + n]].strip()
                if not city:
                    raise LoadError(str(path), "empty city name", line=line, field="city" + n)
                key = (normalise_name(city), normalise_name(country))
                lat = lon = None
                if geo:
                    try:
                        lat, lon = float(row[col["lat" + n]]), float(row[col["lng" + n]])
                    except ValueError:
                        raise LoadError(str(path), "not a number", line=line, field="lat" + n) from None
                cities.setdefault(key, (city, country, lat, lon, line))
                ends.append(key)
            if ends[0] != ends[1]:
                pairs.setdefault(frozenset(ends), line)
    except csv.Error as exc:
        raise LoadError(str(path), f"malformed CSV: {exc}", line=line) from None
    if not pairs:
        raise LoadError(str(path), "no city pairs in the file", line=2)
    batch = _batch(path, cities, pairs, identities or Identities(store))
    return check_batch(batch, path, known_kinds(store))


def _batch(path: Path, cities: dict, pairs: dict, identities: Identities) -> Batch:
    batch = Batch(source=SOURCE, digest=file_digest(path, LOADER))
    records = {
        key: Record(
            kind=EntityKind.CITY,
            label=city,
            key="|".join(key),
            locator=f"row {line}",
            country=country_code(country) if country else None,
            lat=lat,
            lon=lon,
        )
        for key, (city, country, lat, lon, line) in cities.items()
    }
    assigned = identities.assign(list(records.values()), batch)
    ids = {key: assigned[rec.key] for key, rec in records.items()}
    for key, (city, country, lat, lon, line) in cities.items():
        batch.entities.append(
            Entity(
                id=ids[key],
                kind=EntityKind.CITY,
                label=city,
                country=country or None,
                lat=lat,
                lon=lon,
                provenance=Provenance(SOURCE.id, LOADER, locator=f"row {line}"),
            )
        )
    for pair, line in pairs.items():
        a, b = sorted(ids[k] for k in pair)
        agreement = f"agreement/sister-city-{a.split('/', 1)[1]}--{b.split('/', 1)[1]}"
        labels = sorted(cities[k][0] for k in pair)
        prov = Provenance(SOURCE.id, LOADER, locator=f"row {line}")
        batch.entities.append(
            Entity(
                id=agreement,
                kind=EntityKind.AGREEMENT,
                classification="sister_city",
                label=f"Sister-city agreement {labels[0]} – {labels[1]}",
                provenance=prov,
            )
        )
        batch.relations.append(Relation(a, RelationKind.PARTY_TO, agreement, prov))
        batch.relations.append(Relation(b, RelationKind.PARTY_TO, agreement, prov))
    return batch
