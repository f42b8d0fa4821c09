"""The one small interface every store implements, and how to open one.

Stores: ``embedded`` (an on-disk Oxigraph dataset, the default) and ``neo4j`` (Bolt).
A literal dict maps URL schemes to implementations; no string registries of module paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import Batch, Entity, EntityKind, Relation

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib


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
    base: str  # the IRI base entity ids are published under

    @property
    def location(self) -> str:
        """What ``open_store`` takes to open this same store again (another process, read-only)."""
        ...

    def side_path(self, name: str) -> Path:
        """A file kept beside the store's data (review memory, caches); its folder exists."""
        ...

    def load(self, batch: Batch) -> LoadReport:
        """Replace one source's facts with ``batch``, all or nothing; equal input → no change."""
        ...

    def remove_source(self, source_id: str) -> None:
        """Delete one source and every fact it stated."""
        ...

    def wipe(self) -> None:
        """Delete everything the store holds."""
        ...

    def kind_of(self, entity_id: str) -> EntityKind | None:
        """The kind of one entity, or None when it is unknown."""
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


@runtime_checkable
class RdfStore(Store, Protocol):
    """A store that holds RDF itself and answers SPARQL: only the embedded store does."""

    def oxigraph(self) -> ox.Store:
        """The underlying Oxigraph dataset, for SPARQL and RDF serialisation."""
        ...

    def dump_ntriples(self) -> bytes:
        """Every triple of the union graph as N-Triples."""
        ...

    def rdflib_dataset(self) -> rdflib.Dataset:
        """rdflib's API over the same data."""
        ...


def rdf_store(kg: Store, needed_for: str) -> RdfStore:
    """``kg`` as an :class:`RdfStore`, or one clear error naming what needed it.

    The single place that asks whether a store can do what only the embedded store can.
    """
    if isinstance(kg, RdfStore):
        return kg
    raise ClimateKGError(
        f"{needed_for} needs the embedded store (this is {kg.kind}); "
        "use --home, or `climatekg neo4j pull` into an embedded store first"
    )


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
