"""Moving sources between the embedded store and Neo4j: ``push`` (embedded → Neo4j) and ``pull``.

Push reads each source's named graph straight from Oxigraph in one sweep (the embedded store's
``entities()``/``relations()`` look entities up one by one, far too slow at a million), turns it
into the canonical model's records and writes them with the Neo4j store's source protocol:
entities first, then relationships, in batched ``UNWIND $rows`` transactions, the source's
digest last. Reading runs in a thread ahead of the writes, so Oxigraph and Neo4j work at once.

Pull streams one source at a time back out of Neo4j as a model :class:`Batch` and loads it into
the embedded store, which validates and writes it as it does any other batch.
"""

from __future__ import annotations

import hashlib
import queue
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError, LoadError, StoreError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.graph.neo4j_store import (
    DEFAULT_BATCH_SIZE,
    REL_TYPE,
    Neo4jStore,
    SourceSummary,
    batch_quads,
    record_entity,
    relation_row,
)
from climatekg.graph.store import LoadReport, SourceInfo

#: ``progress(what, n)``: ``what`` is "entities" or "relations", ``n`` rows just written.
Progress = Callable[[str, int], None]

_RDF_TYPE = v.RDF + "type"
_LABEL = v.RDFS + "label"
_ALT = v.SKOS + "altLabel"
_SAME = v.OWL + "sameAs"
_DERIVED = v.PROV + "wasDerivedFrom"
_ENTITY_FIELDS = {
    v.CKG + "classification": "classification",
    v.DCTERMS + "description": "description",
    v.DCTERMS + "date": "date",
    v.SCHEMA + "addressCountry": "country",
    v.SCHEMA + "latitude": "lat",
    v.SCHEMA + "longitude": "lon",
    v.CKG + "locator": "locator",
    v.CKG + "quote": "quote",
    v.CKG + "status": "status",
    _DERIVED: "source",
}
_DERIVED_ONLY = {v.CKG + "nameKey"}  # written from the names; recomputed, never copied
_SOURCE_FIELDS = {
    v.DCTERMS + "title": "title",
    v.CKG + "loader": "loader",
    v.DCTERMS + "publisher": "publisher",
    v.SCHEMA + "url": "url",
    v.DCTERMS + "issued": "issued",
    v.DCTERMS + "license": "licence",
    v.CKG + "path": "path",
}


@dataclass
class Content:
    """One source's records, streamed: all entities first, then all relations.

    The counts are complete once both iterators are exhausted.
    """

    source: Source
    entities: Iterable[Entity]
    relations: Iterable[Relation]
    triples: int = 0
    quads: int = 0
    relation_counts: dict[str, int] = field(default_factory=dict)
    merges: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Written:
    """Rows a write sent: entity records and relationships."""

    entities: int = 0
    relations: int = 0


class GraphReader:
    """One named graph of an Oxigraph store read back as model records, in one sweep.

    The sweep walks the graph's quads subject by subject (Oxigraph's GSPO index keeps a
    subject's quads together), yields each entity as soon as its quads are seen, and keeps
    the direct relation triples (interned ids) and qualified relation nodes for the end, when
    every entity is written and the relations can follow. Statements outside the model (another
    vocabulary in an RDF file) are counted in ``skipped``.
    """

    def __init__(self, store: ox.Store, source_id: str, base: str):
        self.store = store
        self.source_id = source_id
        self.graph = ox.NamedNode(v.graph_iri(source_id, base))
        self.entity_prefix = base + "id/"
        self.relation_prefix = base + "relation/"
        self.source_iri = v.source_iri(source_id, base)
        self.quads = 0
        self.skipped = 0
        self.relation_counts: Counter[str] = Counter()
        self.merges: list[tuple[str, str]] = []
        self.source_fields: dict[str, str] = {}
        self._direct: list[tuple[str, RelationKind, str]] = []
        self._qualified: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)

    def entities(self) -> Iterator[Entity]:
        """Every entity the graph describes (this graph's statements only)."""
        subject: object = None
        group: list[tuple[str, Any]] = []
        for q in self.store.quads_for_pattern(None, None, None, self.graph):
            self.quads += 1
            if q.subject != subject:
                if group:
                    yield from self._subject(subject, group)
                subject, group = q.subject, []
            group.append((q.predicate.value, q.object))
        if group:
            yield from self._subject(subject, group)

    def relations(self, loader: str) -> Iterator[Relation]:
        """Every relation, after :meth:`entities`: qualified ones with their details, plain ones
        with the graph as provenance (as the embedded store reads them)."""
        for s_id, kind, o_id in self._direct:
            key = (self.entity_prefix + s_id, v.RELATION_PROPERTY[kind], self.entity_prefix + o_id)
            nodes = self._qualified.get(key)
            if not nodes:
                yield Relation(s_id, kind, o_id, Provenance(source=self.source_id, loader=loader))
                continue
            for _, f in sorted(nodes, key=lambda n: n[0]):
                yield Relation(
                    subject=s_id,
                    kind=kind,
                    object=o_id,
                    provenance=Provenance(
                        source=f.get(_DERIVED, "").rsplit("/", 1)[-1],
                        loader=f.get(v.CKG + "loader", ""),
                        locator=f.get(v.CKG + "locator"),
                        quote=f.get(v.CKG + "quote"),
                        confidence=float(f.get(v.CKG + "confidence") or 1.0),
                        status="extracted" if f.get(v.CKG + "status") == "extracted" else "curated",
                    ),
                    start=f.get(v.SCHEMA + "startDate"),
                    end=f.get(v.SCHEMA + "endDate"),
                    role=f.get(v.SCHEMA + "roleName"),
                )

    def _subject(self, subject: object, group: list[tuple[str, Any]]) -> Iterator[Entity]:
        if not isinstance(subject, ox.NamedNode):
            self.skipped += len(group)
            return
        iri = subject.value
        if iri == self.graph.value:
            return  # the load record: rewritten by whichever store loads the source
        if iri == self.source_iri:
            for pred, obj in group:
                if pred in _SOURCE_FIELDS:
                    self.source_fields.setdefault(_SOURCE_FIELDS[pred], obj.value)
            return
        if iri.startswith(self.relation_prefix):
            self._qualified_node(iri, group)
            return
        if not iri.startswith(self.entity_prefix):
            self._count_relations(group)
            self.skipped += len(group)
            return
        eid = sys.intern(iri[len(self.entity_prefix) :])
        kind: EntityKind | None = None
        fields: dict[str, list[Any]] = defaultdict(list)
        for pred, obj in group:
            rk = v.PROPERTY_RELATION.get(pred)
            if rk is not None:
                self.relation_counts[rk.value] += 1
                if isinstance(obj, ox.NamedNode) and obj.value.startswith(self.entity_prefix):
                    self._direct.append((eid, rk, sys.intern(obj.value[len(self.entity_prefix) :])))
                else:
                    self.skipped += 1
            elif pred == _RDF_TYPE and obj.value in v.CLASS_KIND:
                kind = kind or v.CLASS_KIND[obj.value]
            elif pred == _SAME and isinstance(obj, ox.NamedNode) and obj.value.startswith(self.entity_prefix):
                self.merges.append((eid, obj.value[len(self.entity_prefix) :]))
            elif pred in _ENTITY_FIELDS or pred in (_LABEL, _ALT, _SAME):
                fields[pred].append(obj)
            elif pred not in _DERIVED_ONLY:
                self.skipped += 1
        if kind is None:
            self.skipped += sum(len(objs) for objs in fields.values())
            return
        yield _entity(eid, kind, fields)

    def _qualified_node(self, iri: str, group: list[tuple[str, Any]]) -> None:
        f: dict[str, Any] = {}
        for pred, obj in group:
            f.setdefault(pred, obj.value)
        if f.get(_RDF_TYPE) != v.CKG + "Relation":
            self.skipped += len(group)
            return
        key = (f.get(v.RDF + "subject", ""), f.get(v.RDF + "predicate", ""), f.get(v.RDF + "object", ""))
        self._qualified[key].append((iri, f))

    def _count_relations(self, group: list[tuple[str, Any]]) -> None:
        for pred, _ in group:
            rk = v.PROPERTY_RELATION.get(pred)
            if rk is not None:
                self.relation_counts[rk.value] += 1


def _entity(eid: str, kind: EntityKind, f: dict[str, list[Any]]) -> Entity:
    """An entity from one graph's statements, read as the embedded store reads them."""
    label = ""
    labels: dict[tuple[str, str], None] = {}
    for o in f.get(_LABEL, []):
        lang = getattr(o, "language", None) or ""
        if lang == "en" and not label:
            label = o.value
        elif lang != "en" or o.value != label:
            labels[(lang or "und", o.value)] = None
    wikidata = next((o.value[len(v.WD) :] for o in f.get(_SAME, []) if o.value.startswith(v.WD)), None)

    def one(pred: str) -> str | None:
        objs = f.get(pred)
        return objs[0].value if objs else None

    lat, lon = one(v.SCHEMA + "latitude"), one(v.SCHEMA + "longitude")
    return Entity(
        id=eid,
        kind=kind,
        label=label,
        labels=tuple(k for k in labels if k != ("en", label)),
        aliases=tuple(dict.fromkeys(o.value for o in f.get(_ALT, []))),
        wikidata=wikidata,
        classification=one(v.CKG + "classification"),
        description=one(v.DCTERMS + "description"),
        date=one(v.DCTERMS + "date"),
        country=one(v.SCHEMA + "addressCountry"),
        lat=float(lat) if lat else None,
        lon=float(lon) if lon else None,
        provenance=Provenance(
            source=(one(_DERIVED) or "").rsplit("/", 1)[-1],
            loader="",
            locator=one(v.CKG + "locator"),
            quote=one(v.CKG + "quote"),
            status="extracted" if one(v.CKG + "status") == "extracted" else "curated",
        ),
    )


def reader_content(reader: GraphReader, source: Source, triples: int) -> Content:
    """A :class:`Content` whose counts the reader fills in as it goes."""
    content = Content(source=source, entities=(), relations=(), triples=triples)

    def entities() -> Iterator[Entity]:
        yield from reader.entities()
        content.quads = reader.quads
        content.relation_counts = dict(reader.relation_counts)
        content.merges = reader.merges
        content.skipped = reader.skipped

    content.entities = entities()
    content.relations = reader.relations(source.loader)
    return content


def batch_content(batch: Batch) -> Content:
    """A model batch as content (duplicate relations, which share an id, written once)."""
    triples, quads = batch_quads(batch, v.base_iri())
    relations = list({r.id: r for r in reversed(batch.relations)}.values())[::-1]
    counts = Counter(kind.value for _, kind, _ in {(r.subject, r.kind, r.object) for r in batch.relations})
    return Content(
        source=batch.source,
        entities=batch.entities,
        relations=relations,
        triples=triples,
        quads=quads,
        relation_counts=dict(counts),
        merges=list(batch.merges),
    )


def rdf_file_content(batch: Batch) -> Content:
    """An RDF file's batch as content, read through an in-memory Oxigraph store (as the
    embedded store would hold it: one graph, the file's graph names dropped)."""
    path = Path(batch.rdf_path or "")
    fmt = ox.RdfFormat.from_media_type(batch.rdf_format or "")
    if fmt is None:
        raise LoadError(str(path), f"unsupported RDF format {batch.rdf_format}")
    base = v.base_iri()
    memory = ox.Store()
    graph = ox.NamedNode(v.graph_iri(batch.source.id, base))
    count = 0
    try:
        for t in ox.parse(path=str(path), format=fmt):
            triple = t.triple if isinstance(t, ox.Quad) else t
            memory.add(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
            count += 1
    except SyntaxError as exc:
        raise LoadError(str(path), " ".join(str(exc).split()), line=getattr(exc, "lineno", None)) from None
    if count == 0:
        raise LoadError(str(path), "no RDF triples in the file")
    lines = "".join(t + " .\n" for t in m.source_triples(batch.source, base))
    memory.load(lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    quads = len(memory) + 5  # and the five statements of the load record
    reader = GraphReader(memory, batch.source.id, base)
    content = reader_content(reader, batch.source, count)
    content.quads = quads
    original = content.entities

    def entities() -> Iterator[Entity]:
        yield from original
        content.quads = quads

    content.entities = entities()
    return content


T = TypeVar("T")


def _prefetch(items: Iterable[T], chunk: int = 2000, depth: int = 8) -> Iterator[list[T]]:
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
    neo: Neo4jStore,
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
            shared.update(neo.write_entities(kind, graph, rows))
            written.entities += len(rows)
            if progress:
                progress("entities", len(rows))

    def flush_relations(kind: RelationKind) -> None:
        rows = pending.pop(kind, [])
        if rows:
            neo.write_relations(kind, graph, loader, rows, create=create)
            written.relations += len(rows)
            if progress:
                progress("relations", len(rows))

    for chunk in _prefetch(content.entities):
        for e in chunk:
            pending[e.kind].append(e)
            if len(pending[e.kind]) >= batch_size:
                flush_entities(e.kind)
    for ek in list(EntityKind):
        flush_entities(ek)
    for rchunk in _prefetch(content.relations):
        for r in rchunk:
            rows = pending[r.kind]
            rows.append(relation_row(r, graph, loader))
            if len(rows) >= batch_size:
                flush_relations(r.kind)
    for rk in list(RelationKind):
        flush_relations(rk)
    neo.refresh_merged(shared)
    return written


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


def graph_totals(kg: Any, source_id: str) -> tuple[int, int]:
    """(entities, direct relation statements) in a source's graph, counted by Oxigraph (for progress)."""
    g = v.graph_iri(source_id, kg.base)
    kinds = " ".join(f"<{c}>" for c in v.CLASS_KIND)
    props = " ".join(f"<{p}>" for p in v.PROPERTY_RELATION)
    store = kg.oxigraph()
    entities = next(
        iter(store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{g}> {{ ?e a ?c VALUES ?c {{ {kinds} }} }} }}"))
    )
    relations = next(
        iter(store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{g}> {{ ?s ?p ?o VALUES ?p {{ {props} }} }} }}"))
    )
    return int(entities["n"].value), int(relations["n"].value)


def push(
    kg: Any,
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
    through: see :meth:`Neo4jStore.begin_source`. ``prune`` removes sources Neo4j has and the
    embedded store does not (only when pushing everything).
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
        state = neo.begin_source(info.id, key)
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
        neo.finish_source(
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
            )
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

_PULL_RELATIONS = """
MATCH (a)-[r:{type}]->(b) WHERE r.graph = $graph AND r.rid IS NOT NULL
RETURN a.id AS s, b.id AS o, r.source AS source, r.loader AS loader, r.locator AS locator, r.quote AS quote,
       r.confidence AS confidence, r.status AS status, r.start AS start, r.end AS end, r.role AS role
"""


def pulled_batch(neo: Neo4jStore, source_id: str) -> Batch:
    """One complete source from Neo4j as the model batch it was made of."""
    import json

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
    relations = []
    for kind, rel_type in REL_TYPE.items():
        for r in neo._stream(_PULL_RELATIONS.format(type=rel_type), graph=source_id):
            relations.append(
                Relation(
                    subject=r["s"],
                    kind=kind,
                    object=r["o"],
                    provenance=Provenance(
                        source=r["source"] or source_id,
                        loader=r["loader"] or source.loader,
                        locator=r["locator"],
                        quote=r["quote"],
                        confidence=float(r["confidence"] if r["confidence"] is not None else 1.0),
                        status="extracted" if r["status"] == "extracted" else "curated",
                    ),
                    start=r["start"],
                    end=r["end"],
                    role=r["role"],
                )
            )
    merges = list(zip(p.get("mergeAliases") or [], p.get("mergeTargets") or [], strict=True))
    digest = p.get("digest") or ""
    return Batch(source, entities, relations, merges, digest="" if digest == "none" else digest)


def pull(neo: Neo4jStore, kg: Any, *, sources: list[str] | None = None) -> list[SyncReport]:
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
