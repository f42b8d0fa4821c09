"""The W3C SPARQL 1.1 Protocol tests (tests/data/w3c-sparql11-tests/protocol/) against our endpoint.

The manifest encodes each test as HTTP requests (method, path, headers, body with its encoding)
and expected responses (status class, result format, ASK value). This runner replays each query
test as written. Our endpoint is read-only, so each *update* test is replayed too but must be
refused (any 4xx; the ``bad_update_*`` tests already expect a 4xx). The graphs the tests name
(``ut:graphData``) are loaded as named graphs of a fresh store before the server starts.

``test_summary`` prints the pass/fail counts per kind (``pytest -s`` shows them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import W3C_PROTOCOL_TESTS
from helpers import serve_app
from rdflib.collection import Collection

from climatekg.app.sparql.server import create_app
from climatekg.graph.stores.embedded import EmbeddedStore

SUITE = W3C_PROTOCOL_TESTS
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


@dataclass
class Step:
    """One request of a protocol test and what its response must look like."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx" …
    fmt: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    """A manifest entry: its name, whether it is an update test, its requests and graph data."""

    id: str
    name: str
    update: bool
    steps: list[Step] = field(default_factory=list)
    graphs: dict[str, Path] = field(default_factory=dict)


def load_manifest() -> list[ProtocolTest]:
    """Every test of the manifest, in manifest order."""
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        local = str(entry).rsplit("#", 1)[-1]
        t = ProtocolTest(
            id=local,
            name=str(g.value(entry, MF.name)),
            update=local.startswith(("update_", "bad_update_")),
        )
        for gd in g.objects(entry, UT.graphData):
            t.graphs[str(g.value(gd, rdflib.RDFS.label))] = SUITE / Path(str(g.value(gd, UT.graph))).name
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hlist = g.value(req, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = None
            b = g.value(req, HT.body)
            if b is not None:
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode(encoding)
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            t.steps.append(
                Step(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={str(s)[len(HTS) :].lower() for s in g.objects(resp, MF.expectedStatus)},
                    fmt=str(g.value(resp, MF.expectedFormat)) if g.value(resp, MF.expectedFormat) else None,
                    boolean=None if boolean is None else bool(boolean.toPython()),
                )
            )
        tests.append(t)
    return tests


TESTS = load_manifest() if (SUITE / "manifest.ttl").exists() else []
RESULTS: dict[str, tuple[bool, bool, str]] = {}  # id -> (is update, passed, why)


def _ask_value(r: httpx.Response) -> bool | None:
    ctype = r.headers.get("content-type", "")
    if ctype.startswith("application/sparql-results+json"):
        return json.loads(r.text).get("boolean")
    if ctype.startswith("application/sparql-results+xml"):
        return "<boolean>true</boolean>" in r.text
    return None


def check_query_step(step: Step, r: httpx.Response) -> str | None:
    """Why a query response fails its expectation, or None when it passes."""
    status_class = f"{r.status_code // 100}xx"
    if status_class not in step.statuses:
        return f"status {r.status_code}, expected {sorted(step.statuses)}: {r.text[:200]}"
    if r.status_code >= 400:
        return None
    ctype = r.headers.get("content-type", "").split(";")[0].strip()
    wanted = {"boolean": BOOLEAN_TYPES, "tabular": TABULAR_TYPES, "RDF": RDF_TYPES}.get(step.fmt or "", ())
    if step.fmt and ctype not in wanted:
        return f"content type {ctype} is not {step.fmt}"
    if step.fmt == "RDF":
        fmt = ox.RdfFormat.from_media_type(ctype)
        list(ox.parse(r.content, format=fmt))  # must parse
    if step.boolean is not None and _ask_value(r) is not step.boolean:
        return f"ASK answered {_ask_value(r)}, expected {step.boolean}"
    return None


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Our endpoint over a store holding every graph the tests name, on a free loopback port."""
    kg = EmbeddedStore(tmp_path_factory.mktemp("w3c-protocol"))
    graphs = {name: path for t in TESTS for name, path in t.graphs.items()}
    for name, path in graphs.items():
        kg.oxigraph().load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    kg.oxigraph().flush()
    try:
        with serve_app(create_app(kg, timeout=10, max_results=10_000, max_concurrent=2)) as base:
            yield base
    finally:
        kg.close()


def run_protocol_test(base: str, t: ProtocolTest) -> str | None:
    """Replay one manifest test; returns why it failed, or None."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for i, step in enumerate(t.steps):
            # the manifest's paths start with /sparql/, which the endpoint serves as it is
            r = client.request(step.method, step.path, headers=step.headers, content=step.body)
            if t.update and i == 0:
                # read-only: the first request (the update) must be refused; nothing else runs
                if not 400 <= r.status_code < 500:
                    return f"update not refused: {r.status_code} {r.text[:200]}"
                return None
            why = check_query_step(step, r)
            if why:
                return f"request {i + 1}: {why}"
    return None


@pytest.mark.parametrize("t", TESTS, ids=[t.id for t in TESTS])
def test_protocol(endpoint: str, t: ProtocolTest) -> None:
    why = run_protocol_test(endpoint, t)
    RESULTS[t.id] = (t.update, why is None, why or "")
    assert why is None, f"{t.id} ({t.name}): {why}"


def test_summary(endpoint: str) -> None:
    """Run every test (again, if needed) and print the pass/fail counts; all must pass."""
    for t in TESTS:
        if t.id not in RESULTS:
            why = run_protocol_test(endpoint, t)
            RESULTS[t.id] = (t.update, why is None, why or "")
    query = [ok for upd, ok, _ in RESULTS.values() if not upd]
    update = [ok for upd, ok, _ in RESULTS.values() if upd]
    print(
        f"\nW3C SPARQL 1.1 protocol suite: query tests {sum(query)}/{len(query)} passed; "
        f"update tests refused as required {sum(update)}/{len(update)}"
    )
    for tid, (_, ok, why) in sorted(RESULTS.items()):
        if not ok:
            print(f"  FAIL {tid}: {why}")
    assert len(TESTS) == 34
    assert all(query) and all(update)
