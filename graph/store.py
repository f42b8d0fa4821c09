"""The one small interface every store implements, and how to open one.

Stores: ``embedded`` (an on-disk Oxigraph dataset, the default) and ``neo4j`` (Bolt).
A literal dict maps URL schemes to implementations; no string registries of module paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from climatekg.graph.model import Batch, Entity, EntityKind, Relation


@dataclass(frozen=True)
class SourceInfo:
    """A source as stored: its id, title, loader, load time and counts."""

    id: str
    title: str
    loader: str
    loaded_at: str
    digest: str
    triples: int


@dataclass(frozen=True)
class LoadReport:
    """What a load did: ``changed`` is False when the same input was already loaded."""

    source: str
    changed: bool
    entities: int
    relations: int
    triples: int


class Store(Protocol):
    """What queries and the CLI need from a store. Both stores give the same answers."""

    kind: str  # "embedded" or "neo4j"

    def load(self, batch: Batch) -> LoadReport:
        """Replace one source's facts with ``batch``, all or nothing; equal input → no change."""
        ...

    def sources(self) -> list[SourceInfo]:
        """Every loaded source."""
        ...

    def entity(self, entity_id: str) -> Entity | None:
        """One entity, with labels and aliases merged over all sources."""
        ...

    def entities(self, kind: EntityKind | None = None) -> Iterator[Entity]:
        """All entities (of one kind)."""
        ...

    def relations(self, entity_id: str | None = None) -> Iterator[Relation]:
        """All relations with their provenance, or those touching one entity."""
        ...

    def find(self, name: str) -> list[str]:
        """Ids of entities whose id, label, alias, other-language label or Wikidata id is ``name``."""
        ...

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Ids of entities with a name containing ``text`` (case-insensitive), best first."""
        ...

    def stats(self) -> dict[str, object]:
        """Counts by kind, relation kind and source."""
        ...

    def version(self) -> str:
        """Changes whenever the stored data changes (keys caches such as the projection)."""
        ...

    def close(self) -> None:
        """Release files or connections."""
        ...


def default_home() -> Path:
    """``CLIMATEKG_HOME`` or ``./.climatekg``."""
    return Path(os.environ.get("CLIMATEKG_HOME", ".climatekg"))


def open_store(location: str | None = None, *, home: Path | None = None, read_only: bool = False) -> Store:
    """Open the store at ``location`` (a ``bolt://``/``neo4j://`` URL) or the embedded one in ``home``.

    ``location`` defaults to ``CLIMATEKG_STORE``; without it the embedded store is used.
    """
    location = location or os.environ.get("CLIMATEKG_STORE") or ""
    scheme = location.split("://", 1)[0] if "://" in location else ""
    if scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):
        from climatekg.graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(location)
    from climatekg.graph.embedded_store import EmbeddedStore

    path = Path(location) if location and not scheme else (home or default_home())
    return EmbeddedStore(path, read_only=read_only)
