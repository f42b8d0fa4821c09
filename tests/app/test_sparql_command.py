"""``climatekg sparql`` and ``climatekg serve`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from helpers import run_cli


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("sparql-cli") / "home"
    run_cli("load", "--bundled", home=home, check=True)
    return home


LABELS = "SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l"


def test_json_output_with_a_bound_entity(loaded: Path) -> None:
    proc = run_cli("sparql", "--query", LABELS.replace("?l WHERE", "?e ?l WHERE"), "--bind", "e=city/shenzhen",
                   "--format", "json", home=loaded, check=True)  # fmt: skip
    doc = json.loads(proc.stdout)
    labels = {b["l"]["value"] for b in doc["results"]["bindings"]}
    assert {"Shenzhen", "深圳"} <= labels
    assert {b["e"]["value"] for b in doc["results"]["bindings"]} == {
        "https://w3id.org/climatekg/id/city/shenzhen"
    }


def test_csv_output_and_query_file(loaded: Path, tmp_path: Path) -> None:
    q = tmp_path / "cities.rq"
    q.write_text(
        "SELECT ?e ?l WHERE { ?e a ckg:City ; rdfs:label ?l FILTER(LANG(?l) = 'en') }", encoding="utf-8"
    )
    proc = run_cli("sparql", str(q), "--format", "csv", home=loaded, check=True)
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == ["e", "l"]
    assert ["https://w3id.org/climatekg/id/city/shenzhen", "Shenzhen"] in rows[1:]


def test_table_output(loaded: Path) -> None:
    proc = run_cli("sparql", "-q", "ASK { ?s a ckg:City }", home=loaded, check=True)
    assert proc.stdout.strip() == "true"


def test_construct_prints_turtle(loaded: Path) -> None:
    proc = run_cli("sparql", "-q", "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a ckg:City ; rdfs:label ?l }",
                   home=loaded, check=True)  # fmt: skip
    assert "@prefix rdfs:" in proc.stdout and '"深圳"@zh' in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-q", "SELECT * {"], "syntax error"),
        (["-q", "CLEAR ALL"], "read-only"),
        (["-q", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
        (["no-such-file.rq"], "no query file"),
        (["-q", "ASK {}", "--format", "xml"], "unknown format"),
        (["-q", "SELECT ?e { ?e ?p ?o }", "--bind", "oops"], "name=value"),
        (["-q", "SELECT * {" + "(" * 20_000 + "}"], "nests brackets more than 64 deep"),
    ],
)
def test_errors_are_one_line(loaded: Path, args: list[str], message: str) -> None:
    proc = run_cli("sparql", *args, home=loaded)
    assert proc.returncode != 0
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert proc.returncode > 0  # an error exit, not a signal (the nested query used to segfault)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_and_stops(loaded: Path) -> None:
    port = _free_port()
    cmd = [sys.executable, "-m", "climatekg.app", "--home", str(loaded), "serve", "--port", str(port),
           "--max-concurrent", "1", "--timeout", "5", "--explorer-url", "https://explore.example/"]  # fmt: skip
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.1)
        assert health["store"] == "embedded" and health["triples"] > 0
        r = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s a ckg:City }".replace(
            "ckg:", "<https://w3id.org/climatekg/ontology#>").replace("#>City", "#City>")})  # fmt: skip
        assert r.status_code == 200 and r.json()["boolean"] is True
        r = httpx.get(f"http://127.0.0.1:{port}/id/city/shenzhen", headers={"Accept": "text/html"})
        assert (
            r.status_code == 303 and r.headers["location"] == "https://explore.example/?entity=city/shenzhen"
        )
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    # SIGTERM stops it in order (the lifespan stops the workers), then the signal ends the process
    assert server.returncode == -signal.SIGTERM, stderr
    assert "Application shutdown complete" in stderr and "Traceback" not in stderr
