"""The one small interface every store implements, and the records stores hand back.

``Store`` is what every caller is typed with; ``RdfStore`` is what only the embedded store can
do (SPARQL, raw RDF), asked for in one place: :func:`rdf_store` (a need, one clear error) or
:func:`as_rdf_store` (a faster path when there is one). The stores themselves live under
``climatekg.graph.stores``, which also opens them (``open_store``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
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

    def committed_version(self) -> str:
        """A token for what is committed on disk now; it changes with every commit."""
        ...

    def load_set(self) -> AbstractContextManager[None]:
        """Loads that commit together, all or none, also when the process is killed."""
        ...


def as_rdf_store(kg: Store) -> RdfStore | None:
    """``kg`` as an :class:`RdfStore` when it is one, else None: for code with a faster path on RDF.

    The single place that asks whether a store can do what only the embedded store can.
    """
    return kg if isinstance(kg, RdfStore) else None


def rdf_store(kg: Store, needed_for: str) -> RdfStore:
    """``kg`` as an :class:`RdfStore`, or one clear error naming what needed it."""
    rdf = as_rdf_store(kg)
    if rdf is not None:
        return rdf
    raise ClimateKGError(
        f"{needed_for} needs the embedded store (this is {kg.kind}); "
        "use --home, or `climatekg neo4j pull` into an embedded store first"
    )


def sources_version(sources: Iterable[SourceInfo]) -> str:
    """A hash of every source's digest, load time and size: what ``Store.version`` returns."""
    h = hashlib.sha1()
    for s in sources:
        h.update(f"{s.id}|{s.digest}|{s.loaded_at}|{s.triples}\n".encode())
    return h.hexdigest()[:16]


def timestamp() -> str:
    """Now, in UTC to the second: when a store records a source as loaded or written."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
