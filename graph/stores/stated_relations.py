"""The embedded store's relations read back: direct triples, their qualified nodes, their sources.

Every direct triple is a relation; its qualified node (if any) adds dates, role and evidence,
and its named graph says which source it came from and when it was loaded. A plain relation of
a source marked ``ckg:plainRelationsCiteSubject`` (a wide membership table) is stated where its
subject is: its locator is its subject's locator in the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import Relation, RelationKind
from climatekg.graph.rdf_mapping import Term
from climatekg.graph.store import SourceInfo

_TYPE, _RELATION = ox.NamedNode(m.TYPE), ox.NamedNode(m.RELATION_CLASS)
_ENDS = {"subject": ox.NamedNode(m.QUALIFIES_SUBJECT), "object": ox.NamedNode(m.QUALIFIES_OBJECT)}
_LOCATOR = ox.NamedNode(m.ENTITY_FIELDS["locator"])
RELATION_PROPS = [ox.NamedNode(p) for p in v.PROPERTY_RELATION]


def stated_relations(
    store: ox.Store, base: str, sources: Mapping[str, SourceInfo], entity_id: str | None = None
) -> Iterator[Relation]:
    """Relations with provenance: all, or those with ``entity_id`` at either end.

    ``sources`` gives each loaded source's loader and load time.
    """
    if entity_id is None:
        quads: list[ox.Quad] = [
            q for prop in RELATION_PROPS for q in store.quads_for_pattern(None, prop, None)
        ]
        node_quads: Iterable[ox.Quad] = store.quads_for_pattern(None, _TYPE, _RELATION)
    else:
        node = ox.NamedNode(v.entity_iri(entity_id, base))
        quads = [
            q
            for pattern in ((node, None, None), (None, None, node))
            for q in store.quads_for_pattern(*pattern)
            if m.value(q.predicate) in v.PROPERTY_RELATION
        ]
        node_quads = (n for end in _ENDS.values() for n in store.quads_for_pattern(None, end, node))
    nodes = _qualified_nodes(store, node_quads)
    cited = _SubjectCitations(store, whole=entity_id is None)
    seen: set[tuple[str, str, str, str]] = set()
    for q in quads:
        key = (m.value(q.subject), m.value(q.predicate), m.value(q.object), m.value(q.graph_name))
        s_id, o_id = term_entity_id(q.subject, base), term_entity_id(q.object, base)
        if key in seen or s_id is None or o_id is None:
            continue
        seen.add(key)
        kind = RelationKind(v.PROPERTY_RELATION[q.predicate.value])
        source = sources.get(m.source_id(q.graph_name))
        loaded_at = source.loaded_at if source else None
        if key not in nodes:  # a plain relation: its provenance is its named graph
            at = cited.source(q.graph_name)
            if at is not None:
                locator = cited.locator(q.subject, q.graph_name)
                yield m.plain_relation(s_id, kind, o_id, at[0], at[1], loaded_at, locator)
            else:
                loader = source.loader if source else ""
                yield m.plain_relation(s_id, kind, o_id, m.source_id(q.graph_name), loader, loaded_at)
            continue
        for _, fields in sorted(nodes[key], key=lambda found: found[0]):
            s, o = (
                term_entity_id(fields.get(m.QUALIFIES_SUBJECT), base),
                term_entity_id(fields.get(m.QUALIFIES_OBJECT), base),
            )
            if s is not None and o is not None:
                yield m.relation_from_rdf(s, kind, o, fields, loaded_at)


def term_entity_id(term: Term | None, base: str) -> str | None:
    """The entity id of an IRI term under ``base``; None for any other term."""
    return v.iri_entity_id(term.value, base) if isinstance(term, ox.NamedNode) else None


def _qualified_nodes(
    store: ox.Store, node_quads: Iterable[ox.Quad]
) -> dict[tuple[str, str, str, str], list[tuple[str, dict[str, Term]]]]:
    """Each qualified node read once, by the direct triple (and graph) it qualifies: its
    statements (first object per predicate) give both that triple and the relation's fields."""
    nodes: dict[tuple[str, str, str, str], list[tuple[str, dict[str, Term]]]] = {}
    for n, graph in {(n.subject, n.graph_name) for n in node_quads}:
        fields: dict[str, Term] = {}
        for q in store.quads_for_pattern(n, None, None, graph):
            fields.setdefault(q.predicate.value, q.object)
        key = (
            m.value(fields.get(m.QUALIFIES_SUBJECT)),
            m.value(fields.get(m.QUALIFIES_PREDICATE)),
            m.value(fields.get(m.QUALIFIES_OBJECT)),
            m.value(graph),
        )
        nodes.setdefault(key, []).append((m.value(n), fields))
    return nodes


class _SubjectCitations:
    """Per graph: which source cites its plain relations at their subjects, and those locators.

    With ``whole`` (every relation of the store is read) a marked graph's locators are read in
    one sweep; otherwise each subject's is looked up once.
    """

    def __init__(self, store: ox.Store, *, whole: bool) -> None:
        self.store, self.whole = store, whole
        self._sources: dict[Term, tuple[str, str] | None] = {}
        self._locators: dict[Term, dict[str, str]] = {}
        self._one: dict[tuple[Term, ox.NamedNode], str | None] = {}

    def source(self, graph: Term) -> tuple[str, str] | None:
        """(source id, loader) of the graph's marked source, None when it has none."""
        if graph not in self._sources:
            cited = None
            if isinstance(graph, ox.NamedNode):
                cited = m.source_citing_subjects(self.store, graph)
            self._sources[graph] = cited
        return self._sources[graph]

    def locator(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple, graph: Term) -> str | None:
        """The subject's locator in the graph."""
        if not isinstance(graph, ox.NamedNode):
            return None
        if self.whole:
            if graph not in self._locators:
                self._locators[graph] = m.subject_locators(self.store, graph)
            return self._locators[graph].get(m.value(subject))
        key = (subject, graph)
        if key not in self._one:
            found = self.store.quads_for_pattern(subject, _LOCATOR, None, graph)
            self._one[key] = next((m.literal(q.object) for q in found), None)
        return self._one[key]
