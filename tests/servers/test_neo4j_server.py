"""Smoke tests for the Neo4j test server: it starts, speaks Bolt, stores data and checks passwords."""

import neo4j
import pytest

from servers.neo4j_server import Neo4jServer

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def open_server():
    with Neo4jServer() as server:
        yield server


@pytest.fixture(scope="module")
def secured_server():
    with Neo4jServer(password="s3cret-test-pw") as server:
        yield server


def test_auth_off_runs_cypher_and_stores_nodes(open_server):
    assert open_server.uri.startswith("bolt://127.0.0.1:")
    with neo4j.GraphDatabase.driver(open_server.uri, auth=None) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
        driver.execute_query("CREATE (:City {name: $name, population: $pop})", name="Lyon", pop=522_000)
        records, _, _ = driver.execute_query("MATCH (c:City {name: 'Lyon'}) RETURN c.population AS pop")
        assert [r["pop"] for r in records] == [522_000]


def test_auth_on_accepts_only_the_right_password(secured_server):
    assert secured_server.auth
    with neo4j.GraphDatabase.driver(secured_server.uri, auth=("neo4j", "s3cret-test-pw")) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        assert records[0]["one"] == 1
    with (
        neo4j.GraphDatabase.driver(secured_server.uri, auth=("neo4j", "wrong-password")) as driver,
        pytest.raises(neo4j.exceptions.AuthError),
    ):
        driver.verify_connectivity()


def test_survives_a_crash_and_recovers_committed_data():
    with Neo4jServer() as server:
        with server.driver() as driver:
            driver.execute_query("CREATE (:Technology {name: 'heat pump'})")
        server.kill()
        with server.driver() as driver, pytest.raises(neo4j.exceptions.ServiceUnavailable):
            driver.verify_connectivity()
        server.start()  # same port and store: Neo4j recovers from its transaction log
        with server.driver() as driver:
            records, _, _ = driver.execute_query("MATCH (t:Technology) RETURN t.name AS name")
        assert [r["name"] for r in records] == ["heat pump"]


def test_short_password_is_refused_before_starting_java():
    with pytest.raises(ValueError, match="at least 8"):
        Neo4jServer(password="short")
