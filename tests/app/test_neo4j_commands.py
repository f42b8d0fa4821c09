"""``climatekg neo4j push`` and ``pull`` as a user runs them: round trip, idempotency, JSON,
credentials from the environment or the config file, and one-line errors that never show the password."""

from __future__ import annotations

import json
import time

import pytest
from helpers import run_cli
from neo4j_fixtures import PASSWORD, clean_database, embedded_quads

pytestmark = pytest.mark.neo4j


@pytest.fixture
def server(neo4j_server, neo4j_kg):
    """The session server with an empty database."""
    return neo4j_server


def _env(server, **extra: str) -> dict[str, str]:
    return {"NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password, "NEO4J_URI": server.uri, **extra}


def test_push_then_pull_round_trips_and_a_second_push_changes_nothing(server, tmp_path):
    from climatekg.graph.stores.embedded import EmbeddedStore

    first, second = tmp_path / "first", tmp_path / "second"
    run_cli("load", "--bundled", home=first, check=True)
    pushed = run_cli("neo4j", "push", home=first, env=_env(server), check=True)
    assert "pushed iclei-shenzhen-mou-cop21" in pushed.stdout
    again = run_cli("neo4j", "push", "--json", home=first, env=_env(server), check=True)
    assert {r["action"] for r in json.loads(again.stdout)} == {"unchanged"}
    pulled = run_cli("neo4j", "pull", "--url", server.uri, home=second, env=_env(server), check=True)
    assert "pulled climatekg-technology-scheme" in pulled.stdout
    a, b = EmbeddedStore(first, read_only=True), EmbeddedStore(second, read_only=True)
    assert embedded_quads(a) == embedded_quads(b)
    on_neo4j = json.loads(
        run_cli("--store", server.uri, "stats", "--json", env=_env(server), check=True).stdout
    )
    assert on_neo4j == {**a.stats(), "store": "neo4j"}


def test_push_of_some_sources_and_an_unknown_one(server, tmp_path):
    run_cli("load", "--bundled", home=tmp_path, check=True)
    done = run_cli(
        "neo4j", "push", "--source", "climatekg-technology-scheme", home=tmp_path, env=_env(server)
    )
    assert done.returncode == 0 and done.stdout.count("pushed") == 1
    bad = run_cli("neo4j", "push", "--source", "nope", home=tmp_path, env=_env(server))
    assert bad.returncode == 1 and "no source 'nope'" in bad.stderr


def test_credentials_from_the_config_file(server, tmp_path):
    config = tmp_path / "config" / "climatekg" / "neo4j.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'user = "neo4j"\npassword = "{PASSWORD}"\n')
    run_cli("load", "--bundled", home=tmp_path / "kg", check=True)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "NEO4J_URI": server.uri}
    done = run_cli("neo4j", "push", home=tmp_path / "kg", env=env)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("case", ["wrong password", "server down"])
def test_errors_are_one_line_fast_and_never_show_the_password(server, tmp_path, case):
    from servers.neo4j_server import free_port

    run_cli("load", "--bundled", home=tmp_path, check=True)
    secret = "Sup3r-secret-pw-not-right"
    uri = server.uri if case == "wrong password" else f"bolt://127.0.0.1:{free_port()}"
    env = {**_env(server), "NEO4J_PASSWORD": secret, "NEO4J_URI": uri}
    started = time.monotonic()
    done = run_cli("neo4j", "push", home=tmp_path, env=env)
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert elapsed < 10  # the connection gives up within 5 s; the rest is starting Python
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in done.stderr
    assert secret not in done.stderr + done.stdout and PASSWORD not in done.stderr + done.stdout
    assert ("refused the login" if case == "wrong password" else "cannot reach Neo4j") in lines[0]


def test_no_server_named(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("CLIMATEKG_STORE", raising=False)
    done = run_cli("neo4j", "pull", home=tmp_path)
    assert done.returncode == 1 and "no Neo4j server named" in done.stderr


def test_a_pull_never_merges_an_incomplete_source(server, neo4j_kg, tmp_path):
    run_cli("load", "--bundled", home=tmp_path / "a", check=True)
    run_cli("neo4j", "push", home=tmp_path / "a", env=_env(server), check=True)
    neo4j_kg._query(
        "MATCH (s:Source {id: 'iclei-shenzhen-mou-cop21'}) SET s.pending = 'x' REMOVE s.digest", write=True
    )
    done = run_cli("neo4j", "pull", home=tmp_path / "b", env=_env(server))
    assert "pulled climatekg-technology-scheme" in done.stdout
    assert "incomplete iclei-shenzhen-mou-cop21" in done.stdout
    named = run_cli(
        "neo4j", "pull", "--source", "iclei-shenzhen-mou-cop21", home=tmp_path / "c", env=_env(server)
    )
    assert named.returncode == 1 and "push it again" in named.stderr
    clean_database(neo4j_kg)


QUESTIONS = [
    ("path", "Shenzhen", "Angie Fyfe", "--k", "3"),
    ("neighbours", "CCUCC", "--hops", "2"),
    ("gaps", "--kind", "partners", "--for", "Shenzhen", "--top", "5"),
    ("gaps", "--kind", "coverage", "--within", "CCUCC"),
    ("gaps", "--kind", "cohort", "--within", "CCUCC"),
    ("centrality", "--measure", "degree", "--top", "10"),
]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: " ".join(q[:3]))
def test_questions_with_a_neo4j_store_answer_like_the_embedded_store(server, tmp_path, question):
    home = tmp_path / "home"
    run_cli("load", "--bundled", home=home, check=True)
    run_cli("neo4j", "push", "--url", server.uri, home=home, env=_env(server), check=True)
    embedded = run_cli(*question, "--json", home=home, check=True)
    on_server = run_cli("--store", server.uri, *question, "--json", env=_env(server), check=True)
    assert _unordered_edges(json.loads(on_server.stdout)) == _unordered_edges(json.loads(embedded.stdout))


def _unordered_edges(answer):
    """A neighbourhood's edges are a set (nodes stay ordered, nearest first)."""
    if isinstance(answer, dict) and "edges" in answer:
        answer["edges"] = sorted(answer["edges"], key=lambda e: json.dumps(e, sort_keys=True))
    return answer


def test_questions_with_a_neo4j_store_run_on_the_server(server, tmp_path):
    """Betweenness needs the whole graph: on Neo4j it is refused, which shows the question went there."""
    home = tmp_path / "home"
    run_cli("load", "--bundled", home=home, check=True)
    run_cli("neo4j", "push", "--url", server.uri, home=home, env=_env(server), check=True)
    embedded = run_cli("centrality", "--measure", "betweenness", "--json", home=home, check=True)
    assert json.loads(embedded.stdout)["entities"]  # answered on the embedded store
    data = tmp_path / "data"  # where the Neo4j store keeps its side files (caches, review memory)
    env = _env(server, XDG_DATA_HOME=str(data))
    refused = run_cli("--store", server.uri, "centrality", "--measure", "betweenness", env=env)
    assert refused.returncode != 0 and "not supported on a Neo4j store" in refused.stderr
    run_cli("--store", server.uri, "path", "Shenzhen", "ICLEI", "--json", env=env, check=True)
    # nothing pulled the graph to the client to build a projection
    assert not list(data.rglob("projection-*"))


def test_an_rdf_export_from_neo4j_says_to_pull_first(server, tmp_path):
    proc = run_cli(
        "--store", server.uri, "export", "-f", "ttl", "-o", str(tmp_path / "x.ttl"), env=_env(server)
    )
    assert proc.returncode != 0 and "climatekg neo4j pull" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.ttl").exists()
