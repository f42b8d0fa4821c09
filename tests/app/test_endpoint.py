"""The SPARQL endpoint: formats, refusals, limits, dereferencing, CORS, real clients.

Most tests talk to the app in process (Starlette's ``TestClient``, which runs its lifespan and so
its worker processes); the real clients (SPARQLWrapper) and the concurrency test use a real
loopback socket (``helpers.serve_app``). The twin-cities store (bundled data plus 26k Wikipedia
rows) gives queries that are really heavy when the limits need testing.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from helpers import serve_app
from servers.jena_tools import riot_validate
from SPARQLWrapper import SPARQLWrapper
from starlette.testclient import TestClient

from climatekg.app.sparql.server import create_app
from climatekg.graph import vocab as v

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }"  # a cross product: hours on twin-cities


@pytest.fixture(scope="module")
def client(twin_kg) -> Iterator[TestClient]:
    """The endpoint over the twin-cities store, generous limits, in process (redirects not followed)."""
    app = create_app(twin_kg, timeout=30, max_results=100_000, max_concurrent=2)
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="module")
def url(twin_kg) -> Iterator[str]:
    """The same endpoint on a real loopback socket, for real clients."""
    with serve_app(create_app(twin_kg, timeout=30, max_results=100_000, max_concurrent=2)) as base:
        yield base


def _accented_city(kg) -> tuple[str, str]:
    """A twin city with a non-ASCII label (id, label)."""
    rows: Any = kg.oxigraph().query(
        f"SELECT ?e ?l WHERE {{ GRAPH ?g {{ ?e a <{v.CKG}City> ; <{RDFS_LABEL}> ?l }} "
        "FILTER(REGEX(?l, '[éèüöçñ]')) } ORDER BY ?e LIMIT 1"
    )
    row = next(iter(rows))
    return v.iri_entity_id(row["e"].value, kg.base) or "", row["l"].value


# ---- query forms and formats ------------------------------------------------------------------

# Technologies have labels in several languages (en, zh …); no ORDER BY: sorting all labels costs seconds.
SELECT = f"SELECT ?s ?l WHERE {{ ?s a <{v.CKG}Technology> ; <{RDFS_LABEL}> ?l }}"


def _direct_rows(kg, query: str) -> set[tuple[str, ...]]:
    rows: Any = kg.oxigraph().query(query, use_default_graph_as_union=True)
    return {tuple(str(t) for t in row) for row in rows}


@pytest.mark.parametrize(
    "accept",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values"],
)
def test_select_in_each_format_matches_the_store(client, twin_kg, accept: str) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(accept)
    fmt = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }[accept]
    parsed: Any = ox.parse_query_results(r.content, format=fmt)
    got = {tuple(str(t) for t in row) for row in parsed}
    assert got == _direct_rows(twin_kg, SELECT)
    assert len(got) > 10


def test_select_csv_has_plain_values(client, twin_kg) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["s", "l"]
    expected: Any = twin_kg.oxigraph().query(SELECT, use_default_graph_as_union=True)
    assert {tuple(r) for r in rows[1:]} == {(row["s"].value, row["l"].value) for row in expected}
    assert "\r\n" in r.text  # the CSV spec's line ends


def test_ask_json_and_xml(client) -> None:
    q = "ASK { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200 and r.json() == {"head": {}, "boolean": True}
    r = client.post("/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and "<boolean>true</boolean>" in r.text


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_in_each_rdf_format(client, twin_kg, accept: str, fmt: ox.RdfFormat) -> None:
    q = f"CONSTRUCT {{ ?s <{RDFS_LABEL}> ?l }} WHERE {{ ?s a <{v.CKG}Technology> ; <{RDFS_LABEL}> ?l }}"
    r = client.post(
        "/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query", "Accept": accept}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(accept)
    got = {str(q.triple) for q in ox.parse(r.content, format=fmt)}
    direct: Any = twin_kg.oxigraph().query(q, use_default_graph_as_union=True)
    assert got == {str(t) for t in direct}


def test_describe_defaults_to_turtle(client, twin_kg) -> None:
    eid, _ = _accented_city(twin_kg)
    r = client.get("/sparql", params={"query": f"DESCRIBE <{v.entity_iri(eid, twin_kg.base)}>"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) > 3


def test_unproducible_formats_get_406(client) -> None:
    assert (
        client.get("/sparql", params={"query": "SELECT * {}"}, headers={"Accept": "image/png"}).status_code
        == 406
    )
    # CSV and TSV are defined for SELECT only; RDF syntaxes for graphs only
    assert (
        client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"}).status_code == 406
    )
    r = client.get("/sparql", params={"query": "CONSTRUCT {} WHERE {}"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "text/turtle" in r.text


def test_dataset_parameters_pick_graphs_of_the_store(client, twin_kg) -> None:
    g = v.graph_iri("twin-cities-wikipedia", twin_kg.base)
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{v.CKG}Technology> }}"
    r1 = client.get("/sparql", params={"query": q, "default-graph-uri": g})
    r2 = client.get("/sparql", params={"query": q})
    assert r1.status_code == r2.status_code == 200, (r1.text, r2.text)
    only_twin, everything = r1.json(), r2.json()
    assert only_twin["results"]["bindings"][0]["n"]["value"] == "0"
    assert int(everything["results"]["bindings"][0]["n"]["value"]) > 0
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q, "named-graph-uri": g}).json()
    assert [b["g"]["value"] for b in r["results"]["bindings"]] == [g]


def test_service_description_without_query(client) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = {str(q.triple) for q in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    endpoint = f"<{str(client.base_url).rstrip('/')}/sparql>"
    assert f"{endpoint} <{v.RDF}type> <http://www.w3.org/ns/sparql-service-description#Service>" in g
    assert any("UnionDefaultGraph" in t for t in g)


def test_health(client, twin_kg) -> None:
    r = client.get("/health").json()
    assert r["store"] == "embedded"
    assert r["triples"] == len(twin_kg.oxigraph())


# ---- refusals ---------------------------------------------------------------------------------


def test_updates_are_refused_every_way(client, twin_kg) -> None:
    before = len(twin_kg.oxigraph())
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    responses = [
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", data={"update": update}),
        client.post(
            "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}
        ),
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-query"}),
    ]
    for r in responses:
        assert r.status_code == 403, (r.status_code, r.text)
        assert "read-only" in r.text
    assert len(twin_kg.oxigraph()) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?x ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { service <http://example.org/sparql> { ?s ?p ?o } } } }",
        "ASK { FILTER EXISTS { SERVICE ?endpoint { ?s ?p ?o } } }",
        "PREFIX ex: <http://example.org/>\nCONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { SERVICE ex:x { ?s ?p ?o } } }",
    ],
)
def test_service_is_refused_wherever_it_hides(client, query: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 403 and "SERVICE" in r.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE { BIND('a SERVICE in a string' AS ?x) }",
        'SELECT ?x WHERE { BIND("""SERVICE <http://example.org/> { }""" AS ?x) }',
        "SELECT ?service WHERE { ?service <http://example.org/SERVICE> ?o } # SERVICE <http://x/>",
        "PREFIX service: <http://example.org/service/>\nSELECT * WHERE { ?s service:SERVICE ?o }",
    ],
)
def test_service_mentioned_outside_the_algebra_is_allowed(client, query: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text


def test_syntax_errors_are_400(client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE {"})
    assert r.status_code == 400 and "syntax" in r.text.lower()


# ---- limits -----------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a killed child that is not yet reaped is a zombie
        return f.read().split()[2] != "Z"


def test_time_limit_stops_the_query_and_its_worker(twin_kg) -> None:
    app = create_app(twin_kg, timeout=1.0, max_results=1000, max_concurrent=1, max_queued=4)
    with TestClient(app) as c:
        pool = app.state.endpoint.pool
        pids = {w.proc.pid for w in pool._all}
        t0 = time.monotonic()
        r = c.get("/sparql", params={"query": HEAVY})
        took = time.monotonic() - t0
        assert r.status_code == 503 and "time limit of 1 s" in r.text
        assert "Retry-After" not in r.headers  # retrying the same query will not help
        assert took < 5
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in pids), "the timed-out query's worker is still running"
        # a fresh worker answers the next query
        r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["boolean"] is True
        assert pool.killed == 1


def test_result_size_limit_is_an_error_not_a_truncation(twin_kg) -> None:
    app = create_app(twin_kg, timeout=30, max_results=100, max_concurrent=1)
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": f"SELECT ?s WHERE {{ ?s <{RDFS_LABEL}> ?l }}"})
        assert r.status_code == 422 and "more than 100 rows" in r.text and "LIMIT" in r.text
        r = c.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"})
        assert r.status_code == 422 and "more than 100 triples" in r.text
        r = c.get("/sparql", params={"query": f"SELECT ?s WHERE {{ ?s <{RDFS_LABEL}> ?l }} LIMIT 100"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 100


def test_concurrency_is_bounded(twin_kg) -> None:
    """One worker, one waiting place: the third concurrent request is turned away with Retry-After."""
    app = create_app(twin_kg, timeout=3, max_results=1000, max_concurrent=1, max_queued=1)

    async def scenario(base: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            heavy = asyncio.create_task(c.get("/sparql", params={"query": HEAVY}))
            await asyncio.sleep(0.5)  # the heavy query holds the only worker
            queued = asyncio.create_task(c.get("/sparql", params={"query": "ASK {}"}))
            await asyncio.sleep(0.3)  # ... and this one holds the only waiting place
            turned_away = await c.get("/sparql", params={"query": "ASK {}"})
            return [await heavy, await queued, turned_away]

    with serve_app(app) as base:
        heavy, queued, turned_away = asyncio.run(scenario(base))
    assert turned_away.status_code == 503 and turned_away.headers["Retry-After"] == "1"
    assert "busy" in turned_away.text
    assert heavy.status_code == 503 and "time limit" in heavy.text
    # the waiting request got the replacement worker once the heavy query was stopped
    assert queued.status_code == 200 and queued.json()["boolean"] is True


# ---- CORS -------------------------------------------------------------------------------------


def test_cors_preflight_and_simple_requests(client) -> None:
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"].lower()
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"


# ---- dereferencing ----------------------------------------------------------------------------


def test_entity_dereferences_as_turtle_with_accents(client, twin_kg) -> None:
    eid, label = _accented_city(twin_kg)
    r = client.get(f"/id/{eid}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    triples = [q.triple for q in ox.parse(r.content, format=ox.RdfFormat.TURTLE)]
    me = ox.NamedNode(v.entity_iri(eid, twin_kg.base))
    assert ox.Triple(me, ox.NamedNode(RDFS_LABEL), ox.Literal(label, language="en")) in triples
    # its agreements point at it from the description too (party_to is outgoing here)
    assert any(t.subject == me and t.predicate.value == v.CKG + "partyTo" for t in triples)
    own = {str(q.triple) for q in twin_kg.oxigraph().quads_for_pattern(me, None, None)}
    assert own <= {str(t) for t in triples}


def test_entity_dereferences_as_json_ld(client, twin_kg) -> None:
    eid, label = _accented_city(twin_kg)
    r = client.get(f"/id/{eid}", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    json.loads(r.text)
    triples = [q.triple for q in ox.parse(r.content, format=ox.RdfFormat.JSON_LD)]
    assert any(isinstance(t.object, ox.Literal) and t.object.value == label for t in triples)


def test_entity_with_relation_nodes(client, bundled_ids) -> None:
    """An entity with dated relations gets their qualified nodes in its description."""
    eid = bundled_ids
    r = client.get(f"/id/{eid}", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert f"<{v.CKG}Relation>" in r.text


@pytest.fixture(scope="module")
def bundled_ids(twin_kg) -> str:
    """An entity that is the subject of a qualified relation node."""
    rows: Any = twin_kg.oxigraph().query(
        f"SELECT ?e WHERE {{ ?n a <{v.CKG}Relation> ; <{v.RDF}subject> ?e }} ORDER BY ?e LIMIT 1",
        use_default_graph_as_union=True,
    )
    return v.iri_entity_id(next(iter(rows))["e"].value, twin_kg.base) or ""


def test_browsers_are_sent_to_the_explorer(client, twin_kg) -> None:
    eid, _ = _accented_city(twin_kg)
    r = client.get(f"/id/{eid}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 303
    assert r.headers["location"] == f"http://127.0.0.1:8501/?entity={eid}"


def test_explorer_url_is_configurable(twin_kg) -> None:
    app = create_app(twin_kg, max_concurrent=1, explorer_url="https://explore.example/")
    with TestClient(app) as c:
        r = c.get("/id/org/iclei", headers={"Accept": "text/html"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "https://explore.example/?entity=org/iclei"


@pytest.mark.parametrize("path", ["/id/city/no-such-city", "/id/nokind/x", "/id/city"])
def test_unknown_entities_are_404(client, path: str) -> None:
    for accept in ("text/turtle", "text/html"):
        assert client.get(path, headers={"Accept": accept}).status_code == 404


def test_void_names_the_endpoint(client) -> None:
    r = client.get("/void")
    assert r.status_code == 200
    text = {str(q.triple) for q in ox.parse(r.content, format=ox.RdfFormat.TURTLE)}
    assert any(f"<{v.VOID}sparqlEndpoint>" in t and "/sparql>" in t for t in text)


# ---- a real client ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(url: str, twin_kg, fmt: str, method: str) -> None:
    sw = SPARQLWrapper(f"{url}/sparql")
    sw.setQuery(SELECT)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    result = sw.query().convert()
    expected = {(s.value, label.value) for s, label in _direct_terms(twin_kg, SELECT)}
    if fmt == "json":
        got = {(b["s"]["value"], b["l"]["value"]) for b in result["results"]["bindings"]}
    elif fmt == "xml":
        got = set()
        for res in result.getElementsByTagName("result"):
            values = [b.firstChild.firstChild.nodeValue for b in res.getElementsByTagName("binding")]
            got.add(tuple(values))
    elif fmt == "csv":
        got = {tuple(r) for r in list(csv.reader(io.StringIO(result.decode())))[1:]}
    else:
        parsed: Any = ox.parse_query_results(result, format=ox.QueryResultsFormat.TSV)
        got = {(row["s"].value, row["l"].value) for row in parsed}
    assert got == expected


def _direct_terms(kg, query: str) -> list[tuple[Any, ...]]:
    rows: Any = kg.oxigraph().query(query, use_default_graph_as_union=True)
    return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    ("fmt", "accept"),
    [
        ("turtle", None),
        ("n3", "application/n-triples"),  # SPARQLWrapper has no N-Triples setting: ask with a header
        ("json-ld", None),
        ("xml", None),  # RDF/XML for CONSTRUCT
    ],
)
def test_sparqlwrapper_construct(url: str, twin_kg, fmt: str, accept: str | None) -> None:
    q = f"CONSTRUCT {{ ?s <{RDFS_LABEL}> ?l }} WHERE {{ ?s a <{v.CKG}Technology> ; <{RDFS_LABEL}> ?l }}"
    sw = SPARQLWrapper(f"{url}/sparql")
    sw.setQuery(q)
    sw.setReturnFormat(fmt)
    if accept:
        sw.addCustomHttpHeader("Accept", accept)
    response = sw.query()
    if accept:
        assert response.response.headers["content-type"].startswith(accept)
    g = response.convert()
    if not isinstance(g, rdflib.Graph):  # SPARQLWrapper returns Turtle as bytes
        g = rdflib.Graph().parse(data=g, format="turtle")
    got = {(str(s), str(o)) for s, _, o in g}
    direct: Any = twin_kg.oxigraph().query(q, use_default_graph_as_union=True)
    assert got == {(t.subject.value, t.object.value) for t in direct}
    assert len(got) > 10


@pytest.mark.jena
def test_dereferenced_descriptions_pass_riot(client, twin_kg, tmp_path) -> None:
    eid, _ = _accented_city(twin_kg)
    for accept, ext in (
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdf"),
        ("application/n-triples", "nt"),
    ):
        path = tmp_path / f"entity.{ext}"
        path.write_bytes(client.get(f"/id/{eid}", headers={"Accept": accept}).content)
        res = riot_validate(path)
        assert res.ok, res.output
    path = tmp_path / "sd.ttl"
    path.write_bytes(client.get("/sparql").content)
    assert riot_validate(path).ok
