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
    MISSING,
    missing,
    read_coordinate,
    read_country,
    read_kind,
    read_population,
)
from climatekg.loaders.common import (
    check_batch,
    decoded_lines,
    file_digest,
    known_kinds,
    many_records,
    optional_date,
)
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
    with many_records():
        return _read(path, store, mapping or {}, separator, default_kind, encoding, identities, progress)


def _read(
    path: Path,
    store: Store | None,
    mapping: dict[str, str],
    separator: str,
    default_kind: str,
    encoding: str,
    identities: Identities | None,
    progress: Progress | None,
) -> Batch:
    src = Source(id=slugify(path.name), title=path.name, loader=LOADER, path=str(path))
    options = [repr(sorted(mapping.items())), separator, default_kind, encoding]
    batch = Batch(source=src, digest=file_digest(path, LOADER, *options))
    lines = decoded_lines(path, encoding, batch.notes)
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise LoadError(str(path), "no header row", line=1) from None
    cols = _columns(path, header, mapping)
    unused = [h for h in header if h not in cols.values()]
    if unused:
        batch.notes.append(
            f"{path.name}: columns not used as fields, kept as attributes: {', '.join(unused)}"
        )
    table = _Table(path, header, cols, read_kind(default_kind, path, "--kind", EntityKind.CITY), batch.notes)
    table.kept = [(h, header.index(h)) for h in unused]
    total = len(lines)
    try:
        for row in reader:
            line = reader.line_num
            if progress is not None and line % 5000 == 0:
                progress(line, total)
            table.add(row, line, separator)
    except csv.Error as exc:
        raise LoadError(str(path), f"malformed CSV: {exc}", line=reader.line_num) from None
    if progress is not None:
        progress(total, total)
    if not table.ties:
        raise LoadError(str(path), f"no memberships in column {cols['initiative']!r}", line=2)
    return check_batch(_batch(batch, table, identities or Identities(store)), path, known_kinds(store))


class _Table:
    """What the rows say, gathered as plain values: one record per actor and initiative, ties as keys.

    Built for 100k-row files: each row costs a few dict look-ups; a record (and the checks of
    its kind, country and population) is made once per distinct actor, a kind or country cell
    once per distinct value, and a coordinate that parses and is in range takes no other check.
    """

    def __init__(
        self, path: Path, header: list[str], cols: dict[str, str], default: EntityKind, notes: list[str]
    ) -> None:
        self.path, self.cols, self.default, self.notes = path, cols, default, notes
        self.width = len(header)
        at = {key: header.index(col) for key, col in cols.items()}
        self.actor_at, self.initiative_at = at["actor"], at["initiative"]
        self.kind_at, self.country_at = at.get("kind"), at.get("country")
        self.lat_at, self.lon_at = at.get("lat"), at.get("lon")
        self.population_at, self.since_at = at.get("population"), at.get("since")
        self.kept: list[tuple[str, int]] = []  # columns without a field: the actor's attributes
        self.actors: dict[str, Record] = {}
        self.first_line: dict[str, int] = {}  # actor key → the line its record was read from
        self.population: dict[str, int | None] = {}
        self.others: dict[str, tuple[tuple[str, str], ...]] = {}
        self.initiatives: dict[str, Record] = {}
        #: actor key → initiative code → (line, since) of the first row that says it
        self.ties: dict[str, dict[str, tuple[int, str | None]]] = {}
        self._kinds: dict[str, EntityKind] = {}
        self._countries: dict[str, str | None] = {}

    def add(self, row: list[str], line: int, separator: str) -> None:
        """One row: its actor (the first time it is seen) and its memberships."""
        if len(row) != self.width:
            if not any(cell.strip() for cell in row):
                return  # a blank line
            raise LoadError(str(self.path), f"expected {self.width} columns, found {len(row)}", line=line)
        path, cols = self.path, self.cols
        name = row[self.actor_at].strip()
        if not name or name.lower() in MISSING:
            if not any(c.strip() for c in row):
                return
            raise LoadError(str(path), "no actor name", line=line, field=cols["actor"])
        raw = row[self.kind_at].strip() if self.kind_at is not None else ""
        kind = self._kinds.get(raw)
        if kind is None:
            kind = self._kinds[raw] = read_kind(raw, path, f"line {line}, {cols.get('kind')}", self.default)
        raw = row[self.country_at].strip() if self.country_at is not None else ""
        country = self._countries.get(raw)
        if country is None and raw and raw.lower() not in MISSING:  # unknown ones are noted per line
            country = self._countries[raw] = read_country(raw, path, f"line {line}", self.notes)
        lat = self._coordinate(row, self.lat_at, line, "lat", 90.0)
        lon = self._coordinate(row, self.lon_at, line, "lon", 180.0)
        key = f"{kind.value}|{name.casefold()}|{country or ''}|{lat}|{lon}"
        codes = self.ties.get(key)
        if codes is None:
            codes = self.ties[key] = {}
            self._actor(row, line, key, Record(kind, name, key, f"line {line}", country, lat, lon))
        since = None
        if self.since_at is not None and (raw := row[self.since_at].strip()):
            since = optional_date(raw, path, line=line, field=cols.get("since", "since"))
        said = (line, since)
        value = row[self.initiative_at].strip()
        initiatives = self.initiatives
        for item in value.split(separator) if separator else (value,):
            code = item.strip()
            if code not in initiatives:
                if not code or code.lower() in MISSING:
                    continue
                initiatives[code] = Record(EntityKind.INITIATIVE, code, "initiative|" + code, f"line {line}")
            codes.setdefault(code, said)

    def _actor(self, row: list[str], line: int, key: str, rec: Record) -> None:
        """An actor seen for the first time: its record, line, population and other attributes."""
        self.actors[key] = rec
        self.first_line[key] = line
        raw = row[self.population_at].strip() if self.population_at is not None else ""
        if raw.isdecimal():  # the common case; anything else through the reader and its errors
            self.population[key] = int(raw)
        else:
            where = f"line {line}, {self.cols.get('population')}"
            self.population[key] = read_population(raw, self.path, where)
        if self.kept:
            self.others[key] = tuple((h, row[i].strip()) for h, i in self.kept if not missing(row[i]))

    def _coordinate(self, row: list[str], at: int | None, line: int, key: str, bound: float) -> float | None:
        """A latitude or longitude cell: a number in range at once, anything else through the
        full reader (missing values, and the errors that name the line and value)."""
        if at is None:
            return None
        text = row[at].strip()
        try:
            number = float(text)
        except ValueError:
            number = bound + 1.0  # not a number: read_coordinate says why, or that it is missing
        if -bound <= number <= bound:  # False for NaN too
            return number
        return read_coordinate(text, self.path, f"line {line}, {self.cols.get(key)}", bound)


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


def _batch(batch: Batch, table: _Table, identities: Identities) -> Batch:
    src = batch.source.id
    records = [*table.actors.values(), *table.initiatives.values()]
    ids = identities.assign(records, batch)
    placed: set[str] = set()
    # one provenance per line: an actor and the memberships of its row cite the same one
    cited: dict[int, Provenance] = {}
    for rec in records:
        eid = ids[rec.key]
        if eid in placed:
            continue
        placed.add(eid)
        line = table.first_line.get(rec.key)
        if line is None:  # an initiative: cited where its code first appears
            prov = Provenance(src, LOADER, locator=rec.locator)
        else:
            prov = cited[line] = Provenance(src, LOADER, locator=rec.locator)
        batch.entities.append(
            Entity(
                eid,
                rec.kind,
                rec.label,
                prov,
                country=rec.country,
                lat=rec.lat if rec.lon is not None else None,
                lon=rec.lon if rec.lat is not None else None,
                population=table.population.get(rec.key),
                attributes=table.others.get(rec.key, ()),
            )
        )
    code_id = {code: ids[rec.key] for code, rec in table.initiatives.items()}
    member_of, relations = RelationKind.MEMBER_OF, batch.relations
    for actor, codes in table.ties.items():
        subject = ids[actor]
        for code, (line, since) in codes.items():
            said = cited.get(line)
            if said is None:
                said = cited[line] = Provenance(src, LOADER, locator=f"line {line}")
            relations.append(Relation(subject, member_of, code_id[code], said, since))
    return batch
