"""SPARQL for the explorer's console, with the endpoint's limits: a time limit and a result size.

The query runs in a separate process on the store opened read-only, exactly as the endpoint's
workers do (``climatekg.app.sparql.workers`` explains why a thread cannot be stopped): at the
time limit the process is killed and the page says so. Results beyond ``max_results`` rows are
refused with a message, never silently cut. Updates and SERVICE are refused before anything runs
(``climatekg.app.sparql.safety.check_query``).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import time
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from climatekg.app.sparql.dataset import data_base_iri
from climatekg.app.sparql.negotiation import JSON_RESULTS, TURTLE
from climatekg.app.sparql.results import boolean_json, results_json, serialize_triples
from climatekg.app.sparql.safety import QueryRefused, check_query
from climatekg.app.sparql.workers import open_read_only
from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, rdf_store

#: The explorer's defaults; the endpoint's are 30 s and 100,000 results.
TIMEOUT = 20.0
MAX_RESULTS = 10_000


@dataclass
class SparqlResult:
    """A query's answer: a table (SELECT), a boolean (ASK) or Turtle (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str | None = None
    raw: bytes = b""  # the SPARQL JSON results (or Turtle) as returned, for download
    error: str | None = None
    seconds: float = 0.0


def variables_to_bind(text: str) -> list[str]:
    r"""Variables a saved query asks to be bound: named in its header comment and used in the query.

    >>> variables_to_bind("# Pairs (bind ?a and ?b)\nSELECT ?a ?b ?x WHERE { ?a ?p ?b }")
    ['a', 'b']
    """
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    comment = " ".join(header)
    if "bind" not in comment.lower():
        return []
    body = text[len("\n".join(header)) :]
    named = dict.fromkeys(re.findall(r"\?([A-Za-z_]\w*)", comment))
    return [name for name in named if re.search(rf"[?$]{name}\b", body)]


def binding(kg: Store, value: str) -> tuple[str, str]:
    """How a typed value is bound: an entity (by id or name) or an IRI as an IRI, else a literal."""
    value = value.strip()
    if "://" in value or value.startswith("urn:"):
        return "iri", value
    hits = kg.find(value) if value else []
    if len(hits) == 1:
        return "iri", _entity_iri(kg, hits[0])
    return "literal", value


def _entity_iri(kg: Store, entity_id: str) -> str:
    return v.entity_iri(entity_id, kg.base)


def _worker(
    conn: Any,
    location: str,
    base: str,
    text: str,
    bindings: list[tuple[str, str, str]],
    max_results: int,
) -> None:
    """Child process: open the store read-only, run one query, send (status, media, body) back."""
    try:
        store = open_read_only(location)
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): ox.NamedNode(value) if kind == "iri" else ox.Literal(value)
            for name, kind, value in bindings
        }
        result = store.query(text, use_default_graph_as_union=True, substitutions=subs)
        if isinstance(result, ox.QueryBoolean):
            conn.send((200, JSON_RESULTS, boolean_json(bool(result))))
        elif isinstance(result, ox.QuerySolutions):
            variables = [var.value for var in result.variables]
            rows = []
            for solution in result:
                rows.append(tuple(solution))
                if len(rows) > max_results:
                    conn.send((422, "text/plain", _too_many(max_results, "rows")))
                    return
            conn.send((200, JSON_RESULTS, results_json(variables, rows)))
        else:
            triples: dict[ox.Triple, None] = {}
            for t in result:
                triples[t] = None
                if len(triples) > max_results:
                    conn.send((422, "text/plain", _too_many(max_results, "triples")))
                    return
            conn.send((200, TURTLE, serialize_triples(list(triples), TURTLE, base)))
    except SyntaxError as exc:
        conn.send((400, "text/plain", f"SPARQL syntax error: {' '.join(str(exc).split())}".encode()))
    except Exception as exc:  # report anything to the parent rather than die silently
        conn.send((500, "text/plain", f"query evaluation failed: {exc}".encode()))
    finally:
        conn.close()


def _too_many(n: int, what: str) -> bytes:
    return (
        f"the result has more than {n:,} {what} (the explorer's result limit); "
        "add LIMIT/OFFSET to page through it, or aggregate"
    ).encode()


def run_limited(
    kg: Store,
    text: str,
    *,
    bindings: list[tuple[str, str, str]] | None = None,
    timeout: float = TIMEOUT,
    max_results: int = MAX_RESULTS,
) -> SparqlResult:
    """Run ``text`` on the embedded store ``kg`` within the time and result limits.

    ``bindings`` are ``(variable, "iri" | "literal", value)``, bound as pyoxigraph
    substitutions (never pasted into the text).
    """
    try:
        shape = check_query(text)
    except QueryRefused as exc:
        return SparqlResult(form="", error=str(exc).replace("this endpoint", "the explorer"))
    form = shape.form or "SELECT"
    try:
        rdf = rdf_store(kg, "SPARQL")
    except ClimateKGError as exc:
        return SparqlResult(form=form, error=str(exc))
    base = data_base_iri(rdf.oxigraph(), kg.base)
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_worker,
        args=(child, kg.location, base, text, list(bindings or []), max_results),
        daemon=True,
    )
    started = time.perf_counter()
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            return SparqlResult(
                form=form,
                error=f"the query ran longer than the time limit of {timeout:g} s and was stopped; "
                "narrow it (more specific patterns, LIMIT) and try again",
                seconds=time.perf_counter() - started,
            )
        status, reply_media, body = parent.recv()
    except EOFError:
        return SparqlResult(form=form, error="the query process died without an answer")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        parent.close()
    seconds = time.perf_counter() - started
    if status != 200:
        message = body.decode("utf-8", "replace").strip()
        return SparqlResult(form=form, error=message, seconds=seconds)
    if reply_media == TURTLE:
        return SparqlResult(form=form, turtle=body.decode("utf-8"), raw=body, seconds=seconds)
    doc = json.loads(body)
    if "boolean" in doc:
        return SparqlResult(form="ASK", boolean=bool(doc["boolean"]), raw=body, seconds=seconds)
    variables = list(doc["head"]["vars"])
    rows = [
        {var: _term_text(b[var]) if var in b else "" for var in variables} for b in doc["results"]["bindings"]
    ]
    return SparqlResult(form="SELECT", variables=variables, rows=rows, raw=body, seconds=seconds)


def _term_text(term: dict[str, Any]) -> str:
    """A SPARQL JSON term as the text a table shows (IRIs bare, literals with language/datatype)."""
    value = str(term.get("value", ""))
    if term.get("type") == "literal":
        if "xml:lang" in term:
            return f"{value} @{term['xml:lang']}"
        return value
    if term.get("type") == "bnode":
        return f"_:{value}"
    return value
