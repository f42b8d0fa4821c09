"""The merges recorded into an entity: which record's id joined it, stated by which source.

A loader that joins a record to an existing entity writes ``<record id> owl:sameAs <entity>``
in its source's graph (``loaders/identity.py``), with ``ckg:mergeEvidence``: which record, and
why it joined (same Wikidata id; same name and country).
"""

from __future__ import annotations

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.rdf_mapping import MERGE_EVIDENCE, SAME_AS, literal, source_id
from climatekg.graph.store import Store, rdf_store


def merges_into(kg: Store, entity_id: str) -> list[dict[str, str]]:
    """Each record id merged into ``entity_id``, with the source that did it and why, sorted."""
    ox_store = rdf_store(kg, "listing merges").oxigraph()
    target = ox.NamedNode(v.entity_iri(entity_id, kg.base))
    rows = set()
    for quad in ox_store.quads_for_pattern(None, ox.NamedNode(SAME_AS), target, None):
        alias = (
            v.iri_entity_id(quad.subject.value, kg.base) if isinstance(quad.subject, ox.NamedNode) else None
        )
        if alias and alias != entity_id:
            why = ox_store.quads_for_pattern(
                quad.subject, ox.NamedNode(MERGE_EVIDENCE), None, quad.graph_name
            )
            evidence = "; ".join(sorted(literal(q.object) for q in why))
            rows.add((alias, source_id(quad.graph_name), evidence))
    return [{"record": a, "source": s, "evidence": e} for a, s, e in sorted(rows)]
