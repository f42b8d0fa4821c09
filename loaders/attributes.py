"""Node and row attributes as model fields: kind, country, coordinates, population, Wikidata id.

Network and table loaders share these readers, so ``City``/``Region``, ``GBR``/``United Kingdom``
and ``lng``/``longitude`` mean the same in every file. Each reader takes the raw value and where
it was read, and raises a ``LoadError`` naming that place; missing values (empty, ``NA``,
``N/A``, ``null``) are None.
"""

from __future__ import annotations

import re
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import EntityKind, normalise_name
from climatekg.loaders.identity import country_code

#: Values that mean "no value" in real tables.
MISSING = frozenset({"", "na", "n/a", "null", "none", "nan", "-"})

#: Attribute names recognised without ``--map``, per field (compared case-insensitively).
ATTRIBUTE_NAMES: dict[str, tuple[str, ...]] = {
    "label": ("label", "name"),
    "kind": ("kind", "entity_type", "type"),
    "country": ("country", "iso", "country_code", "iso3", "iso2"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "population": ("population", "pop"),
    "wikidata": ("wikidata", "qid", "wikidata_id"),
}

#: What people call each kind in real files → the model's kinds.
KIND_WORDS: dict[str, EntityKind] = {
    **{k.value.lower(): k for k in EntityKind},
    **dict.fromkeys(("town", "municipality", "village", "metropolis", "local government"), EntityKind.CITY),
    **dict.fromkeys(
        ("region", "state", "province", "county", "country", "territory", "prefecture", "department"),
        EntityKind.PLACE,
    ),
    **dict.fromkeys(
        ("organization", "company", "business", "ngo", "foundation", "university", "agency"),
        EntityKind.ORGANISATION,
    ),
    "programme": EntityKind.INITIATIVE,
    "program": EntityKind.INITIATIVE,
}

_QID = re.compile(r"^Q[1-9][0-9]*$")


def missing(value: object) -> bool:
    """Whether a raw value means "no value"."""
    return value is None or str(value).strip().lower() in MISSING


def recognised(names: list[str], field: str) -> str | None:
    """The first of ``names`` that is a common name for ``field``."""
    lowered = {n.lower(): n for n in names}
    return next((lowered[a] for a in ATTRIBUTE_NAMES[field] if a in lowered), None)


def other_attributes(data: dict[str, object], used: set[str] | None = None) -> tuple[tuple[str, str], ...]:
    """The attributes no model field reads (``region``, ``mayor`` …) as (key, text), missing ones dropped.

    ``used`` names the keys that were read as fields; by default the first recognised name of each
    field. Values that are not plain (a GEXF ``viz`` layout) are not attributes.

    Examples:
        >>> other_attributes({"label": "Lyon", "iso": "FRA", "region": "Rhône", "mayor": "NA", "pop": 5})
        (('region', 'Rhône'),)
    """
    names = list(data)
    if used is None:
        used = {name for f in ATTRIBUTE_NAMES if (name := recognised(names, f)) is not None}
    return tuple(
        (str(key), str(value).strip())
        for key, value in data.items()
        if key not in used and isinstance(value, str | int | float | bool) and not missing(value)
    )


def read_kind(value: object, path: Path, where: str, default: EntityKind) -> EntityKind:
    """The model kind a value names (``Region`` → Place); missing → ``default``; unknown → error."""
    if missing(value):
        return default
    kind = KIND_WORDS.get(normalise_name(str(value)))
    if kind is None:
        raise LoadError(
            str(path), f"unknown kind {str(value)!r} (e.g. City, Region, Organisation)", field=where
        )
    return kind


def read_country(value: object, path: Path, where: str, notes: list[str]) -> str | None:
    """ISO alpha-2 code; an unknown country is noted with its place and left empty."""
    if missing(value):
        return None
    code = country_code(str(value))
    if code is None:
        notes.append(f"{path.name}: {where}: unknown country {str(value)!r} left empty")
    return code


def read_coordinate(value: object, path: Path, where: str, bound: float) -> float | None:
    """A latitude (bound 90) or longitude (bound 180), range-checked."""
    if missing(value):
        return None
    try:
        number = float(str(value))
    except ValueError:
        raise LoadError(str(path), f"{value!r} is not a number", field=where) from None
    if not -bound <= number <= bound:
        raise LoadError(str(path), f"{number} is out of range (±{bound:g})", field=where)
    return number


def read_population(value: object, path: Path, where: str) -> int | None:
    """A non-negative whole number (``1234.0`` is accepted as 1234)."""
    if missing(value):
        return None
    try:
        number = float(str(value).replace(",", "").replace("_", ""))
    except ValueError:
        raise LoadError(str(path), f"population {value!r} is not a number", field=where) from None
    if number < 0 or number != int(number):
        raise LoadError(str(path), f"population {value!r} is not a whole number ≥ 0", field=where)
    return int(number)


def read_wikidata(value: object, path: Path, where: str) -> str | None:
    """A Wikidata id like ``Q84`` (a full entity IRI is accepted)."""
    if missing(value):
        return None
    text = str(value).strip().rsplit("/", 1)[-1].upper()
    if not _QID.match(text):
        raise LoadError(str(path), f"{value!r} is not a Wikidata id like Q42", field=where)
    return text


def qid_or_none(value: object) -> str | None:
    """``value`` when it is itself a Wikidata id (a node id that is a QID counts as one)."""
    text = str(value).strip().upper()
    return text if _QID.match(text) else None
