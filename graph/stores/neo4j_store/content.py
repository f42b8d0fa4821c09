"""One source's records as Neo4j writes take them: from a model batch, an RDF file or a named graph.

Push reads each source's named graph straight from Oxigraph in one sweep (:class:`GraphReader`;
the embedded store's ``entities()``/``relations()`` look entities up one by one, far too slow at
a million) and turns its statements into records with the shared RDF mapping, exactly as the
embedded store reads them.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.errors import LoadError, syntax_error
from climatekg.graph.model import Batch, Entity, EntityKind, Relation, RelationKind, Source
from climatekg.graph.rdf_mapping import Term
from climatekg.graph.stores.replace import LOAD_RECORD_QUADS

#: Predicates of an entity's statements the model reads (its relations and type aside).
_ENTITY_PREDICATES = {*m.ENTITY_FIELDS.values(), m.LABEL, m.ALT_LABEL, m.SAME_AS, m.DERIVED_FROM}
_SOURCE_FIELD = {predicate: name for name, predicate in m.SOURCE_FIELDS.items()}
_LOCATOR = m.ENTITY_FIELDS["locator"]


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
        # a source that cites its plain relations at their subjects: (source id, loader), and
        # then the locator of every subject, read as the entities are swept
        self._cited = m.source_citing_subjects(store, self.graph)
        self._locators: dict[str, str] = {}
        self._qualified: dict[tuple[str, str, str], list[tuple[str, dict[str, Term]]]] = defaultdict(list)

    def entities(self) -> Iterator[Entity]:
        """Every entity the graph describes (this graph's statements only)."""
        subject: Term | None = None
        group: list[tuple[str, Term]] = []
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
                if self._cited is not None:
                    source, by = self._cited
                    yield m.plain_relation(s_id, kind, o_id, source, by, locator=self._locators.get(s_id))
                else:
                    yield m.plain_relation(s_id, kind, o_id, self.source_id, loader)
                continue
            for _, node in sorted(nodes, key=lambda n: n[0]):
                yield m.relation_from_rdf(s_id, kind, o_id, node)

    def _subject(self, subject: Term | None, group: list[tuple[str, Term]]) -> Iterator[Entity]:
        if not isinstance(subject, ox.NamedNode):
            self.skipped += len(group)
            return
        iri = subject.value
        if iri == self.graph.value:
            return  # the load record: rewritten by whichever store loads the source
        if iri == self.source_iri:
            for pred, obj in group:
                if pred in _SOURCE_FIELD:
                    self.source_fields.setdefault(_SOURCE_FIELD[pred], m.value(obj))
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
        objects: dict[str, list[Term]] = defaultdict(list)
        for pred, obj in group:
            rk = v.PROPERTY_RELATION.get(pred)
            if rk is not None:
                self.relation_counts[rk.value] += 1
                if isinstance(obj, ox.NamedNode) and obj.value.startswith(self.entity_prefix):
                    self._direct.append((eid, rk, sys.intern(obj.value[len(self.entity_prefix) :])))
                else:
                    self.skipped += 1
            elif pred == m.TYPE and m.value(obj) in v.CLASS_KIND:
                kind = kind or v.CLASS_KIND[m.value(obj)]
            elif (
                pred == m.SAME_AS
                and isinstance(obj, ox.NamedNode)
                and obj.value.startswith(self.entity_prefix)
            ):
                self.merges.append((eid, obj.value[len(self.entity_prefix) :]))
            elif pred in _ENTITY_PREDICATES:
                objects[pred].append(obj)
            elif pred != m.NAME_KEY:  # name keys are recomputed from the names, never copied
                self.skipped += 1
        if self._cited is not None and _LOCATOR in objects:
            self._locators[eid] = m.value(objects[_LOCATOR][0])
        if kind is None:
            self.skipped += sum(len(objs) for objs in objects.values())
            return
        yield m.entity_from_rdf(eid, kind, objects)

    def _qualified_node(self, iri: str, group: list[tuple[str, Term]]) -> None:
        node: dict[str, Term] = {}
        for pred, obj in group:
            node.setdefault(pred, obj)
        if m.value(node.get(m.TYPE)) != m.RELATION_CLASS:
            self.skipped += len(group)
            return
        key = (
            m.value(node.get(m.QUALIFIES_SUBJECT)),
            m.value(node.get(m.QUALIFIES_PREDICATE)),
            m.value(node.get(m.QUALIFIES_OBJECT)),
        )
        self._qualified[key].append((iri, node))

    def _count_relations(self, group: list[tuple[str, Term]]) -> None:
        for pred, _ in group:
            rk = v.PROPERTY_RELATION.get(pred)
            if rk is not None:
                self.relation_counts[rk.value] += 1


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


def batch_quads(batch: Batch, base: str) -> tuple[int, int]:
    """(statements written, distinct quads stored) for a batch, as the embedded store counts them."""
    lines = list(m.batch_ntriples(batch, base))
    return len(lines), len(set(lines)) + LOAD_RECORD_QUADS


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
        raise syntax_error(str(path), exc) from None
    if count == 0:
        raise LoadError(str(path), "no RDF triples in the file")
    lines = "".join(t + " .\n" for t in m.source_triples(batch.source, base))
    memory.load(lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    quads = len(memory) + LOAD_RECORD_QUADS
    reader = GraphReader(memory, batch.source.id, base)
    content = reader_content(reader, batch.source, count)
    content.quads = quads
    original = content.entities

    def entities() -> Iterator[Entity]:
        yield from original
        content.quads = quads

    content.entities = entities()
    return content
