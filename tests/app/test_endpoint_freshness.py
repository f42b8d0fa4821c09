"""The endpoint serves committed data: a ``climatekg load`` while it runs is seen by every worker,
and ``/health`` and ``X-Data-Version`` name the version that answered."""

from __future__ import annotations

from pathlib import Path

from conftest import load_bundled
from helpers import run_cli
from starlette.testclient import TestClient

from climatekg.app.sparql.server import create_app
from climatekg.graph.stores import open_store
from climatekg.graph.stores.embedded import EmbeddedStore

FRESH = ["Fresh Harbour", "Fresh Valley", "Fresh Ridge"]
COUNT = (
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l "
    'FILTER(STRSTARTS(STR(?l), "Fresh ")) }'
)


def _fresh_source(path: Path) -> Path:
    lines = ['source: {id: fresh-cities, title: "cities loaded while the endpoint runs"}', "entities:"]
    lines += [f'  - {{kind: City, label: "{name}"}}' for name in FRESH]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count(client: TestClient) -> tuple[int, str]:
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"]), r.headers["X-Data-Version"]


def test_a_load_while_serving_is_seen_by_every_worker_with_one_version(tmp_path):
    home = tmp_path / "home"
    load_bundled(EmbeddedStore(home)).close()
    kg = open_store(str(home), read_only=True)
    with TestClient(create_app(kg, timeout=30, max_results=1000, max_concurrent=2)) as client:
        before = client.get("/health").json()
        assert [_count(client) for _ in range(4)] == [(0, before["data_version"])] * 4

        run_cli("load", str(_fresh_source(tmp_path / "fresh.yaml")), home=home, check=True)
        fresh = open_store(str(home), read_only=True)  # a second reader, opened after the load
        version, triples = fresh.version(), len(fresh.oxigraph())  # type: ignore[attr-defined]
        assert version != before["data_version"] and triples > before["triples"]

        # more requests than workers, so each worker answers at least once
        answers = [_count(client) for _ in range(6)]
        health = [client.get("/health") for _ in range(3)]
    assert answers == [(len(FRESH), version)] * 6
    assert {(h.json()["data_version"], h.headers["X-Data-Version"], h.json()["triples"]) for h in health} == {
        (version, version, triples)
    }
