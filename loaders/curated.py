"""The project's own curated format: YAML (a source, entities, relations) or a CSV pair.

YAML is what ``data/*.yaml`` uses (see ``data/README.md``). The CSV form is one file of
entities (columns ``kind,label,…``) or of relations (``subject,kind,object,…``) whose rows
cite ``locator``/``quote`` of the source named by the ``source`` column or the file.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from climatekg.graph.errors import LoadError
from climatekg.graph.model import (
    AGREEMENT_TYPES,
    ORGANISATION_CLASSES,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    make_id,
    slugify,
)
from climatekg.graph.store import Store
from climatekg.graph.terms import check_batch as check_terms
from climatekg.loaders.common import (
    KnownKinds,
    check_batch,
    file_digest,
    known_kinds,
    optional_date,
    read_text,
    read_yaml,
)
from climatekg.loaders.identity import Identities, Record, country_code
from climatekg.loaders.safe_read import check_bounded, refuse_yaml_aliases

LOADER = "curated"
ENTITY_FIELDS = {
    "id",
    "kind",
    "label",
    "labels",
    "aliases",
    "wikidata",
    "classification",
    "description",
    "date",
    "country",
    "lat",
    "lon",
    "locator",
    "quote",
    "confidence",
    "status",
    "__line__",
}
RELATION_FIELDS = {
    "subject",
    "kind",
    "object",
    "start",
    "end",
    "role",
    "locator",
    "quote",
    "confidence",
    "status",
    "__line__",
}


def load_curated(path: Path, *, store: Store | None = None, identities: Identities | None = None) -> Batch:
    """Read a curated YAML file or CSV file into a validated batch.

    An entity with an ``id`` keeps it; one without gets its id from the identity rule
    (``loaders/identity.py``): ``kind/name`` when no other entity of the file shares its kind
    and name, else the country-coded id (``city/al-hoceima-ma``), and it joins a stored entity
    with its Wikidata id, or its name and country.

    Examples:
        >>> from climatekg.data import bundled_files
        >>> batch = load_curated(bundled_files()[0])
        >>> batch.source.id
        'climatekg-technology-scheme'
    """
    known = known_kinds(store)
    ids = identities or Identities(store)
    batch = _load_csv(path, known, ids) if path.suffix.lower() == ".csv" else _load_yaml(path, known, ids)
    check_terms(batch, str(path))  # ids, language tags and text an RDF term can hold, naming this file
    return batch


def _load_yaml(path: Path, known: KnownKinds, identities: Identities) -> Batch:
    check_bounded(path)
    refuse_yaml_aliases(path)
    doc = read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("source"), dict):
        raise LoadError(str(path), "expected a mapping with 'source', 'entities' and 'relations'", line=1)
    unknown = set(doc) - {"source", "entities", "relations", "__line__"}
    if unknown:
        raise LoadError(str(path), f"unknown top-level key {sorted(unknown)[0]!r}", line=doc["__line__"])
    src = _source(doc["source"], path)
    batch = Batch(source=src, digest=file_digest(path, LOADER))
    stated = set()
    for row in _rows(doc, "entities", path):
        batch.entities.append(_entity(row, path, row["__line__"], src.id))
        if _text(row.get("id")):
            stated.add(len(batch.entities) - 1)
    for row in _rows(doc, "relations", path):
        batch.relations.append(_relation(row, path, row["__line__"], src.id))
    _identify(batch, stated, identities, path)
    return check_batch(batch, path, known)


def _identify(batch: Batch, stated: set[int], identities: Identities, path: Path) -> None:
    """Give the entities without an ``id`` theirs by the identity rule; point relations at them.

    ``stated`` holds the positions of entities whose id the file gives. A relation may name an
    entity without an id by ``kind/name``; when the rule gave that name several ids here (homonyms
    in different countries), the relation must use one of them.
    """
    records = {}
    for n, e in enumerate(batch.entities):
        rec = Record(
            kind=e.kind,
            label=e.label,
            key=str(n),
            locator=f"{path.name}: {e.provenance.locator}",
            country=country_code(e.country) if e.country else None,
            lat=e.lat,
            lon=e.lon,
            wikidata=e.wikidata,
        )
        if n in stated:
            identities.reserve(e.id, rec, batch)
        else:
            records[rec.key] = rec
    ids = identities.assign(list(records.values()), batch, plain=True)
    named: dict[str, set[str]] = {}
    for key, eid in ids.items():
        n = int(key)
        named.setdefault(batch.entities[n].id, set()).add(eid)
        batch.entities[n] = replace(batch.entities[n], id=eid)
    own = {e.id for e in batch.entities}
    for n, r in enumerate(batch.relations):
        ends = []
        for end in (r.subject, r.object):
            choices = named.get(end, set()) if end not in own else set()
            if len(choices) > 1:
                raise LoadError(
                    str(path),
                    f"{end} names {len(choices)} entities here; use one of {', '.join(sorted(choices))}",
                    field=r.provenance.locator,
                )
            ends.append(choices.pop() if choices else end)
        batch.relations[n] = replace(r, subject=ends[0], object=ends[1])


def _rows(doc: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    rows = doc.get(key) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise LoadError(str(path), f"'{key}' must be a list of mappings", line=doc["__line__"], field=key)
    return rows


def _source(row: dict[str, Any], path: Path) -> Source:
    line = row.get("__line__")
    for key in ("id", "title"):
        if not row.get(key):
            raise LoadError(str(path), "missing", line=line, field=f"source.{key}")
    sid = str(row["id"])
    if slugify(sid) != sid:
        raise LoadError(
            str(path), f"{sid!r} is not a slug (use {slugify(sid)!r})", line=line, field="source.id"
        )
    issued = optional_date(row.get("issued"), path, line=line, field="source.issued")
    doc_path = row.get("path")
    return Source(
        id=sid,
        title=str(row["title"]),
        loader=LOADER,
        publisher=row.get("publisher"),
        url=row.get("url"),
        issued=issued,
        licence=row.get("licence"),
        path=str(doc_path) if doc_path else None,
    )


def _kind(value: object, path: Path, line: int | None) -> EntityKind:
    try:
        return EntityKind(str(value))
    except ValueError:
        allowed = ", ".join(k.value for k in EntityKind)
        raise LoadError(
            str(path), f"unknown entity kind {value!r} (one of {allowed})", line=line, field="kind"
        ) from None


def _provenance(row: Mapping[str, Any], path: Path, line: int | None, source_id: str) -> Provenance:
    status = row.get("status") or "curated"
    if status not in ("curated", "extracted"):
        raise LoadError(
            str(path), f"status {status!r} is not curated or extracted", line=line, field="status"
        )
    try:
        confidence = float(row.get("confidence") or 1.0)
    except ValueError:
        raise LoadError(str(path), "not a number", line=line, field="confidence") from None
    if not 0.0 <= confidence <= 1.0:
        raise LoadError(str(path), "must be between 0 and 1", line=line, field="confidence")
    return Provenance(
        source=str(row.get("source") or source_id),
        loader=LOADER,
        locator=_text(row.get("locator")) or f"line {line}",
        quote=_text(row.get("quote")),
        confidence=confidence,
        status="extracted" if status == "extracted" else "curated",
    )


def _text(value: object) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def _entity(row: Mapping[str, Any], path: Path, line: int | None, source_id: str) -> Entity:
    extra = set(row) - ENTITY_FIELDS - {"source"}
    if extra:
        raise LoadError(str(path), f"unknown field {sorted(extra)[0]!r}", line=line)
    kind = _kind(row.get("kind"), path, line)
    label = _text(row.get("label"))
    if not label:
        raise LoadError(str(path), "missing", line=line, field="label")
    eid = _text(row.get("id")) or make_id(kind, label)
    cls = _text(row.get("classification"))
    allowed = {EntityKind.ORGANISATION: ORGANISATION_CLASSES, EntityKind.AGREEMENT: AGREEMENT_TYPES}.get(kind)
    if cls and (allowed is None or cls not in allowed):
        raise LoadError(
            str(path),
            f"{cls!r} is not a classification of {kind.value} ({', '.join(allowed or ()) or 'none allowed'})",
            line=line,
            field="classification",
        )
    labels = row.get("labels") or {}
    if isinstance(labels, str):  # CSV: "zh=深圳;fr=Shenzhen"
        labels = dict(part.split("=", 1) for part in labels.split(";") if "=" in part)
    aliases = row.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split(";") if a.strip()]
    wikidata = _text(row.get("wikidata"))
    if wikidata and not (wikidata[0] == "Q" and wikidata[1:].isdigit()):
        raise LoadError(str(path), f"{wikidata!r} is not a Wikidata id like Q42", line=line, field="wikidata")
    coords = []
    for key, bound in (("lat", 90.0), ("lon", 180.0)):
        value = row.get(key)
        try:
            number = float(value) if value not in (None, "") else None
        except ValueError:
            raise LoadError(str(path), f"{value!r} is not a number", line=line, field=key) from None
        if number is not None and not -bound <= number <= bound:
            raise LoadError(str(path), f"{number} is out of range", line=line, field=key)
        coords.append(number)
    return Entity(
        id=eid,
        kind=kind,
        label=label,
        provenance=_provenance(row, path, line, source_id),
        labels=tuple((str(k), str(t)) for k, t in labels.items() if k != "__line__"),
        aliases=tuple(str(a).strip() for a in aliases),
        wikidata=wikidata,
        classification=cls,
        description=_text(row.get("description")),
        date=optional_date(row.get("date"), path, line=line, field="date"),
        country=_text(row.get("country")),
        lat=coords[0],
        lon=coords[1],
    )


def _relation(row: Mapping[str, Any], path: Path, line: int | None, source_id: str) -> Relation:
    extra = set(row) - RELATION_FIELDS - {"source"}
    if extra:
        raise LoadError(str(path), f"unknown field {sorted(extra)[0]!r}", line=line)
    for key in ("subject", "kind", "object"):
        if not _text(row.get(key)):
            raise LoadError(str(path), "missing", line=line, field=key)
    try:
        kind = RelationKind(str(row["kind"]))
    except ValueError:
        allowed = ", ".join(k.value for k in RelationKind)
        raise LoadError(
            str(path), f"unknown relation kind {row['kind']!r} (one of {allowed})", line=line, field="kind"
        ) from None
    start = optional_date(row.get("start"), path, line=line, field="start")
    end = optional_date(row.get("end"), path, line=line, field="end")
    if start and end and start > end:
        raise LoadError(str(path), f"end {end} is before start {start}", line=line, field="end")
    return Relation(
        subject=str(row["subject"]).strip(),
        kind=kind,
        object=str(row["object"]).strip(),
        provenance=_provenance(row, path, line, source_id),
        start=start,
        end=end,
        role=_text(row.get("role")),
    )


def _load_csv(path: Path, known: KnownKinds, identities: Identities) -> Batch:
    check_bounded(path)
    text = read_text(path)
    reader = csv.DictReader(text.splitlines(), strict=True)
    header = reader.fieldnames or []
    is_entities = {"kind", "label"} <= set(header)
    is_relations = {"subject", "kind", "object"} <= set(header)
    if not (is_entities or is_relations):
        raise LoadError(
            str(path), "header must have kind,label (entities) or subject,kind,object (relations)", line=1
        )
    allowed = (ENTITY_FIELDS if is_entities else RELATION_FIELDS) | {"source"}
    extra = [h for h in header if h not in allowed]
    if extra:
        raise LoadError(str(path), f"unknown column {extra[0]!r}", line=1)
    src = Source(id=slugify(path.stem), title=path.name, loader=LOADER, path=str(path))
    batch = Batch(source=src, digest=file_digest(path, LOADER))
    stated = set()
    try:
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise LoadError(str(path), f"expected {len(header)} columns", line=line)
            clean = {k: v for k, v in row.items() if v != ""}
            if is_entities:
                batch.entities.append(_entity(clean, path, line, src.id))
                if clean.get("id"):
                    stated.add(len(batch.entities) - 1)
            else:
                batch.relations.append(_relation(clean, path, line, src.id))
    except csv.Error as exc:
        raise LoadError(str(path), f"malformed CSV: {exc}", line=reader.line_num) from None
    if not batch.entities and not batch.relations:
        raise LoadError(str(path), "no rows after the header", line=2)
    _identify(batch, stated, identities, path)
    return check_batch(batch, path, known)
