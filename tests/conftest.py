"""Shared fixtures: fresh stores, the bundled data, a loopback-only network.

Nothing is skipped: a missing server, browser or JVM fails the tests that need it, with how to
get it (``make test`` installs them all).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from climatekg.data import bundled_files
from climatekg.graph.store import Store
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.curated import load_curated
from climatekg.loaders.twin_cities import load_twin_cities

pytest_plugins = ["neo4j_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# Third-party data copied into the repository with its licence (a clone alone passes the tests).
TWIN_CITIES = ROOT / "data" / "twin-cities-wikipedia" / "twin_cities_raw.csv"
TWIN_CITIES_GEO = ROOT / "data" / "twin-cities-wikipedia" / "twin_cities_geocoded.csv"
ORG_ONTOLOGY = DATA / "w3c-org-ontology"
W3C_PROTOCOL_TESTS = DATA / "w3c-sparql11-tests" / "protocol"
CORPUS = ROOT / "data" / "iclei-shenzhen-mou-cop21.txt"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    """Tests may talk to servers on this machine only; anything else is a test failure."""
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = str(address[0])
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise ConnectionRefusedError(f"tests may not connect to {host}: only loopback is allowed")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty store directory."""
    return tmp_path / "home"


S = TypeVar("S", bound=Store)


def load_bundled(store: S) -> S:
    """Load the bundled data (the technology scheme, then the press release's facts) into ``store``."""
    for path in bundled_files():
        store.load(load_curated(path, store=store))
    return store


@pytest.fixture
def kg(home: Path) -> Iterator[EmbeddedStore]:
    """A fresh embedded store."""
    store = EmbeddedStore(home)
    yield store
    store.close()


@pytest.fixture
def bundled_kg(kg: EmbeddedStore) -> EmbeddedStore:
    """A fresh embedded store with the bundled data loaded."""
    return load_bundled(kg)


@pytest.fixture(scope="session")
def doctest_kg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The bundled data, read-only: the ``kg`` that docstring examples use."""
    home = tmp_path_factory.mktemp("doctest-kg")
    load_bundled(EmbeddedStore(home)).close()
    store = EmbeddedStore(home, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def twin_kg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """One store per test session with the bundled data and the twin-cities network (read only)."""
    store = load_bundled(EmbeddedStore(tmp_path_factory.mktemp("twin")))
    store.load(load_twin_cities(TWIN_CITIES_GEO, store=store))
    yield store
    store.close()
