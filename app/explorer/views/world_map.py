"""The map view: entities with coordinates, and the ties between them, drawn offline.

Pure Python, no Streamlit: ``map_data`` reads the store once (cache it by ``kg.version()``),
``select_ties`` filters, ``country_arcs`` sums ties per pair of countries, and ``svg_map.py``
draws them. The land outline is a bundled Natural Earth file (``static/world-land-110m.json``),
drawn into the SVG: no tile server, no CDN, no request.

What counts as a tie between two located entities (cities, usually):

- a relation between them (``partner_of``, ``located_in`` …);
- a *hub* without coordinates that both are tied to — a sister-city agreement both are party
  to, an initiative both are members of, an event both took part in. Hubs with more than
  ``hub_limit`` located members are skipped: a global network with 1,000 member cities would
  draw half a million lines that say nothing more than "they are all members".

Ties are drawn as great-circle arcs, so a Shenzhen–San Francisco tie curves over the Pacific as
it should.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from climatekg.graph.model import EntityKind
from climatekg.graph.projection import Projection, projection, relation_kinds
from climatekg.graph.store import Store

#: Entity kinds that carry coordinates in this model.
LOCATED_KINDS = ("City", "Place", "Organisation", "Initiative", "Event")
#: Hubs with more located members than this are not turned into pairwise ties.
HUB_LIMIT = 40
#: At most this many ties are drawn; the page says how many were left out.
MAX_TIES = 3000
#: At most this many points are drawn.
MAX_POINTS = 20000
#: Above this many located entities the home page draws one dot per grid cell (the Map page draws each).
HOME_POINTS = 2000
#: The grid cell's side in degrees of latitude and longitude.
CELL_DEGREES = 2.0


@dataclass(frozen=True)
class MapPoint:
    """An entity with coordinates."""

    id: str
    label: str
    kind: str
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class MapTie:
    """A tie between two located entities: directly (``via`` is None) or through a hub."""

    a: str
    b: str
    relation: str
    via: str | None = None


@dataclass
class MapData:
    """Everything the map page needs, small enough to cache: points by id and all ties."""

    points: dict[str, MapPoint]
    ties: list[MapTie]
    skipped_hubs: int = 0


def projection_relations(proj: Projection, as_of: str | None = None) -> Iterator[tuple[str, str, str]]:
    """Every relation kind between two entities as ``(subject, kind, object)``, from the projection.

    The projection (``graph/projection.py``) is built from the store in one pass and cached per
    version; reading ties from it takes a fraction of a second where ``kg.relations()`` takes
    many seconds on a network of tens of thousands of entities. ``as_of`` keeps the relations
    that hold on that day.
    """
    view = proj.view(as_of=as_of)
    ids = proj.ids
    for n in range(len(proj)):
        for pos, w in view.ties(n):
            as_subject, _ = view.valid_bits(n, pos)
            for kind in relation_kinds(as_subject):
                yield ids[n], kind.value, ids[w]


@cache
def world_land() -> dict[str, Any]:
    """The bundled Natural Earth land outline (TopoJSON, object ``land``)."""
    text = (
        resources.files("climatekg.app.explorer").joinpath("static/world-land-110m.json").read_text("utf-8")
    )
    return json.loads(text)


def map_data(
    kg: Store,
    relations: Iterable[tuple[str, str, str]] | None = None,
    *,
    as_of: str | None = None,
    hub_limit: int = HUB_LIMIT,
) -> MapData:
    """Located entities and the ties between them (holding on ``as_of``, when given).

    ``relations`` (subject, kind, object) defaults to the projection's ties.
    """
    points = located_points(kg)
    if relations is None:
        relations = projection_relations(projection(kg), as_of)
    return ties_from_relations(points, relations, hub_limit)


def located_points(kg: Store) -> dict[str, MapPoint]:
    """Every entity with coordinates, by id; kept beside the store per data version.

    Reading every entity takes ~15 s on the twin-cities network; the file
    (``kg.side_path("map-points-<version>.json")``) makes every later start quick. A home that
    cannot be written only warns.
    """
    path = kg.side_path(f"map-points-{kg.version()}.json")
    with contextlib.suppress(FileNotFoundError):
        return {row[0]: MapPoint(*row) for row in json.loads(path.read_text("utf-8"))}
    points: dict[str, MapPoint] = {}
    for kind in LOCATED_KINDS:
        for e in kg.entities(EntityKind(kind)):
            if e.lat is not None and e.lon is not None:
                points[e.id] = MapPoint(e.id, e.label, e.kind.value, e.country or "", e.lat, e.lon)
    rows = [[p.id, p.label, p.kind, p.country, p.lat, p.lon] for p in points.values()]
    try:
        fd, tmp = tempfile.mkstemp(prefix=".map-points-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError as exc:
        warnings.warn(f"could not keep the map's points in {path.parent}: {exc}", stacklevel=2)
        return points
    for old in path.parent.glob("map-points-*.json"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return points


def ties_from_relations(
    points: dict[str, MapPoint], relations: Iterable[tuple[str, str, str]], hub_limit: int = HUB_LIMIT
) -> MapData:
    """Direct ties between located entities, and pairwise ties through small hubs.

    >>> p = {i: MapPoint(i, i, "City", "", 0.0, 0.0) for i in ("city/a", "city/b")}
    >>> rels = [("city/a", "party_to", "agreement/x"), ("city/b", "party_to", "agreement/x")]
    >>> ties_from_relations(p, rels).ties
    [MapTie(a='city/a', b='city/b', relation='party_to', via='agreement/x')]
    """
    direct: dict[tuple[str, str, str], None] = {}
    members: dict[str, dict[str, str]] = defaultdict(dict)
    for s, kind, o in relations:
        if s == o:
            continue
        if s in points and o in points:
            direct[(min(s, o), max(s, o), kind)] = None
        elif s in points:
            members[o].setdefault(s, kind)
        elif o in points:
            members[s].setdefault(o, kind)
    ties = [MapTie(a, b, kind) for a, b, kind in direct]
    skipped = 0
    for hub, located in members.items():
        if len(located) < 2:
            continue
        if len(located) > hub_limit:
            skipped += 1
            continue
        ids = sorted(located)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                kind = located[a] if located[a] == located[b] else f"{located[a]}/{located[b]}"
                ties.append(MapTie(a, b, kind, hub))
    ties.sort(key=lambda t: (t.a, t.b, t.relation, t.via or ""))
    return MapData(points, ties, skipped)


def countries(data: MapData) -> list[str]:
    """Countries of the located entities, sorted, without the empty one."""
    return sorted({p.country for p in data.points.values() if p.country})


def select_ties(
    data: MapData,
    *,
    from_countries: Sequence[str] = (),
    to_countries: Sequence[str] = (),
    entity: str | None = None,
    limit: int = MAX_TIES,
) -> tuple[list[MapTie], int]:
    """The ties to draw and how many matching ones were left out by ``limit``.

    ``entity`` keeps the ties of one entity. With ``from_countries`` only, a tie needs one end
    there; with ``to_countries`` too, one end in each (e.g. United States ↔ China).
    """
    a_set, b_set = set(from_countries), set(to_countries)
    chosen = []
    for t in data.ties:
        if entity and entity not in (t.a, t.b):
            continue
        ca, cb = data.points[t.a].country, data.points[t.b].country
        if a_set and b_set:
            if not ((ca in a_set and cb in b_set) or (cb in a_set and ca in b_set)):
                continue
        elif a_set and not (ca in a_set or cb in a_set):
            continue
        chosen.append(t)
    return chosen[:limit], max(0, len(chosen) - limit)


@dataclass(frozen=True)
class CountryArc:
    """All ties between two countries, drawn as one arc between their located entities' centres."""

    a: str
    b: str
    ties: int
    a_lonlat: tuple[float, float]
    b_lonlat: tuple[float, float]


def country_arcs(data: MapData, ties: Iterable[MapTie]) -> list[CountryArc]:
    """``ties`` summed per pair of countries (most ties first): how the map shows more than ``MAX_TIES``.

    Each country sits at the mean position of its located entities; ties within one country
    and ties of an entity without a country are not drawn.
    """
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for p in data.points.values():
        if p.country:
            acc = sums[p.country]
            acc[0] += p.lon
            acc[1] += p.lat
            acc[2] += 1
    centre = {c: (lon / n, lat / n) for c, (lon, lat, n) in sums.items()}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for t in ties:
        ca, cb = data.points[t.a].country, data.points[t.b].country
        if ca and cb and ca != cb:
            counts[(min(ca, cb), max(ca, cb))] += 1
    return [
        CountryArc(a, b, n, centre[a], centre[b])
        for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def grid_cells(points: Iterable[MapPoint], degrees: float = CELL_DEGREES) -> list[MapPoint]:
    """One dot per ``degrees`` grid cell holding located entities: at their mean position, labelled
    with how many there are and the first of them; its kind and country are the most common ones.

    >>> cells = grid_cells([MapPoint("a", "A", "City", "X", 1.0, 1.0), MapPoint("b", "B", "City", "X", 1.5, 0.5),
    ...                     MapPoint("c", "C", "City", "Y", 40.0, 1.0)])
    >>> [(c.label, c.lat, c.lon) for c in cells]
    [('2 entities: A, …', 1.25, 0.75), ('C', 40.0, 1.0)]
    """
    by_cell: dict[tuple[int, int], list[MapPoint]] = defaultdict(list)
    for p in points:
        by_cell[(math.floor(p.lat / degrees), math.floor(p.lon / degrees))].append(p)
    cells = []
    for (i, j), members in sorted(by_cell.items()):
        members.sort(key=lambda p: p.label)
        n = len(members)
        label = members[0].label if n == 1 else f"{n:,} entities: {members[0].label}, …"
        kind = Counter(p.kind for p in members).most_common(1)[0][0]
        country = Counter(p.country for p in members).most_common(1)[0][0]
        lat = round(sum(p.lat for p in members) / n, 4)
        lon = round(sum(p.lon for p in members) / n, 4)
        cells.append(MapPoint(members[0].id if n == 1 else f"cell/{i}/{j}", label, kind, country, lat, lon))
    return cells
