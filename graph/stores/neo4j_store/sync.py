"""Moving sources between the embedded store and Neo4j: ``push`` (embedded → Neo4j) and ``pull``.

Push reads each source's named graph straight from Oxigraph in one sweep (``GraphReader``, which
reads statements with the same RDF mapping as the embedded store) and writes it with the Neo4j
store's source protocol: entities first, then relationships, in batched ``UNWIND $rows``
transactions, the source's digest last. Reading runs in a thread ahead of the writes, so Oxigraph
and Neo4j work at once.

Pull streams one source at a time back out of Neo4j as a model :class:`Batch` and loads it into
the embedded store, which validates and writes it as it does any other batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError, LoadError, StoreError
from climatekg.graph.model import Batch, Source
from climatekg.graph.store import LoadReport, RdfStore, SourceInfo, Store
from climatekg.graph.stores.neo4j_store.codec import (
    REL_TYPE,
    RELATION_COLUMNS,
    record_entity,
    relation_from_row,
)
from climatekg.graph.stores.neo4j_store.content import GraphReader, reader_content
from climatekg.graph.stores.neo4j_store.store import Neo4jStore
from climatekg.graph.stores.neo4j_store.writes import (
    DEFAULT_BATCH_SIZE,
    Progress,
    SourceSummary,
    begin_source,
    cypher,
    finish_source,
    write_content,
)

# ---- push ----------------------------------------------------------------------------------


@dataclass
class SyncReport:
    """What happened to one source: ``pushed``/``pulled``, ``unchanged``, ``resumed`` or ``removed``."""

    source: str
    action: str
    entities: int = 0
    relations: int = 0
    skipped: int = 0


def sync_key(info: SourceInfo) -> str:
    """Identifies one load of a source in the embedded store: equal key → equal content.

    The digest alone is not enough: a source loaded without one has digest ``none``.
    """
    return hashlib.sha256(f"{info.id}|{info.digest}|{info.loaded_at}|{info.triples}".encode()).hexdigest()


def graph_totals(kg: RdfStore, source_id: str) -> tuple[int, int]:
    """(entities, direct relation statements) in a source's graph, counted by Oxigraph (for progress)."""
    g = v.graph_iri(source_id, kg.base)
    kinds = " ".join(f"<{c}>" for c in v.CLASS_KIND)
    props = " ".join(f"<{p}>" for p in v.PROPERTY_RELATION)
    entities = _count(kg, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{g}> {{ ?e a ?c VALUES ?c {{ {kinds} }} }} }}")
    relations = _count(
        kg, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{g}> {{ ?s ?p ?o VALUES ?p {{ {props} }} }} }}"
    )
    return entities, relations


def _count(kg: RdfStore, query: str) -> int:
    solutions: Any = kg.oxigraph().query(query)
    return int(next(iter(solutions))["n"].value)


def push(
    kg: RdfStore,
    neo: Neo4jStore,
    *,
    sources: list[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    prune: bool = False,
    progress: Progress | None = None,
    on_source: Callable[[SourceInfo, tuple[int, int]], None] | None = None,
) -> list[SyncReport]:
    """Push the embedded store ``kg`` (every source, or the named ones) into Neo4j.

    Idempotent: a source already in Neo4j with the same content is skipped. A push stopped at
    any point (server crash, Ctrl-C) and run again ends with the same graph as one that ran
    through: see :func:`writes.begin_source <.writes.begin_source>`. ``prune`` removes sources
    Neo4j has and the embedded store does not (only when pushing everything).
    """
    infos = kg.sources()
    if sources:
        known = {s.id for s in infos}
        missing = [s for s in sources if s not in known]
        if missing:
            raise ClimateKGError(
                f"no source {missing[0]!r} in the embedded store (one of {', '.join(sorted(known))})"
            )
        infos = [s for s in infos if s.id in sources]
    # loaded order: a source's relations point at entities of sources loaded before it
    infos = sorted(infos, key=lambda s: (s.loaded_at, s.id))
    reports = []
    neo.ensure_schema()
    for info in infos:
        if not info.digest:
            raise StoreError(f"source {info.id} is incomplete in the embedded store: load it again first")
        key = sync_key(info)
        state = begin_source(neo, info.id, key)
        if state == "unchanged":
            reports.append(SyncReport(info.id, "unchanged"))
            continue
        if on_source:
            on_source(info, graph_totals(kg, info.id))
        reader = GraphReader(kg.oxigraph(), info.id, kg.base)
        fields = reader.source_fields
        content = reader_content(reader, Source(info.id, info.title, info.loader), info.triples)
        written = write_content(
            neo, content, create=state == "fresh", batch_size=batch_size, progress=progress
        )
        source = Source(
            id=info.id,
            title=fields.get("title", info.title),
            loader=fields.get("loader", info.loader),
            publisher=fields.get("publisher"),
            url=fields.get("url"),
            issued=fields.get("issued"),
            licence=fields.get("licence"),
            path=fields.get("path"),
        )
        finish_source(
            neo,
            SourceSummary(
                source=source,
                key=key,
                digest=info.digest,
                loaded_at=info.loaded_at,
                triples=info.triples,
                quads=content.quads,
                relation_counts=content.relation_counts,
                merges=content.merges,
                skipped=content.skipped,
            ),
        )
        action = "resumed" if state == "resume" else "pushed"
        reports.append(SyncReport(info.id, action, written.entities, written.relations, content.skipped))
    if prune and not sources:
        local = {s.id for s in kg.sources()}
        for s in neo.sources():
            if s.id not in local:
                neo.remove_source(s.id)
                reports.append(SyncReport(s.id, "removed"))
    return reports


# ---- pull ----------------------------------------------------------------------------------

_PULL_ENTITIES = """
MATCH (e:Entity) WHERE $graph IN e.sources
RETURN e.id AS id, [i IN range(0, size(e.sources) - 1) WHERE e.sources[i] = $graph | e.records[i]][0] AS record
"""

_PULL_RELATIONS = (
    "MATCH (a)-[r:{type}]->(b) WHERE r.graph = $graph AND r.rid IS NOT NULL RETURN " + RELATION_COLUMNS
)


def pulled_batch(neo: Neo4jStore, source_id: str) -> Batch:
    """One complete source from Neo4j as the model batch it was made of."""
    p = neo.source_details(source_id)
    if p is None:
        raise StoreError(f"Neo4j at {neo.where} has no source {source_id!r}")
    if p.get("digest") is None or p.get("pending") is not None:
        raise StoreError(
            f"source {source_id} is incomplete in Neo4j (a push stopped half-way): push it again"
        )
    source = Source(
        id=source_id,
        title=p.get("title") or "",
        loader=p.get("loader") or "",
        publisher=p.get("publisher"),
        url=p.get("url"),
        issued=p.get("issued"),
        licence=p.get("licence"),
        path=p.get("path"),
    )
    entities = [
        record_entity(r["id"], json.loads(r["record"])) for r in neo._stream(_PULL_ENTITIES, graph=source_id)
    ]
    relations = [
        relation_from_row(r, loader=source.loader)
        for rel_type in REL_TYPE.values()
        for r in neo._stream(cypher(_PULL_RELATIONS, type=rel_type), graph=source_id)
    ]
    merges = list(zip(p.get("mergeAliases") or [], p.get("mergeTargets") or [], strict=True))
    digest = p.get("digest") or ""
    return Batch(source, entities, relations, merges, digest="" if digest == "none" else digest)


def pull(neo: Neo4jStore, kg: Store, *, sources: list[str] | None = None) -> list[SyncReport]:
    """Load every complete Neo4j source (or the named ones) into the embedded store ``kg``.

    Sources go in their load order; one whose relations point at entities of a source not yet
    pulled waits for it.
    """
    infos = neo.sources()
    if sources:
        known = {s.id for s in infos}
        missing = [s for s in sources if s not in known]
        if missing:
            raise StoreError(f"Neo4j at {neo.where} has no source {missing[0]!r}")
        infos = [s for s in infos if s.id in sources]
    # a source without its digest is a push that stopped half-way: never half-pulled
    reports: list[SyncReport] = [
        SyncReport(s.id, "incomplete") for s in infos if not s.digest and not sources
    ]
    todo = sorted((s for s in infos if s.digest or sources), key=lambda s: (s.loaded_at, s.id))
    while todo:
        waiting = []
        for info in todo:
            batch = pulled_batch(neo, info.id)
            try:
                report: LoadReport = kg.load(batch)
            except LoadError as exc:
                if "unknown entity" not in exc.reason:
                    raise
                waiting.append(info)
                continue
            action = "pulled" if report.changed else "unchanged"
            reports.append(SyncReport(info.id, action, len(batch.entities), len(batch.relations)))
        if len(waiting) == len(todo):
            # nothing moved: let the first one fail with its own message
            kg.load(pulled_batch(neo, waiting[0].id))
        todo = waiting
    return reports
