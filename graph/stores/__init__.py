"""The stores behind the ``Store`` protocol, one module or package each, and how to open one.

``embedded`` (an on-disk Oxigraph dataset, the default) and ``neo4j_store`` (a Neo4j server over
Bolt). :func:`open_store` picks one from a location: a Bolt URL, or a folder for the embedded store.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from climatekg.graph.store import RdfStore, Store
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.graph.stores.neo4j_store import Neo4jStore

if TYPE_CHECKING:
    # mypy proves here, at no run-time cost, that each store implements its protocol completely
    _embedded: type[RdfStore] = EmbeddedStore
    _neo4j: type[Store] = Neo4jStore

#: URL schemes the Neo4j driver speaks; any other location is an embedded store's folder.
NEO4J_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


def default_home() -> Path:
    """``CLIMATEKG_HOME`` or ``./.climatekg``."""
    return Path(os.environ.get("CLIMATEKG_HOME", ".climatekg"))


def open_store(location: str | None = None, *, home: Path | None = None, read_only: bool = False) -> Store:
    """Open the store at ``location`` (a ``bolt://``/``neo4j://`` URL) or the embedded one in ``home``.

    ``location`` defaults to ``CLIMATEKG_STORE``; without it the embedded store is used.
    """
    location = location or os.environ.get("CLIMATEKG_STORE") or ""
    scheme = location.split("://", 1)[0] if "://" in location else ""
    if scheme in NEO4J_SCHEMES:
        return Neo4jStore.connect(location)
    path = Path(location) if location and not scheme else (home or default_home())
    return EmbeddedStore(path, read_only=read_only)


__all__ = ["EmbeddedStore", "Neo4jStore", "default_home", "open_store"]
