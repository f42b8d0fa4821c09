"""What committing an import would change: a batch compared with what the store holds for its source."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.model import Batch
from climatekg.graph.store import RdfStore, Store, as_rdf_store


@dataclass
class Preview:
    """What committing a batch would change for its source."""

    source: str
    replaces: bool  # the source is already stored (its facts are replaced)
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    entities_kept: int = 0
    relations_added: list[str] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    relations_kept: int = 0
    triples_new: int | None = None  # RDF files: triples in the file
    triples_stored: int | None = None
    unchanged: bool = False  # the same input is already loaded

    def summary(self) -> dict[str, int | str | bool | None]:
        """Counts only (for a table)."""
        return {
            "source": self.source,
            "replaces stored source": self.replaces,
            "entities added": len(self.entities_added),
            "entities removed": len(self.entities_removed),
            "entities kept": self.entities_kept,
            "relations added": len(self.relations_added),
            "relations removed": len(self.relations_removed),
            "relations kept": self.relations_kept,
        }


def _relation_key(subject: str, kind: str, obj: str) -> str:
    return f"{subject} {kind} {obj}"


def stored_source_facts(kg: Store, source_id: str) -> tuple[set[str], set[str]]:
    """Entity ids and relation keys (``s kind o``) that one stored source states.

    A store that holds RDF answers from the source's named graph alone; any other store is
    asked for every entity and relation through the ``Store`` interface (slower, same answer).
    """
    rdf = as_rdf_store(kg)  # not a capability the preview needs, only a faster way
    if rdf is not None:
        return _named_graph_facts(rdf, source_id)
    ents = {e.id for e in kg.entities() if e.provenance.source == source_id}
    rels = {
        _relation_key(r.subject, r.kind.value, r.object)
        for r in kg.relations()
        if r.provenance.source == source_id
    }
    return ents, rels


def _named_graph_facts(kg: RdfStore, source_id: str) -> tuple[set[str], set[str]]:
    store = kg.oxigraph()
    graph = ox.NamedNode(v.graph_iri(source_id, kg.base))
    entities: set[str] = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(v.RDF + "type"), None, graph):
        if (
            isinstance(q.object, ox.NamedNode)
            and q.object.value in v.CLASS_KIND
            and isinstance(q.subject, ox.NamedNode)
        ):
            eid = v.iri_entity_id(q.subject.value, kg.base)
            if eid:
                entities.add(eid)
    relations: set[str] = set()
    for prop, kind in v.PROPERTY_RELATION.items():
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, graph):
            if not (isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)):
                continue
            s, o = v.iri_entity_id(q.subject.value, kg.base), v.iri_entity_id(q.object.value, kg.base)
            if s and o:
                relations.add(_relation_key(s, kind.value, o))
    return entities, relations


def preview_batch(kg: Store, batch: Batch) -> Preview:
    """Compare a validated batch with what the store holds for the same source."""
    sid = batch.source.id
    stored = {s.id: s for s in kg.sources()}
    info = stored.get(sid)
    preview = Preview(source=sid, replaces=info is not None)
    if info is not None and batch.digest and info.digest == batch.digest:
        preview.unchanged = True
    if batch.rdf_path:
        fmt = ox.RdfFormat.from_media_type(batch.rdf_format or "")
        preview.triples_new = sum(1 for _ in ox.parse(path=batch.rdf_path, format=fmt)) if fmt else None
        preview.triples_stored = info.triples if info else 0
        return preview
    old_entities, old_relations = stored_source_facts(kg, sid) if info else (set(), set())
    new_entities = {e.id for e in batch.entities}
    new_relations = {_relation_key(r.subject, r.kind.value, r.object) for r in batch.relations}
    preview.entities_added = sorted(new_entities - old_entities)
    preview.entities_removed = sorted(old_entities - new_entities)
    preview.entities_kept = len(new_entities & old_entities)
    preview.relations_added = sorted(new_relations - old_relations)
    preview.relations_removed = sorted(old_relations - new_relations)
    preview.relations_kept = len(new_relations & old_relations)
    return preview
