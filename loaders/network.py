"""Network files from the Gephi/Cytoscape world: GraphML, GEXF and edge-list CSV.

Nodes become entities (kind from a ``kind`` attribute, else ``default_kind``), edges become
relations (kind from a ``kind`` attribute, else ``partner_of``). Each node's own id is kept
as an alias, so entities can be named by it. Node attributes that no model field reads
(``region``, ``mayor`` …) are kept as the entity's ``attributes`` and exported again.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

if TYPE_CHECKING:
    import networkx as nx

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
    other_attributes,
    qid_or_none,
    read_coordinate,
    read_country,
    read_kind,
    read_population,
    read_wikidata,
    recognised,
)
from climatekg.loaders.common import (
    check_batch,
    check_file,
    file_digest,
    known_kinds,
    optional_date,
    read_text,
)
from climatekg.loaders.identity import Identities, Record
from climatekg.loaders.safe_read import check_bounded

#: Edge-list columns and their default names; ``--map key=column`` renames them.
EDGE_COLUMNS = {
    "source": "source",
    "target": "target",
    "kind": "kind",
    "source_kind": "source_kind",
    "target_kind": "target_kind",
    "start": "start",
    "end": "end",
    "role": "role",
}


def load_graphml(
    path: Path,
    *,
    store: Store | None = None,
    default_kind: str = "Organisation",
    identities: Identities | None = None,
) -> Batch:
    """Read a GraphML file."""
    import networkx as nx  # heavy: only when a network file is read (the CLI starts without it)

    check_bounded(path, xml=True)
    return _from_nx(path, _read_xml(path, nx.read_graphml), "graphml", store, default_kind, identities)


def load_gexf(
    path: Path,
    *,
    store: Store | None = None,
    default_kind: str = "Organisation",
    identities: Identities | None = None,
) -> Batch:
    """Read a GEXF file."""
    import networkx as nx

    check_bounded(path, xml=True)
    return _from_nx(path, _read_xml(path, nx.read_gexf), "gexf", store, default_kind, identities)


def _read_xml(path: Path, reader: Any) -> nx.Graph:
    import networkx as nx

    check_file(path)
    _check_edge_ends(path)
    try:
        return reader(str(path))
    except ET.ParseError as exc:
        raise LoadError(str(path), f"malformed XML: {exc.msg.split(':')[0]}", line=exc.position[0]) from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise LoadError(str(path), f"not a readable network file: {exc}") from None


def _check_edge_ends(path: Path) -> None:
    """Refuse an edge whose source or target is not a declared node: networkx would create it."""
    nodes: set[str] = set()
    edges: list[tuple[int, str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = name.rsplit(" ", 1)[-1]  # GraphML and GEXF elements, whatever their namespace
        if tag == "node" and "id" in attrs:
            nodes.add(attrs["id"])
        elif tag == "edge":
            edges.append((parser.CurrentLineNumber, attrs.get("source", ""), attrs.get("target", "")))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except expat.ExpatError as exc:
        raise LoadError(
            str(path), f"malformed XML: {expat.errors.messages[exc.code]}", line=exc.lineno
        ) from None
    for line, source, target in edges:
        for end, node in (("source", source), ("target", target)):
            if node not in nodes:
                raise LoadError(
                    str(path),
                    f"edge {source!r} -> {target!r}: {end} {node!r} is not a declared node",
                    line=line,
                )


def _relation_kind(value: object, path: Path, where: str) -> RelationKind:
    try:
        return RelationKind(str(value))
    except ValueError:
        raise LoadError(str(path), f"unknown relation kind {value!r}", field=where) from None


def _attribute(data: dict[str, Any], field: str) -> object:
    name = recognised(list(data), field)
    return data[name] if name is not None else None


def _node_record(
    node: object, data: dict[str, Any], path: Path, default: EntityKind, notes: list[str]
) -> Record:
    """A node's attributes as a record: label/name, kind, country, lat/lon, population, QID."""
    where = f"node {node}"
    label = _attribute(data, "label")
    return Record(
        kind=read_kind(_attribute(data, "kind"), path, where, default),
        label=str(node) if missing(label) else str(label).strip(),
        key=str(node),
        locator=where,
        country=read_country(_attribute(data, "country"), path, where, notes),
        lat=read_coordinate(_attribute(data, "lat"), path, where, 90.0),
        lon=read_coordinate(_attribute(data, "lon"), path, where, 180.0),
        wikidata=read_wikidata(_attribute(data, "wikidata"), path, where) or qid_or_none(node),
    )


def _from_nx(
    path: Path,
    G: nx.Graph,
    loader: str,
    store: Store | None,
    default_kind: str,
    identities: Identities | None,
) -> Batch:
    src = Source(id=slugify(path.name), title=path.name, loader=loader, path=str(path))
    batch = Batch(source=src, digest=file_digest(path, loader, default_kind))
    default = read_kind(default_kind, path, "--kind", EntityKind.ORGANISATION)
    records: dict[object, Record] = {}
    population: dict[object, int | None] = {}
    others: dict[object, tuple[tuple[str, str], ...]] = {}
    for node, data in G.nodes(data=True):
        records[node] = _node_record(node, data, path, default, batch.notes)
        population[node] = read_population(_attribute(data, "population"), path, f"node {node}")
        others[node] = other_attributes(data)
    ids = (identities or Identities(store)).assign(list(records.values()), batch)
    placed: set[str] = set()
    for node, rec in records.items():
        eid = ids[rec.key]
        if eid in placed:  # two nodes of this file with one Wikidata id are one entity
            batch.notes.append(f"{rec.locator} {rec.label!r} is the same entity as an earlier node: {eid}")
            continue
        placed.add(eid)
        aliases = tuple(a for a in (str(node),) if a != rec.label)
        batch.entities.append(
            Entity(
                eid,
                rec.kind,
                rec.label,
                Provenance(src.id, loader, locator=rec.locator),
                aliases=aliases,
                wikidata=rec.wikidata,
                country=rec.country,
                lat=rec.lat if rec.lon is not None else None,
                lon=rec.lon if rec.lat is not None else None,
                population=population[node],
                attributes=others[node],
            )
        )
    for u, w, data in G.edges(data=True):
        where = f"edge {u}-{w}"
        batch.relations.append(
            Relation(
                ids[records[u].key],
                _relation_kind(data.get("kind", "partner_of"), path, where),
                ids[records[w].key],
                Provenance(src.id, loader, locator=where),
                start=optional_date(data.get("start"), path, field=where),
                end=optional_date(data.get("end"), path, field=where),
                role=str(data["role"]) if data.get("role") else None,
            )
        )
    return check_batch(_dedupe(batch, path), path, known_kinds(store))


def load_edge_list(
    path: Path,
    *,
    store: Store | None = None,
    mapping: dict[str, str] | None = None,
    default_kind: str = "Organisation",
    identities: Identities | None = None,
) -> Batch:
    """Read an edge-list CSV; ``mapping`` renames columns (e.g. ``{"source": "from"}``)."""
    cols = {**EDGE_COLUMNS, **(mapping or {})}
    unknown = set(mapping or {}) - set(EDGE_COLUMNS)
    if unknown:
        raise LoadError(str(path), f"unknown mapping key {sorted(unknown)[0]!r} ({', '.join(EDGE_COLUMNS)})")
    check_bounded(path)
    reader = csv.DictReader(read_text(path).splitlines(), strict=True)
    header = reader.fieldnames or []
    for key, column in (mapping or {}).items():
        if column not in header:
            raise LoadError(
                str(path),
                f"--map {key}={column}: no column {column!r} (columns: {', '.join(header)})",
                line=1,
            )
    for key in ("source", "target"):
        if cols[key] not in header:
            raise LoadError(
                str(path), f"missing column {cols[key]!r} (map it with --map {key}=COLUMN)", line=1
            )
    src = Source(id=slugify(path.name), title=path.name, loader="edges", path=str(path))
    batch = Batch(source=src, digest=file_digest(path, "edges", repr(sorted(cols.items())), default_kind))
    default = read_kind(default_kind, path, "--kind", EntityKind.ORGANISATION)
    records: dict[str, Record] = {}
    rows: list[tuple[str, str, str, Provenance, dict[str, str]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row or None in row.values():
                raise LoadError(str(path), f"expected {len(header)} columns", line=line)
            prov = Provenance(src.id, "edges", locator=f"row {line}")
            ends = []
            for end in ("source", "target"):
                name = (row.get(cols[end]) or "").strip()
                if not name:
                    raise LoadError(str(path), "empty", line=line, field=cols[end])
                kind = read_kind(row.get(cols[end + "_kind"]), path, f"row {line}", default)
                key = f"{kind.value}|{name}"  # within one edge list, a name is one node
                records.setdefault(key, Record(kind, name, key, f"row {line}"))
                ends.append(key)
            kind_name = row.get(cols["kind"]) or "partner_of"
            rows.append((ends[0], kind_name, ends[1], prov, row))
    except csv.Error as exc:
        raise LoadError(str(path), f"malformed CSV: {exc}", line=reader.line_num) from None
    if not rows:
        raise LoadError(str(path), "no edges after the header", line=2)
    ids = (identities or Identities(store)).assign(list(records.values()), batch)
    for key, rec in records.items():
        batch.entities.append(Entity(ids[key], rec.kind, rec.label, Provenance(src.id, "edges", rec.locator)))
    for a, kind_name, b, prov, row in rows:
        where = prov.locator or ""
        batch.relations.append(
            Relation(
                ids[a],
                _relation_kind(kind_name, path, where),
                ids[b],
                prov,
                start=optional_date(row.get(cols["start"]), path, field=where),
                end=optional_date(row.get(cols["end"]), path, field=where),
                role=(row.get(cols["role"]) or "").strip() or None,
            )
        )
    return check_batch(_dedupe(batch, path), path, known_kinds(store))


def _dedupe(batch: Batch, path: Path) -> Batch:
    """One entity per id (first mention wins); the same id with two kinds is an error."""
    seen: dict[str, Entity] = {}
    for e in batch.entities:
        first = seen.setdefault(e.id, e)
        if first.kind != e.kind:
            raise LoadError(
                str(path), f"{e.id} is both {first.kind.value} and {e.kind.value}", field=e.provenance.locator
            )
    batch.entities = list(seen.values())
    batch.relations = list({r.id: r for r in batch.relations}.values())
    return batch
