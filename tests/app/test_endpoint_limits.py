"""The endpoint's limits: body size, nesting depth, inspection off the event loop, FROM, headers."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from conftest import load_bundled
from helpers import serve_app
from starlette.testclient import TestClient

from climatekg.app.sparql.safety import MAX_DEPTH
from climatekg.app.sparql.server import MAX_BODY_BYTES, SECURITY_HEADERS, create_app
from climatekg.app.sparql.workers import MAX_RESULT_BYTES
from climatekg.graph.stores.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[TestClient, object]]:
    kg = load_bundled(EmbeddedStore(tmp_path_factory.mktemp("limits")))
    app = create_app(kg, timeout=30, max_results=1000, max_concurrent=2)
    with TestClient(app, follow_redirects=False) as client:
        yield client, kg
    kg.close()


def test_a_body_over_the_limit_gets_413_before_it_is_read(served):
    client, _ = served
    body = b"SELECT * { ?s ?p ?o } #" + b"x" * MAX_BODY_BYTES
    r = client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "limit" in r.text


def test_a_streamed_body_without_a_length_is_cut_at_the_limit(served):
    client, _ = served

    def chunks() -> Iterator[bytes]:
        yield b"SELECT * { ?s ?p ?o } #"
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    r = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 20_000])
def test_deep_nesting_gets_a_400_and_the_workers_live_on(served, depth):
    client, _ = served
    r = client.post(
        "/sparql",
        content="SELECT * { " + "(" * depth + " }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400 and "nests brackets" in r.text and r.text.count("\n") == 1
    ok = client.get(
        "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_nesting_up_to_the_limit_still_runs(served):
    client, _ = served
    text = "SELECT (" + "(" * (MAX_DEPTH - 2) + "1" + ")" * (MAX_DEPTH - 2) + " AS ?x) {}"
    r = client.get("/sparql", params={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text


def test_every_response_carries_the_security_headers_and_the_data_version(served):
    client, kg = served
    for path in ("/health", "/", "/sparql?query=ASK%7B%7D", "/no-such-page"):
        r = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert r.headers[name] == value, (path, name)
        assert r.headers["X-Data-Version"] == kg.version()
    assert client.get("/health").json()["data_version"] == kg.version()


def test_from_and_from_named_choose_the_dataset(served):
    client, kg = served
    graphs = sorted(g.value for g in kg.oxigraph().named_graphs() if g.value.startswith(kg.base + "graph/"))
    assert len(graphs) >= 2
    g = graphs[0]
    # expected: counted by pattern matching on that one graph, not through SPARQL
    in_g = sum(1 for _ in kg.oxigraph().quads_for_pattern(None, None, None, ox.NamedNode(g)))
    everywhere = sum(
        1 for g2 in graphs for _ in kg.oxigraph().quads_for_pattern(None, None, None, ox.NamedNode(g2))
    )
    accept = {"Accept": "application/sparql-results+json"}

    def count(template: str, graph: str = g) -> int:
        # the graph IRI enters the query as a term written by Oxigraph, not pasted text
        query = template.replace("<G>", str(ox.NamedNode(graph)))
        r = client.get("/sparql", params={"query": query}, headers=accept)
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    assert count("SELECT (COUNT(*) AS ?n) FROM <G> WHERE { ?s ?p ?o }") == in_g
    assert count("SELECT (COUNT(*) AS ?n) FROM NAMED <G> WHERE { GRAPH ?g { ?s ?p ?o } }") == in_g
    # only FROM NAMED: the default graph is empty (SPARQL 1.1 §13.2)
    assert count("SELECT (COUNT(*) AS ?n) FROM NAMED <G> WHERE { ?s ?p ?o }") == 0
    # no dataset clause: the union of every source graph, as before
    assert count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == everywhere
    # the protocol's default-graph-uri overrides the query's FROM (SPARQL 1.1 Protocol §2.1.4)
    r = client.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) FROM <G> WHERE { ?s ?p ?o }".replace(
                "<G>", str(ox.NamedNode(graphs[1]))
            ),
            "default-graph-uri": g,
        },
        headers=accept,
    )
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_g


def test_health_answers_while_a_huge_query_is_being_inspected(served):
    client, _ = served
    app = client.app
    huge = "SELECT * WHERE { " + " ".join(f"OPTIONAL {{ ?s{i} <http://e/p> ?o{i} }}" for i in range(4000))
    huge += " SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }"
    assert len(huge) > 169_000 // 2
    with serve_app(app) as base:
        answers: dict[str, int] = {}

        def post() -> None:
            r = httpx.post(
                base + "/sparql",
                content=huge,
                headers={"Content-Type": "application/sparql-query"},
                timeout=120,
            )
            answers["query"] = r.status_code

        poster = threading.Thread(target=post)
        poster.start()
        health = httpx.get(base + "/health", timeout=10)
        poster.join()
    assert health.status_code == 200
    assert answers["query"] in (400, 403)


def _big_strings(rows: int, doublings: int) -> str:
    """A query whose ``rows`` answers are each one string of 2**doublings characters, built by
    doubling in the query itself (nothing big is stored or sent)."""
    binds = ' BIND("x" AS ?s0)' + "".join(
        f" BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(doublings)
    )
    values = " ".join(str(i) for i in range(rows))
    return f"SELECT (?s{doublings} AS ?big) WHERE {{ VALUES ?i {{ {values} }}{binds} }}"


def test_a_result_over_the_byte_limit_is_refused_not_built(tmp_path):
    kg = load_bundled(EmbeddedStore(tmp_path / "home"))
    app = create_app(kg, timeout=60, max_results=10_000, max_concurrent=1)
    accept = {"Accept": "application/sparql-results+json"}
    with TestClient(app) as client:
        # 4,000 rows of 131,072 characters: 512 MiB if built; the row limit (10,000) is not what stops it
        r = client.get("/sparql", params={"query": _big_strings(4000, 17)}, headers=accept)
        assert r.status_code == 422 and f"over {MAX_RESULT_BYTES // 2**20} MiB" in r.text
        assert MAX_RESULT_BYTES < 4000 * 2**17
        # under the limit the same values come back whole
        r = client.get("/sparql", params={"query": _big_strings(100, 17)}, headers=accept)
        assert r.status_code == 200
        values = [b["big"]["value"] for b in r.json()["results"]["bindings"]]
        assert values == ["x" * 2**17] * 100
    kg.close()
