"""Small builders shared by the text-loader tests."""

from __future__ import annotations

from climatekg.graph.model import Entity, EntityKind, Provenance

_PROV = Provenance(source="test-gazetteer", loader="curated")


def entity(entity_id: str, kind: EntityKind, label: str, aliases: tuple[str, ...] = ()) -> Entity:
    """A known entity for a test gazetteer."""
    return Entity(entity_id, kind, label, _PROV, aliases=aliases)
