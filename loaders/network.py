"""Network files from the Gephi/Cytoscape world: GraphML, GEXF and edge-list CSV.

Nodes become entities (kind from a ``kind`` attribute, else ``default_kind``), edges become
relations (kind from a ``kind`` attribute, else ``partner_of``). Each node's own id is kept
as an alias, so entities can be named by it.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    make_id,
    slugify,
)
from climatekg.graph.store import Store
from climatekg.loaders.common import (
    check_batch,
    check_file,
    file_digest,
    known_kinds,
    optional_date,
    read_text,
)
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


def load_graphml(path: Path, *, store: Store | None = None, default_kind: str = "Organisation") -> Batch:
    """Read a GraphML file."""
    import networkx as nx  # heavy: only when a network file is read (the CLI starts without it)

    check_bounded(path, xml=True)
    return _from_nx(path, _read_xml(path, nx.read_graphml), "graphml", store, default_kind)


def load_gexf(path: Path, *, store: Store | None = None, default_kind: str = "Organisation") -> Batch:
    """Read a GEXF file."""
    import networkx as nx

    check_bounded(path, xml=True)
    return _from_nx(path, _read_xml(path, nx.read_gexf), "gexf", store, default_kind)


def _read_xml(path: Path, reader: Any) -> nx.Graph:
    import networkx as nx

    check_file(path)
    try:
        return reader(str(path))
    except ET.ParseError as exc:
        raise LoadError(str(path), f"malformed XML: {exc.msg.split(':')[0]}", line=exc.position[0]) from None
    except (nx.NetworkXError, KeyError, ValueError, TypeError) as exc:
        raise LoadError(str(path), f"not a readable network file: {exc}") from None


def _kind(value: object, path: Path, where: str) -> EntityKind:
    try:
        return EntityKind(str(value))
    except ValueError:
        raise LoadError(str(path), f"unknown entity kind {value!r}", field=where) from None


def _relation_kind(value: object, path: Path, where: str) -> RelationKind:
    try:
        return RelationKind(str(value))
    except ValueError:
        raise LoadError(str(path), f"unknown relation kind {value!r}", field=where) from None


def _from_nx(path: Path, G: nx.Graph, loader: str, store: Store | None, default_kind: str) -> Batch:
    src = Source(id=slugify(path.name), title=path.name, loader=loader, path=str(path))
    batch = Batch(source=src, digest=file_digest(path, loader, default_kind))
    ids: dict[object, str] = {}
    for node, data in G.nodes(data=True):
        where = f"node {node}"
        kind = _kind(data.get("kind", default_kind), path, where)
        label = str(data.get("label") or node)
        ids[node] = make_id(kind, label)
        aliases = tuple(a for a in (str(node),) if a != label)
        prov = Provenance(src.id, loader, locator=where)
        batch.entities.append(Entity(ids[node], kind, label, prov, aliases=aliases))
    for u, w, data in G.edges(data=True):
        where = f"edge {u}-{w}"
        batch.relations.append(
            Relation(
                ids[u],
                _relation_kind(data.get("kind", "partner_of"), path, where),
                ids[w],
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
) -> Batch:
    """Read an edge-list CSV; ``mapping`` renames columns (e.g. ``{"source": "from"}``)."""
    cols = {**EDGE_COLUMNS, **(mapping or {})}
    unknown = set(mapping or {}) - set(EDGE_COLUMNS)
    if unknown:
        raise LoadError(str(path), f"unknown mapping key {sorted(unknown)[0]!r} ({', '.join(EDGE_COLUMNS)})")
    check_bounded(path)
    reader = csv.DictReader(read_text(path).splitlines(), strict=True)
    header = reader.fieldnames or []
    for key in ("source", "target"):
        if cols[key] not in header:
            raise LoadError(
                str(path), f"missing column {cols[key]!r} (map it with --map {key}=COLUMN)", line=1
            )
    src = Source(id=slugify(path.name), title=path.name, loader="edges", path=str(path))
    batch = Batch(source=src, digest=file_digest(path, "edges", repr(sorted(cols.items())), default_kind))
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
                kind = _kind(row.get(cols[end + "_kind"]) or default_kind, path, f"row {line}")
                eid = make_id(kind, name)
                batch.entities.append(Entity(eid, kind, name, prov))
                ends.append(eid)
            batch.relations.append(
                Relation(
                    ends[0],
                    _relation_kind(row.get(cols["kind"]) or "partner_of", path, f"row {line}"),
                    ends[1],
                    prov,
                    start=optional_date(row.get(cols["start"]), path, field=f"row {line}"),
                    end=optional_date(row.get(cols["end"]), path, field=f"row {line}"),
                    role=(row.get(cols["role"]) or "").strip() or None,
                )
            )
    except csv.Error as exc:
        raise LoadError(str(path), f"malformed CSV: {exc}", line=reader.line_num) from None
    if not batch.relations:
        raise LoadError(str(path), "no edges after the header", line=2)
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
