"""Writing one source into Neo4j: the write protocol and its Cypher.

Writing a source follows one protocol, used by ``Neo4jStore.load`` and by ``climatekg neo4j
push``: mark the Source node pending (:func:`begin_source`), MERGE entities and relationships in
batches (:func:`write_content`), write the digest last (:func:`finish_source`). A source without
its digest is incomplete; writing it again either resumes (same content) or first removes what it
had. Labels and relationship types come only from the fixed tables of the codec, never from data;
every value travels as a query parameter.
"""

from __future__ import annotations

import json
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from climatekg.graph.model import Entity, EntityKind, RelationKind, Source
from climatekg.graph.store import timestamp
from climatekg.graph.stores.neo4j_store.codec import (
    ALL_KIND_LABELS,
    ALL_TYPES,
    BLANK,
    KIND_LABEL,
    PLACEHOLDER,
    REL_TYPE,
    entity_record,
    merged_view,
    record_json,
    relation_row,
)
from climatekg.graph.stores.neo4j_store.connection import Connection
from climatekg.graph.stores.neo4j_store.content import Content

#: Rows per write transaction (``UNWIND $rows``); chosen by bench/bench_neo4j.py.
DEFAULT_BATCH_SIZE = 5_000

#: ``progress(what, n)``: ``what`` is "entities" or "relations", ``n`` rows just written.
Progress = Callable[[str, int], None]


def cypher(template: str, **names: str) -> str:
    """Fill ``{label}``-style slots of a query with names from the fixed tables above only."""
    allowed = {*KIND_LABEL.values(), *REL_TYPE.values(), PLACEHOLDER, ALL_KIND_LABELS, ALL_TYPES, "MERGE"}
    allowed.add("CREATE")
    for value in names.values():
        if value not in allowed:
            raise ValueError(f"not a model label or type: {value!r}")
    return template.format(**names)


_ENTITY_WRITE = """
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
WITH e, row, coalesce(e.sources, []) AS old, coalesce(e.records, []) AS recs
WITH e, row, old, recs, [i IN range(0, size(old) - 1) WHERE old[i] <> $graph] AS keep
WITH e, row, [i IN keep | old[i]] AS ks, [i IN keep | recs[i]] AS kr
WITH e, row, ks, kr, size([x IN ks WHERE x < $graph]) AS at
SET e.sources = ks[..at] + [$graph] + ks[at..], e.records = kr[..at] + [row.record] + kr[at..]
REMOVE e:{all_labels}
SET e:{label}
SET e += $blank
SET e += row.flat
WITH e WHERE size(e.sources) > 1
RETURN e.id AS id
"""

_EXISTING = "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id"

_ENTITY_CREATE = """
UNWIND $rows AS row
CREATE (e:Entity:{label} {{id: row.id}})
SET e += row.flat, e.sources = [$graph], e.records = [row.record]
"""

_RELATION_WRITE = """
UNWIND $rows AS row
MATCH (a:Entity {{id: row.s}})
MATCH (b:Entity {{id: row.o}})
{verb} (a)-[r:{type} {{graph: $graph, rid: row.rid}}]->(b)
SET {assignment}
RETURN count(r) AS n
"""


def _relation_write(kind: RelationKind, create: bool) -> str:
    """CREATE adds the stored properties; MERGE (a resumed write) replaces them all."""
    if create:
        return _RELATION_WRITE.format(verb="CREATE", type=REL_TYPE[kind], assignment="r += row.p")
    assignment = "r = row.p, r.graph = $graph, r.rid = row.rid"
    return _RELATION_WRITE.format(verb="MERGE", type=REL_TYPE[kind], assignment=assignment)


_ENSURE_ENDS = f"""
UNWIND $ids AS id
MERGE (e:Entity {{id: id}})
ON CREATE SET e:{PLACEHOLDER}, e.sources = [], e.records = []
"""

_DELETE_RELATIONSHIPS = """
MATCH ()-[r:{type}]->() WHERE r.graph = $graph AND r.rid IS NOT NULL
CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS
"""

_DROP_RECORDS = """
MATCH (e:Entity) WHERE $graph IN e.sources
CALL (e) {
  WITH e, [i IN range(0, size(e.sources) - 1) WHERE e.sources[i] <> $graph] AS keep
  SET e.records = [i IN keep | e.records[i]], e.sources = [i IN keep | e.sources[i]]
  RETURN size(keep) AS left
} IN TRANSACTIONS OF 10000 ROWS
WITH e, left WHERE left > 0
RETURN e.id AS id
"""

_ORPHANS_TO_PLACEHOLDERS = f"""
MATCH (e:Entity) WHERE e.sources = [] AND NOT e:{PLACEHOLDER}
CALL (e) {{ REMOVE e:{ALL_KIND_LABELS} SET e:{PLACEHOLDER} SET e += $blank }} IN TRANSACTIONS OF 10000 ROWS
"""

_DROP_LONE_PLACEHOLDERS = f"""
MATCH (e:{PLACEHOLDER}) WHERE NOT EXISTS {{ (e)--() }}
CALL (e) {{ DELETE e }} IN TRANSACTIONS OF 10000 ROWS
"""

_SET_MERGED = """
UNWIND $rows AS row
MATCH (e:Entity {{id: row.id}})
REMOVE e:{all_labels}
SET e:{label}
SET e += $blank
SET e += row.flat
"""


@dataclass
class SourceSummary:
    """What the Source node records once a source is completely written (the digest last)."""

    source: Source
    key: str  # equal key → equal content: a later write of the same key is skipped
    digest: str
    loaded_at: str
    triples: int
    quads: int
    relation_counts: dict[str, int]
    merges: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Written:
    """Rows a write sent: entity records and relationships."""

    entities: int = 0
    relations: int = 0


# ---- the write protocol -----------------------------------------------------------------------


def begin_source(conn: Connection, source_id: str, key: str) -> str:
    """Prepare to write a source: ``"unchanged"``, ``"resume"`` or ``"fresh"``.

    ``unchanged``: complete with the same key, nothing to do. ``resume``: an earlier write of
    the same key stopped half-way; what it wrote is a subset of what comes, so MERGE completes
    it. ``fresh``: whatever the source had (another version, complete or not) is removed first.
    """
    conn.ensure_schema()
    rows = conn._query(
        "MATCH (s:Source {id: $id}) RETURN s.digest AS digest, s.syncKey AS key, s.pending AS pending",
        id=source_id,
    )
    if rows:
        row = rows[0]
        if row["pending"] is None and row["digest"] is not None and row["key"] == key:
            return "unchanged"
        if row["pending"] == key:
            return "resume"
        # Dirty first, so that a crash during the removal is never taken for a complete source.
        conn._query(
            "MATCH (s:Source {id: $id}) REMOVE s.digest, s.syncKey SET s.pending = ''",
            write=True,
            id=source_id,
        )
        remove_data(conn, source_id)
    conn._query(
        "MERGE (s:Source {id: $id}) SET s.pending = $key REMOVE s.digest, s.syncKey",
        write=True,
        id=source_id,
        key=key,
    )
    return "fresh"


def write_entities(conn: Connection, kind: EntityKind, graph: str, entities: Sequence[Entity]) -> list[str]:
    """MERGE one source's records of entities of one kind (one transaction).

    Returns the ids now described by more than one source, whose merged view the caller
    recomputes with :func:`refresh_merged` once the source is written.
    """
    rows = []
    for e in entities:
        rec = entity_record(e)
        flat = {k: val for k, val in merged_view(e.id, [rec]).items() if val is not None}
        rows.append({"id": e.id, "record": record_json(rec), "flat": flat})
    # New entities (the common case) are CREATEd by the cheap query; the others, which may hold
    # records of other sources or be placeholders, go through the MERGE that edits the lists.
    known = {r["id"] for r in conn._query(_EXISTING, ids=[r["id"] for r in rows])}
    fresh = [r for r in rows if r["id"] not in known]
    label = KIND_LABEL[kind]
    if fresh:
        conn._query(cypher(_ENTITY_CREATE, label=label), write=True, rows=fresh, graph=graph)
    rest = [r for r in rows if r["id"] in known]
    if not rest:
        return []
    query = cypher(_ENTITY_WRITE, label=label, all_labels=ALL_KIND_LABELS)
    return [r["id"] for r in conn._query(query, write=True, rows=rest, graph=graph, blank=BLANK)]


def write_relations(
    conn: Connection,
    kind: RelationKind,
    graph: str,
    loader: str,
    rows: Sequence[dict[str, Any]],
    *,
    create: bool,
) -> None:
    """CREATE (fresh source) or MERGE (resume) relationships of one kind (one transaction).

    ``rows`` come from :func:`relation_row`. An end that no entity node exists for yet gets
    a placeholder node, filled in when its entity is written.
    """
    params = {"rows": list(rows), "graph": graph}
    written = conn._query(_relation_write(kind, create), write=True, **params)[0]["n"]
    if written < len(rows):
        ends = sorted({r["s"] for r in rows} | {r["o"] for r in rows})
        conn._query(_ENSURE_ENDS, write=True, ids=ends)
        # rows whose ends existed were written above: MERGE adds only the others
        conn._query(_relation_write(kind, False), write=True, **params)


def refresh_merged(conn: Connection, ids: Iterable[str], batch_size: int = 1000) -> None:
    """Recompute the merged view of entities described by several sources (or fewer than before)."""
    todo = sorted(set(ids))
    for start in range(0, len(todo), batch_size):
        found = conn._query(
            "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id, e.records AS records",
            ids=todo[start : start + batch_size],
        )
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in found:
            records = [json.loads(text) for text in r["records"] or []]
            flat = merged_view(r["id"], records) if records else dict(BLANK)
            label = KIND_LABEL[EntityKind(flat["kind"])] if flat["kind"] else PLACEHOLDER
            by_label[label].append({"id": r["id"], "flat": {k: x for k, x in flat.items() if x is not None}})
        for label, rows in by_label.items():
            query = cypher(_SET_MERGED, all_labels=ALL_KIND_LABELS, label=label)
            conn._query(query, write=True, rows=rows, blank=BLANK)


def finish_source(conn: Connection, summary: SourceSummary) -> None:
    """Write the Source node's fields, the digest last of all: the source is now complete."""
    src = summary.source
    props = {
        "title": src.title,
        "loader": src.loader,
        "publisher": src.publisher,
        "url": src.url,
        "issued": src.issued,
        "licence": src.licence,
        "path": src.path,
        "loadedAt": summary.loaded_at,
        "writtenAt": timestamp(),
        "triples": summary.triples,
        "quads": summary.quads,
        "relationCounts": json.dumps(summary.relation_counts, sort_keys=True),
        "mergeAliases": [a for a, _ in summary.merges],
        "mergeTargets": [c for _, c in summary.merges],
        "skipped": summary.skipped,
    }
    conn._auto(_DROP_LONE_PLACEHOLDERS)
    conn.ensure_text_indexes()
    conn._query(
        "MATCH (s:Source {id: $id}) SET s += $props SET s.syncKey = $key, s.digest = $digest "
        "REMOVE s.pending",
        write=True,
        id=src.id,
        props=props,
        key=summary.key,
        digest=summary.digest or "none",
    )


def remove_data(conn: Connection, source_id: str) -> None:
    """Delete a source's relationships and its records of entities; entities left without
    any record and without relationships go, those still tied to others become placeholders."""
    for rel_type in REL_TYPE.values():
        conn._auto(cypher(_DELETE_RELATIONSHIPS, type=rel_type), graph=source_id)
    shared = [r["id"] for r in conn._auto(_DROP_RECORDS, graph=source_id)]
    conn._auto(_ORPHANS_TO_PLACEHOLDERS, blank=BLANK)
    conn._auto(_DROP_LONE_PLACEHOLDERS)
    refresh_merged(conn, shared)


# ---- a whole source's content ------------------------------------------------------------------

T = TypeVar("T")


def prefetch(items: Iterable[T], chunk: int = 2000, depth: int = 8) -> Iterator[list[T]]:
    """Iterate ``items`` in a thread, ``chunk`` at a time, up to ``depth`` chunks ahead."""
    buffer: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def run() -> None:
        try:
            batch: list[T] = []
            for item in items:
                batch.append(item)
                if len(batch) >= chunk:
                    while not stop.is_set():
                        try:
                            buffer.put(batch, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                    batch = []
            buffer.put(batch)
            buffer.put(done)
        except BaseException as exc:  # handed to the consumer, which raises it
            buffer.put(exc)

    thread = threading.Thread(target=run, name="climatekg-read", daemon=True)
    thread.start()
    try:
        while True:
            got = buffer.get()
            if got is done:
                return
            if isinstance(got, BaseException):
                raise got
            if got:
                yield got
    finally:
        stop.set()


def write_content(
    conn: Connection,
    content: Content,
    *,
    create: bool,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> Written:
    """Write a source's entities, then its relationships, ``batch_size`` rows per transaction.

    ``create`` is for a source with nothing written yet (relationships are CREATEd; the
    uniqueness constraint guards against a duplicate); otherwise everything is MERGEd.
    """
    graph, loader = content.source.id, content.source.loader
    written = Written()
    shared: set[str] = set()
    pending: dict[Any, list[Any]] = defaultdict(list)

    def flush_entities(kind: EntityKind) -> None:
        rows = pending.pop(kind, [])
        if rows:
            shared.update(write_entities(conn, kind, graph, rows))
            written.entities += len(rows)
            if progress:
                progress("entities", len(rows))

    def flush_relations(kind: RelationKind) -> None:
        rows = pending.pop(kind, [])
        if rows:
            write_relations(conn, kind, graph, loader, rows, create=create)
            written.relations += len(rows)
            if progress:
                progress("relations", len(rows))

    for chunk in prefetch(content.entities):
        for e in chunk:
            pending[e.kind].append(e)
            if len(pending[e.kind]) >= batch_size:
                flush_entities(e.kind)
    for ek in list(EntityKind):
        flush_entities(ek)
    for rchunk in prefetch(content.relations):
        for r in rchunk:
            rows = pending[r.kind]
            rows.append(relation_row(r, graph, loader))
            if len(rows) >= batch_size:
                flush_relations(r.kind)
    for rk in list(RelationKind):
        flush_relations(rk)
    refresh_merged(conn, shared)
    return written
