"""Apache Jena Fuseki, loaded with our Turtle dump, gives the same answers as our endpoint.

Both get the same query texts over HTTP; answers are compared as *sets* of rows after
normalising term forms (IRIs, literal value + datatype or language, blank nodes as one token).
Our default graph is the union of the source graphs and the Turtle dump is that union, so the
two datasets hold the same triples. (One known difference is deliberate: Oxigraph's union
default graph is a bag, so a triple stated by two sources is matched twice; set comparison and
COUNT(DISTINCT …) hide it, and the saved queries are written with it in mind.)

The saved queries (``queries/*.rq`` through ``saved_queries()``) run with the bindings below,
inlined as a VALUES block so both engines see plain SPARQL 1.1; a few queries of our own cover
accents, languages, aggregates, OPTIONAL, property paths, ASK and CONSTRUCT on the
twin-cities data; the saved queries run on the bundled data they are written for (on the
twin-cities network Jena 5.6.0's recursive path engine overflows its stack on reachability.rq
and Fuseki answers 500, while Oxigraph answers).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from conftest import load_bundled
from helpers import serve_app
from servers.jena_tools import FusekiServer

from climatekg.app.cli.sparql import binding_term
from climatekg.app.publish.exports import export
from climatekg.app.sparql.safety import _TOKEN, shape
from climatekg.app.sparql.server import create_app
from climatekg.graph import vocab as v
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.queries.sparql import saved_queries

pytestmark = [pytest.mark.jena, pytest.mark.slow]

P = "\n".join(f"PREFIX {k}: <{iri}>" for k, iri in v.PREFIXES.items()) + "\n"

OWN_QUERIES: dict[str, tuple[str, dict[str, str]]] = {
    "entities-by-class": (P + "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c", {}),
    "technology-labels-any-language": (
        P + "SELECT ?e ?l (LANG(?l) AS ?lang) WHERE { ?e a ckg:Technology ; rdfs:label ?l }",
        {},
    ),
    "sister-cities-of": (
        P
        + "SELECT DISTINCT ?other ?label WHERE { ?city ckg:partyTo ?a . ?other ckg:partyTo ?a ; rdfs:label ?label "
        "FILTER(?other != ?city) }",
        {"city": "city/berat-al"},
    ),
    "accented-labels": (
        P + 'SELECT ?e ?l WHERE { ?e a ckg:City ; rdfs:label ?l FILTER(STRSTARTS(?l, "Bé")) }',
        {},
    ),
    "countries-with-many-twins": (
        P
        + "SELECT ?country (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ckg:City ; schema:addressCountry ?country } "
        "GROUP BY ?country HAVING (COUNT(DISTINCT ?c) > 300)",
        {},
    ),
    "members-with-optional-dates": (
        P + "SELECT ?m ?org ?start WHERE { ?m org:memberOf ?org OPTIONAL { ?n rdf:subject ?m ; "
        "rdf:predicate org:memberOf ; rdf:object ?org ; schema:startDate ?start } }",
        {},
    ),
    "technology-ancestors": (
        P + "SELECT ?t ?up WHERE { ?t skos:broader+ ?up }",
        {},
    ),
    "ask-shenzhen-demonstrates": (P + "ASK { ?c a ckg:City ; ckg:demonstrates ?t }", {}),
    "construct-entity": (P + "CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }", {"e": "org/iclei"}),
}

#: Bindings for the saved queries, by query name (values: entity ids, <IRIs>, numbers or text).
SAVED_BINDINGS: dict[str, dict[str, str]] = {
    "cohort_gaps": {"initiative": "initiative/ccucc"},
    "cohort_gaps_by_role": {"initiative": "initiative/ccucc", "role": "first cohort"},
    "coverage": {"initiative": "initiative/ccucc"},
    "neighbours": {"entity": "org/iclei-usa"},
    "reachability": {"source": "org/iclei-usa", "target": "city/shenzhen"},
    "shared_context": {"a": "city/shenzhen", "b": "org/iclei"},
}


def _term(kg: Any, value: str) -> str:
    """A binding value as SPARQL term syntax (same rules as ``climatekg sparql --bind``)."""
    return str(binding_term(kg, value))


def bind_values(text: str, bindings: dict[str, str]) -> str:
    """Inline bindings the way pyoxigraph's substitutions mean them, in plain SPARQL 1.1.

    Inside the WHERE group each bound variable becomes its constant (so both engines can use
    their indexes, as a substitution would), and a VALUES block at the start of the group keeps
    the variable's value for the projection. The tokenizer skips strings, IRIs and comments.
    """
    if not bindings:
        return text
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(bindings.values())
    out: list[str] = []
    depth = 0
    state = "before"  # before the WHERE group, inside it, after it
    seen_where = seen_form = False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if state == "before":
            if m.lastgroup == "word":
                seen_where |= tok.upper() == "WHERE"
                seen_form |= tok.upper() in ("SELECT", "ASK")
            if tok == "{" and (seen_where or seen_form):
                state, depth = "inside", 1
                out.append(tok + f" VALUES ({names}) {{ ({values}) }} ")
                continue
        elif state == "inside":
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
                state = "after" if depth == 0 else state
            elif m.lastgroup == "var" and tok[1:] in bindings:
                tok = bindings[tok[1:]]
        out.append(tok)
    if state == "before":
        raise ValueError("no WHERE group to bind values in")
    return "".join(out)


def _norm(t: dict[str, Any] | None) -> tuple[str, ...]:
    if t is None:
        return ("unbound",)
    if t["type"] == "uri":
        return ("iri", t["value"])
    if t["type"] == "bnode":
        return ("bnode",)
    lang = t.get("xml:lang")
    if lang:
        return ("lit", t["value"], "@" + lang.lower())
    return ("lit", t["value"], t.get("datatype", v.XSD + "string"))


def answer(url: str, query: str, dataset: dict[str, list[str]] | None = None) -> Any:
    """A query's answer as a comparable value: a set of rows, a boolean or a set of triples.

    ``dataset`` holds the protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters.
    """
    data: dict[str, Any] = {"query": query, **(dataset or {})}
    if shape(query).form in ("CONSTRUCT", "DESCRIBE"):
        r = httpx.post(url, data=data, headers={"Accept": "application/n-triples"}, timeout=120)
        r.raise_for_status()
        return {
            tuple(
                "_:b" if isinstance(x, ox.BlankNode) else str(x) for x in (q.subject, q.predicate, q.object)
            )
            for q in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES)
        }
    r = httpx.post(url, data=data, headers={"Accept": "application/sparql-results+json"}, timeout=120)
    r.raise_for_status()
    doc = json.loads(r.text)
    if "boolean" in doc:
        return doc["boolean"]
    names = doc["head"]["vars"]
    return {tuple(_norm(b.get(n)) for n in names) for b in doc["results"]["bindings"]}


@contextmanager
def serve_both(kg: Any, dump_dir: Path, fmt: str = "ttl") -> Iterator[tuple[str, str]]:
    """(our endpoint URL, Fuseki URL) over the same data: the store and its dump (Turtle: the
    union graph as Fuseki's default graph; N-Quads: one named graph per source, as stored)."""
    dump = dump_dir / f"climatekg.{fmt}"
    export(kg, fmt, dump)
    app = create_app(kg, timeout=60, max_results=1_000_000, max_concurrent=2)
    with serve_app(app) as base, FusekiServer(dump, "ds", startup_timeout=300) as fuseki:
        yield f"{base}/sparql", fuseki.query_url


@pytest.fixture(scope="module")
def twin_peers(twin_kg, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Both engines over the bundled data plus the twin-cities network."""
    with serve_both(twin_kg, tmp_path_factory.mktemp("fuseki-twin")) as urls:
        yield urls


@pytest.fixture(scope="module")
def bundled_peers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Both engines over the bundled data only: what the saved queries are written for.

    (On the twin-cities network Jena's recursive path evaluation overflows its stack on
    reachability.rq — a Fuseki 500 — while Oxigraph answers; see the module docstring.)
    """
    kg = load_bundled(EmbeddedStore(tmp_path_factory.mktemp("bundled-peers")))
    try:
        with serve_both(kg, tmp_path_factory.mktemp("fuseki-bundled")) as urls:
            yield urls
    finally:
        kg.close()


@pytest.mark.parametrize("name", sorted(OWN_QUERIES))
def test_own_queries_same_as_fuseki(twin_peers, twin_kg, name: str) -> None:
    text, bindings = OWN_QUERIES[name]
    _compare(twin_peers, twin_kg, name, text, bindings, require_rows=True)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_same_as_fuseki(bundled_peers, twin_kg, name: str) -> None:
    _compare(
        bundled_peers, twin_kg, name, saved_queries()[name], SAVED_BINDINGS.get(name, {}), require_rows=False
    )


def _compare(
    peers: tuple[str, str], kg: Any, name: str, text: str, bindings: dict[str, str], *, require_rows: bool
) -> None:
    ours, fuseki = peers
    query = bind_values(text, {k: _term(kg, val) for k, val in bindings.items()})
    a, b = answer(ours, query), answer(fuseki, query)
    assert a == b, (
        f"{name}: ours {len(a) if isinstance(a, set) else a} vs Fuseki {len(b) if isinstance(b, set) else b}"
    )
    if isinstance(a, set) and require_rows:
        assert a, f"{name} is empty on both: it checks nothing"


def test_bind_values_finds_the_where_group() -> None:
    q = 'PREFIX ex: <http://e/>\nCONSTRUCT { ?s ex:p "{" } WHERE { ?s ?p ?o }'
    bound = bind_values(q, {"s": "<http://x/>"})
    assert bound.endswith("WHERE { VALUES (?s) { (<http://x/>) }  <http://x/> ?p ?o }")
    assert 'CONSTRUCT { ?s ex:p "{" }' in bound


def test_saved_queries_are_covered() -> None:
    """Every saved query has its bindings here, and every binding names a saved query."""
    assert set(SAVED_BINDINGS) == set(saved_queries())


@pytest.fixture(scope="module")
def dataset_peers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, list[str]]]:
    """Both engines over the bundled data's N-Quads (named graphs kept), and the graph names."""
    kg = load_bundled(EmbeddedStore(tmp_path_factory.mktemp("dataset-peers")))
    graphs = [v.graph_iri(s.id, kg.base) for s in kg.sources()]
    try:
        with serve_both(kg, tmp_path_factory.mktemp("fuseki-dataset"), "nq") as (ours, fuseki):
            yield ours, fuseki, graphs
    finally:
        kg.close()


#: Queries naming their dataset ({g0}, {g1}: the two bundled sources' graphs, {none}: no such graph).
DATASET_QUERIES = {
    "from-one-graph": "SELECT ?s ?l FROM <{g0}> WHERE {{ ?s rdfs:label ?l }}",
    "from-two-graphs-merged": "SELECT ?s ?p ?o FROM <{g0}> FROM <{g1}> WHERE {{ ?s ?p ?o }}",
    "from-a-missing-graph": "SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 5",
    "from-named-one": "SELECT ?g ?s ?c FROM NAMED <{g1}> WHERE {{ GRAPH ?g {{ ?s a ?c }} }}",
    "from-named-default-is-empty": "SELECT ?s FROM NAMED <{g0}> WHERE {{ ?s ?p ?o }}",
    "from-and-from-named": (
        "SELECT ?where ?s ?c FROM <{g0}> FROM NAMED <{g1}> WHERE {{ "
        '{{ ?s a ?c BIND("default" AS ?where) }} UNION {{ GRAPH ?g {{ ?s a ?c }} BIND(STR(?g) AS ?where) }} }}'
    ),
    "graph-var-all-named-graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
    "graph-constant": "SELECT ?s ?l WHERE {{ GRAPH <{g1}> {{ ?s rdfs:label ?l }} }}",
    "graph-missing": "ASK {{ GRAPH <{none}> {{ ?s ?p ?o }} }}",
}
#: The same questions asked through the protocol's parameters instead of FROM / FROM NAMED.
PROTOCOL_QUERIES = {
    "default-graph-uri": ("SELECT ?s ?l WHERE {{ ?s rdfs:label ?l }}", {"default-graph-uri": ["{g0}"]}),
    "two-default-graph-uris": (
        "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }}",
        {"default-graph-uri": ["{g0}", "{g1}"]},
    ),
    "named-graph-uri": (
        "SELECT ?g ?s ?c WHERE {{ GRAPH ?g {{ ?s a ?c }} }}",
        {"named-graph-uri": ["{g1}"]},
    ),
    "both-parameters": (
        "SELECT ?s ?c ?g WHERE {{ {{ ?s a ?c }} UNION {{ GRAPH ?g {{ ?s a ?c }} }} }}",
        {"default-graph-uri": ["{g0}"], "named-graph-uri": ["{g1}"]},
    ),
    "parameters-override-from": (
        "SELECT ?s ?l FROM <{g1}> WHERE {{ ?s rdfs:label ?l }}",
        {"default-graph-uri": ["{g0}"]},
    ),
}


def _names(graphs: list[str]) -> dict[str, str]:
    return {"g0": graphs[0], "g1": graphs[1], "none": graphs[0] + "-not-loaded"}


def test_the_dataset_checks_use_two_distinct_graphs(dataset_peers) -> None:
    assert len(dataset_peers[2]) >= 2


@pytest.mark.parametrize("name", sorted(DATASET_QUERIES))
def test_from_and_graph_queries_same_as_fuseki(dataset_peers, name: str) -> None:
    ours, fuseki, graphs = dataset_peers
    query = P + DATASET_QUERIES[name].format(**_names(graphs))
    if name == "from-a-missing-graph":
        query = query.replace("WHERE", f"FROM <{_names(graphs)['none']}> WHERE", 1)
    a, b = answer(ours, query), answer(fuseki, query)
    assert a == b, (
        f"{name}: ours {a if isinstance(a, bool) else len(a)} vs Fuseki {b if isinstance(b, bool) else len(b)}"
    )


@pytest.mark.parametrize("name", sorted(PROTOCOL_QUERIES))
def test_dataset_protocol_parameters_same_as_fuseki(dataset_peers, name: str) -> None:
    ours, fuseki, graphs = dataset_peers
    text, params = PROTOCOL_QUERIES[name]
    names = _names(graphs)
    query = P + text.format(**names)
    dataset = {k: [g.format(**names) for g in gs] for k, gs in params.items()}
    a, b = answer(ours, query, dataset), answer(fuseki, query, dataset)
    assert a == b, f"{name}: ours {len(a)} vs Fuseki {len(b)}"
    assert a, f"{name} is empty on both: it checks nothing"
