"""The merges recorded into an entity: which record's id joined it, stated by which source.

A loader that joins a record to an existing entity writes ``<record id> owl:sameAs <entity>``
in its source's graph (``loaders/identity.py``). The reason it joined (same Wikidata id, same
name and country) is in that load's summary, not in the store.
"""

from __future__ import annotations

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.rdf_mapping import SAME_AS, source_id
from climatekg.graph.store import Store, rdf_store


def merges_into(kg: Store, entity_id: str) -> list[dict[str, str]]:
    """Each record id that was merged into ``entity_id``, with the source that did it, sorted."""
    ox_store = rdf_store(kg, "listing merges").oxigraph()
    target = ox.NamedNode(v.entity_iri(entity_id, kg.base))
    rows = set()
    for quad in ox_store.quads_for_pattern(None, ox.NamedNode(SAME_AS), target, None):
        alias = (
            v.iri_entity_id(quad.subject.value, kg.base) if isinstance(quad.subject, ox.NamedNode) else None
        )
        if alias and alias != entity_id:
            rows.add((alias, source_id(quad.graph_name)))
    return [{"record": alias, "source": source} for alias, source in sorted(rows)]
