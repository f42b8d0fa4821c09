"""The shared Neo4j test server (one per session, auth on) and a clean database per test.

Registered as a plugin by tests/conftest.py (``pytest_plugins = ["neo4j_fixtures"]``). Tests
that use these fixtures are marked ``neo4j``; without java and mvn they are skipped (a failure
under CI=true, see conftest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

#: The session server's password: tests check it never leaks into output.
PASSWORD = "ckg-test-Secret-4711"


def _need_java() -> None:
    if not (shutil.which("java") and shutil.which("mvn")):
        pytest.fail("the Neo4j test server needs java and mvn (make system-deps says how to get them)")


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Any]:
    """One real Neo4j 5.26 for the whole session, auth on (user neo4j, ``PASSWORD``)."""
    _need_java()
    from servers.neo4j_server import Neo4jServer

    with Neo4jServer(password=PASSWORD) as server:
        yield server


@pytest.fixture
def neo4j_env(neo4j_server: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Credentials in the environment, as a user would set them (also returned for subprocesses)."""
    env = {"NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return env


def clean_database(store: Any) -> None:
    """Drop every node, relationship, constraint and index (but the built-in lookup indexes)."""
    store.wipe()
    for row in store.run_read("SHOW CONSTRAINTS YIELD name RETURN name"):
        store._auto(f"DROP CONSTRAINT `{row['name']}` IF EXISTS")
    for row in store.run_read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        store._auto(f"DROP INDEX `{row['name']}` IF EXISTS")
    store._schema_ready = False


def connect(server: Any) -> Any:
    """A Neo4jStore on ``server`` with its credentials."""
    from climatekg.graph.stores.neo4j_store import Credentials, Neo4jStore

    return Neo4jStore.connect(server.uri, credentials=Credentials(server.user, server.password))


@pytest.fixture
def neo4j_kg(neo4j_server: Any, neo4j_env: dict[str, str]) -> Iterator[Any]:
    """A Neo4jStore on an empty database."""
    store = connect(neo4j_server)
    clean_database(store)
    yield store
    store.close()


_VOLATILE = {"writtenAt"}  # when a source was written: differs between two equal pushes


def graph_dump(store: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every node (labels, properties) and relationship (type, ends, properties), canonically
    sorted: equal dumps mean equal graphs. Small graphs only (tests)."""
    nodes = sorted(
        (
            tuple(sorted(r["labels"])),
            tuple(sorted((k, repr(v)) for k, v in r["props"].items() if k not in _VOLATILE)),
        )
        for r in store.run_read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    )
    rels = sorted(
        (r["type"], r["a"], r["b"], tuple(sorted((k, repr(v)) for k, v in r["props"].items())))
        for r in store.run_read(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props"
        )
    )
    return nodes, rels


def embedded_quads(kg: Any) -> list[str]:
    """Every quad of an embedded store but the load times, sorted (what a round trip keeps)."""
    return sorted(
        str(q)
        for q in kg.oxigraph().quads_for_pattern(None, None, None, None)
        if not q.predicate.value.endswith("generatedAtTime")
    )
