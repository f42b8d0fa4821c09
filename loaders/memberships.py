"""Membership tables: which cities, regions and organisations belong to which initiatives.

The common real shape is one row per actor with a column listing its initiatives, separated by
``;`` (wide format); one row per membership (long format) is the same with one item per cell.
Columns are named with ``mapping`` (``--map actor=COLUMN --map initiative=COLUMN``, and
optionally ``kind``, ``country``, ``lat``, ``lon``, ``population``, ``since``); a mapped column
the file lacks is an error that lists the file's columns.

Empty items, ``NA``, ``N/A``, ``null`` and repeats are dropped. A missing kind takes
``default_kind``; a kind that is present but unknown is an error naming the line. Each
initiative becomes an ``Initiative`` labelled with its code; each membership a ``member_of``
citing the file and line of its first mention. Actors get their ids from the identity rule
(``loaders.identity``): a City and a Region of one name, or two cities of one name in
different countries, stay apart.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
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
    slugify,
)
from climatekg.graph.store import Store
from climatekg.loaders.attributes import (
    missing,
    read_coordinate,
    read_country,
    read_kind,
    read_population,
)
from climatekg.loaders.common import check_batch, decoded_lines, file_digest, known_kinds, optional_date
from climatekg.loaders.identity import Identities, Record

LOADER = "memberships"
#: Mapping keys and the column each defaults to when the file has it.
KEYS = ("actor", "initiative", "kind", "country", "lat", "lon", "population", "since")
DEFAULT_COLUMNS = {
    "actor": ("actor", "name", "member"),
    "initiative": ("initiative", "initiatives"),
    "kind": ("kind", "entity_type", "type"),
    "country": ("country", "iso", "country_code"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude"),
    "population": ("population", "pop"),
    "since": ("since", "start", "joined"),
}

#: Called with (lines read, lines in the file) as the file is read, for a progress bar.
Progress = Callable[[int, int], None]


def load_memberships(
    path: Path,
    *,
    store: Store | None = None,
    mapping: dict[str, str] | None = None,
    separator: str = ";",
    default_kind: str = "City",
    encoding: str = "utf-8",
    identities: Identities | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Read a membership table (wide or long) into actors, initiatives and ``member_of`` ties.

    Examples:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
        >>> _ = f.write_text("name,iso,initiatives\\nLyon,FRA,A;;B;NA;A\\n", encoding="utf-8")
        >>> b = load_memberships(f)
        >>> sorted((r.subject, r.object) for r in b.relations)
        [('city/lyon-fr', 'initiative/a'), ('city/lyon-fr', 'initiative/b')]
    """
    src = Source(id=slugify(path.name), title=path.name, loader=LOADER, path=str(path))
    options = [repr(sorted((mapping or {}).items())), separator, default_kind, encoding]
    batch = Batch(source=src, digest=file_digest(path, LOADER, *options))
    lines = decoded_lines(path, encoding, batch.notes)
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise LoadError(str(path), "no header row", line=1) from None
    cols = _columns(path, header, mapping or {})
    unused = [h for h in header if h not in cols.values()]
    if unused:
        batch.notes.append(f"{path.name}: columns not used: {', '.join(unused)}")
    default = read_kind(default_kind, path, "--kind", EntityKind.CITY)
    at = {key: header.index(col) for key, col in cols.items()}
    actors: dict[str, Record] = {}
    extra: dict[str, int | None] = {}  # actor key → population
    initiatives: dict[str, Record] = {}
    ties: dict[tuple[str, str], tuple[int, str | None]] = {}  # (actor, initiative) → line, since
    total = len(lines)
    try:
        for row in reader:
            line = reader.line_num
            if progress is not None and line % 5000 == 0:
                progress(line, total)
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise LoadError(str(path), f"expected {len(header)} columns, found {len(row)}", line=line)

            def cell(key: str, row: list[str] = row) -> str | None:
                return row[at[key]].strip() if key in at else None

            name = cell("actor")
            if missing(name):
                raise LoadError(str(path), "no actor name", line=line, field=cols["actor"])
            where = f"line {line}"
            rec = Record(
                kind=read_kind(cell("kind"), path, f"{where}, {cols.get('kind')}", default),
                label=str(name),
                key="",
                locator=where,
                country=read_country(cell("country"), path, where, batch.notes),
                lat=read_coordinate(cell("lat"), path, f"{where}, {cols.get('lat')}", 90.0),
                lon=read_coordinate(cell("lon"), path, f"{where}, {cols.get('lon')}", 180.0),
            )
            key = f"{rec.kind.value}|{rec.label.casefold()}|{rec.country or ''}|{rec.lat}|{rec.lon}"
            if key not in actors:
                actors[key] = Record(rec.kind, rec.label, key, where, rec.country, rec.lat, rec.lon)
                extra[key] = read_population(cell("population"), path, f"{where}, {cols.get('population')}")
            since = optional_date(cell("since") or None, path, line=line, field=cols.get("since", "since"))
            value = cell("initiative") or ""
            for item in value.split(separator) if separator else [value]:
                code = item.strip()
                if missing(code):
                    continue
                initiatives.setdefault(code, Record(EntityKind.INITIATIVE, code, "initiative|" + code, where))
                ties.setdefault((key, code), (line, since))
    except csv.Error as exc:
        raise LoadError(str(path), f"malformed CSV: {exc}", line=reader.line_num) from None
    if progress is not None:
        progress(total, total)
    if not ties:
        raise LoadError(str(path), f"no memberships in column {cols['initiative']!r}", line=2)
    return check_batch(
        _batch(batch, actors, extra, initiatives, ties, identities or Identities(store)),
        path,
        known_kinds(store),
    )


def _columns(path: Path, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Mapping key → column: the ``--map`` given, else a column with a common name."""
    unknown = sorted(set(mapping) - set(KEYS))
    if unknown:
        raise LoadError(str(path), f"unknown --map key {unknown[0]!r} (one of {', '.join(KEYS)})")
    cols = {}
    lowered = {h.lower(): h for h in header}
    for key in KEYS:
        if key in mapping:
            if mapping[key] not in header:
                raise LoadError(
                    str(path),
                    f"--map {key}={mapping[key]}: no column {mapping[key]!r} (columns: {', '.join(header)})",
                    line=1,
                )
            cols[key] = mapping[key]
        else:
            found = next((lowered[c] for c in DEFAULT_COLUMNS[key] if c in lowered), None)
            if found is not None:
                cols[key] = found
    for key in ("actor", "initiative"):
        if key not in cols:
            raise LoadError(
                str(path),
                f"no {key} column: name it with --map {key}=COLUMN (columns: {', '.join(header)})",
                line=1,
            )
    return cols


def _batch(
    batch: Batch,
    actors: dict[str, Record],
    population: dict[str, int | None],
    initiatives: dict[str, Record],
    ties: dict[tuple[str, str], tuple[int, str | None]],
    identities: Identities,
) -> Batch:
    src = batch.source.id
    ids = identities.assign([*actors.values(), *initiatives.values()], batch)
    placed: set[str] = set()
    for rec in [*actors.values(), *initiatives.values()]:
        eid = ids[rec.key]
        if eid in placed:
            continue
        placed.add(eid)
        batch.entities.append(
            Entity(
                eid,
                rec.kind,
                rec.label,
                Provenance(src, LOADER, locator=rec.locator),
                country=rec.country,
                lat=rec.lat if rec.lon is not None else None,
                lon=rec.lon if rec.lat is not None else None,
                population=population.get(rec.key),
            )
        )
    cited: dict[int, Provenance] = {}  # one per line: a wide row's memberships share it
    for (actor, code), (line, since) in ties.items():
        prov = cited.get(line) or cited.setdefault(line, Provenance(src, LOADER, locator=f"line {line}"))
        batch.relations.append(
            Relation(ids[actor], RelationKind.MEMBER_OF, ids["initiative|" + code], prov, start=since)
        )
    return batch
