"""The read-only SPARQL 1.1 Protocol endpoint, entity dereferencing and the dataset description.

Routes (``create_app``):

- ``/sparql``: SPARQL 1.1 Protocol queries by GET, POST form and POST ``application/sparql-query``;
  ``default-graph-uri``/``named-graph-uri`` pick graphs *of this store* by name (never fetched);
  results by content negotiation; the SPARQL Service Description (Turtle by default) on a GET
  without ``query``. Updates (``update=``, ``application/sparql-update``) get 403; SERVICE gets 403.
- ``/id/{kind}/{slug}``: an entity's description (its triples, the relation triples pointing at
  it and its qualified relation nodes) as Turtle, JSON-LD, N-Triples or RDF/XML; a browser
  (``text/html``) is sent 303 to the explorer's page; unknown ids get 404.
- ``/void`` (also ``/.well-known/void``): VoID + DCAT + PROV description with the endpoint.
- ``/health``: JSON with the store kind and triple count.
- CORS: any origin may query (``Access-Control-Allow-Origin: *``, preflight answered).

Why Starlette + uvicorn: a small, fast ASGI toolkit with no framework magic (routes are plain
functions taking a request), already installed beside Streamlit (which serves on Tornado but
ships Starlette for its own components), and uvicorn is the reference ASGI server. Nothing here
needs an ORM, templating or dependency injection, so a bigger framework would only add weight.

How queries run — worker *processes*, not threads:

pyoxigraph releases the GIL while it evaluates, so a thread would keep the event loop free, but
a running pyoxigraph query cannot be cancelled from Python: a timed-out thread keeps burning a
core until the query ends on its own (a cross product on the twin-cities data runs for hours),
and its slot could never be handed back honestly. Each query therefore runs in one of
``max_concurrent`` worker processes, each with the store opened read-only; at the time limit the
worker is killed (real cancellation) and a fresh one is started (about 0.1 s). Measured on 2
cores, 100k-entity graph: a 1-hop query costs ~0.3 ms in pyoxigraph, the pipe round trip
~0.05 ms, so processes cost little; the HTTP layer dominates (see ``bench/bench_endpoint.py``).

Limits, all configurable, never a silently truncated answer:

- time limit (``timeout`` s) → **503** with a message naming the limit (as Fuseki does);
- result size (``max_results`` rows or triples) → **422** with a message saying to add LIMIT;
- concurrency: ``max_concurrent`` queries run at once; up to ``max_queued`` more wait (at most
  ``timeout`` s) for a worker; beyond that → **503** with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from climatekg.app.sparql_safety import QueryRefused, check_query
from climatekg.graph import vocab as v
from climatekg.graph.errors import StoreError
from climatekg.graph.model import ID_PREFIX

DEFAULT_EXPLORER_URL = "http://127.0.0.1:8501/"

# ---- media types ---------------------------------------------------------------------------

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

#: Offers per result kind, best default first. Aliases map to the canonical type.
SELECT_TYPES = (JSON_RESULTS, XML_RESULTS, CSV, TSV)
ASK_TYPES = (JSON_RESULTS, XML_RESULTS)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)
ALIASES = {
    "application/json": JSON_RESULTS,
    "application/xml": XML_RESULTS,
    "text/xml": XML_RESULTS,
    "application/x-turtle": TURTLE,
    "text/plain": NTRIPLES,  # N-Triples' historical media type
    "application/x-json+ld": JSONLD,
}
RDF_FORMAT = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
}
_TEXTUAL = {CSV, TSV, TURTLE, NTRIPLES}


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header prefers (q-values, wildcards, aliases), None when none fits.

    Ties keep the order of ``offers`` (the server's preference); a missing header gets the first.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SELECT_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("text/*", GRAPH_TYPES)
    'text/turtle'
    >>> negotiate("image/png", SELECT_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0]
    prefs: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        prefs.append((ALIASES.get(media, media), q))
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, offer in enumerate(offers):
        main = offer.split("/")[0]
        # The most specific matching range decides the offer's q (RFC 9110 §12.5.1).
        matches = [
            (spec, q)
            for media, q in prefs
            for spec in (
                (3 if media == offer else 2 if media == f"{main}/*" else 1 if media == "*/*" else 0),
            )
            if spec
        ]
        if not matches:
            continue
        spec, q = max(matches)
        if q <= 0:
            continue
        key = (q, spec, -rank)
        if best is None or key > best:
            best, choice = key, offer
    return choice


# ---- SPARQL results serialisers -----------------------------------------------------------

_XSD_STRING = v.XSD + "string"
_RDF_LANG_STRING = v.RDF + "langString"


def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    # RDF 1.2 triple terms
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(t.subject),
            "predicate": _json_term(t.predicate),
            "object": _json_term(t.object),
        },
    }


def results_json(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 Query Results JSON for a SELECT."""
    bindings = [
        {var: _json_term(t) for var, t in zip(variables, row, strict=True) if t is not None} for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
        f"</predicate><object>{_xml_term(t.object)}</object></triple>"
    )


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def results_xml(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL Query Results XML for a SELECT."""
    parts = [
        _XML_HEAD,
        "<head>",
        *(f"<variable name={quoteattr(n)}/>" for n in variables),
        "</head><results>",
    ]
    for row in rows:
        parts.append("<result>")
        parts.extend(
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(variables, row, strict=True)
            if t is not None
        )
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


def boolean_json(value: bool) -> bytes:
    """SPARQL JSON for an ASK."""
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def boolean_xml(value: bool) -> bytes:
    """SPARQL XML for an ASK."""
    return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


def csv_term(t: Any) -> str:
    """A term as SPARQL CSV writes it: IRIs and literal values plain, blank nodes as ``_:label``."""
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value
    return str(t)


def results_csv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 CSV: plain values (IRIs and literal lexical forms), CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for row in rows:
        w.writerow([csv_term(t) for t in row])
    return buf.getvalue().encode("utf-8")


def results_tsv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 TSV: terms in N-Triples/Turtle syntax (tabs and newlines escaped by it)."""
    lines = ["\t".join("?" + n for n in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


SELECT_WRITERS = {JSON_RESULTS: results_json, XML_RESULTS: results_xml, CSV: results_csv, TSV: results_tsv}
BOOLEAN_WRITERS = {JSON_RESULTS: boolean_json, XML_RESULTS: boolean_xml}


def prefixes(base: str) -> dict[str, str]:
    """Prefixes declared in RDF answers: the project's, plus ``id:`` for entity IRIs."""
    return {**v.PREFIXES, "id": v.entity_iri("", base)}


def serialize_triples(triples: Sequence[ox.Triple], media: str, base: str) -> bytes:
    """Triples in an RDF syntax, with the project's prefixes where the syntax has them."""
    fmt = RDF_FORMAT[media]
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt) or b""
    return ox.serialize(triples, format=fmt, prefixes=prefixes(base)) or b""


# ---- the worker process side -----------------------------------------------------------------


@dataclass
class Reply:
    """What a worker sends back: an HTTP status, a media type, the body and extra headers."""

    status: int
    media: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, message: str) -> Reply:
    return Reply(status, "text/plain", (message + "\n").encode("utf-8"))


def _too_many(n: int, what: str) -> Reply:
    return _error(
        422,
        f"the result has more than {n} {what} (the endpoint's --max-results limit); "
        "add LIMIT/OFFSET to page through it, or aggregate",
    )


def _graph_names(iris: list[str] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(i) for i in iris]


def run_query(store: ox.Store, job: dict[str, Any], max_results: int, base: str) -> Reply:
    """Evaluate one SPARQL query job and serialise it in the negotiated media type.

    Called inside a worker process; also usable in-process (tests, the CLI).
    """
    kwargs: dict[str, Any] = {}
    default, named = job.get("default"), job.get("named")
    try:
        if default is None and named is None:
            kwargs["use_default_graph_as_union"] = True
        else:
            # A protocol dataset replaces the query's FROM/FROM NAMED and the union default graph:
            # what the request does not name is empty (SPARQL 1.1 Protocol §2.1.4).
            kwargs["default_graph"] = _graph_names(default) or []
            kwargs["named_graphs"] = _graph_names(named) or []
    except ValueError as exc:
        return _error(400, f"bad graph IRI in default-graph-uri/named-graph-uri: {exc}")
    try:
        result = store.query(job["text"], base_iri=job.get("base"), **kwargs)
        if isinstance(result, ox.QueryBoolean):
            media = job.get("media") if job.get("media") in BOOLEAN_WRITERS else None
            media = media or negotiate(job.get("accept"), ASK_TYPES)
            if media is None:
                return _not_acceptable(job.get("accept"), ASK_TYPES)
            return Reply(200, media, BOOLEAN_WRITERS[media](bool(result)))
        if isinstance(result, ox.QuerySolutions):
            media = job.get("media") if job.get("media") in SELECT_WRITERS else None
            media = media or negotiate(job.get("accept"), SELECT_TYPES)
            if media is None:
                return _not_acceptable(job.get("accept"), SELECT_TYPES)
            variables = [var.value for var in result.variables]
            rows = []
            for solution in result:
                rows.append(tuple(solution))
                if len(rows) > max_results:
                    return _too_many(max_results, "rows")
            return Reply(200, media, SELECT_WRITERS[media](variables, rows))
        media = job.get("media") if job.get("media") in RDF_FORMAT else None
        media = media or negotiate(job.get("accept"), GRAPH_TYPES)
        if media is None:
            return _not_acceptable(job.get("accept"), GRAPH_TYPES)
        # CONSTRUCT over a union default graph can repeat triples; an RDF graph is a set.
        triples: dict[ox.Triple, None] = {}
        for t in result:
            triples[t] = None
            if len(triples) > max_results:
                return _too_many(max_results, "triples")
        return Reply(200, media, serialize_triples(list(triples), media, base))
    except SyntaxError as exc:
        return _error(400, f"SPARQL syntax error: {' '.join(str(exc).split())}")
    except (OSError, RuntimeError, ValueError) as exc:
        return _error(500, f"query evaluation failed: {exc}")


def _not_acceptable(accept: str | None, offers: Sequence[str]) -> Reply:
    return _error(406, f"cannot produce {accept!r} for this query; available: {', '.join(offers)}")


#: The relation properties whose incoming triples belong to an entity's description.
_RELATION_VALUES = " ".join(f"<{p}>" for p in v.PROPERTY_RELATION)


def describe_entity(store: ox.Store, iri: str, media: str, max_results: int, base: str) -> Reply:
    """An entity's description: its own triples, relation triples pointing at it, its relation nodes.

    Like a Concise Bounded Description, plus the incoming relations and the qualified relation
    nodes (dates, roles, evidence) that a reader needs to understand the entity's ties.
    """
    node = f"<{iri}>"
    if not bool(store.query(f"ASK {{ {node} a ?type }}", use_default_graph_as_union=True)):
        return _error(404, f"no entity {iri}")
    query = f"""
    CONSTRUCT {{ {node} ?p ?o . ?s ?rp {node} . ?n ?np ?no }}
    WHERE {{
      {{ {node} ?p ?o }}
      UNION {{ VALUES ?rp {{ {_RELATION_VALUES} }} ?s ?rp {node} }}
      UNION {{ {{ ?n <{v.RDF}subject> {node} }} UNION {{ ?n <{v.RDF}object> {node} }}
               ?n a <{v.CKG}Relation> ; ?np ?no }}
    }}"""
    triples: dict[ox.Triple, None] = {}
    result: Any = store.query(query, use_default_graph_as_union=True)
    for t in result:
        triples[t] = None
        if len(triples) > max_results:
            return _too_many(max_results, "triples")
    return Reply(200, media, serialize_triples(list(triples), media, base))


def _open_read_only(store_path: str, attempts: int = 8) -> ox.Store:
    """Open the store read-only; a writer compacting at that moment can delete a file the
    read-only instance just listed, so opening again (it reads the new file list) is the fix."""
    for attempt in range(attempts - 1):
        with contextlib.suppress(OSError, RuntimeError):
            return ox.Store.read_only(store_path)
        time.sleep(0.05 * 2**attempt)
    return ox.Store.read_only(store_path)  # the last attempt's error is the one reported


def _worker_main(conn: Any, store_path: str, max_results: int, base: str) -> None:
    """A query worker: open the store read-only, answer jobs until the pipe closes."""
    # Ctrl-C goes to the whole process group; the parent shuts the pool down in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = _open_read_only(store_path)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        try:
            if job["op"] == "describe":
                reply = describe_entity(store, job["iri"], job["media"], max_results, base)
            else:
                reply = run_query(store, job, max_results, base)
        except Exception as exc:  # a worker must answer every job, whatever went wrong
            reply = _error(500, f"internal error: {type(exc).__name__}: {exc}")
        conn.send(reply)


# ---- the pool, in the server process ----------------------------------------------------------


class Busy(Exception):
    """No worker became free in time, or the waiting line is full."""


class QueryTimeout(Exception):
    """A query ran past the time limit (its worker was killed)."""


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, ctx: Any, store_path: str, max_results: int, base: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path, max_results, base), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` query workers, a bounded waiting line, a time limit enforced by killing."""

    def __init__(
        self, store_path: str, base: str, *, size: int, max_queued: int, timeout: float, max_results: int
    ):
        self.store_path, self.base = store_path, base
        self.size, self.max_queued, self.timeout, self.max_results = size, max_queued, timeout, max_results
        # spawn, not fork: the server process has threads and an open RocksDB.
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._all: set[_Worker] = set()
        self.killed = 0  # workers stopped at the time limit (for tests and /health)
        self.running = 0

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.store_path, self.max_results, self.base)
        self._all.add(w)
        return w

    async def start(self) -> None:
        """Start every worker (they open the store in parallel)."""
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        self._idle.extend(workers)

    async def close(self) -> None:
        """Stop every worker."""
        for w in list(self._all):
            w.kill()
        self._all.clear()
        self._idle.clear()

    async def _acquire(self) -> _Worker:
        if self._idle:
            return self._idle.pop()
        if len(self._waiters) >= self.max_queued:
            raise Busy(f"{self.size} queries running and {len(self._waiters)} waiting (the limit)")
        fut: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            return await asyncio.wait_for(fut, self.timeout)
        except TimeoutError:
            raise Busy(f"no query worker became free within {self.timeout:g} s") from None
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(fut)

    def _release(self, w: _Worker) -> None:
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._idle.append(w)

    async def _replace(self, w: _Worker) -> None:
        self._all.discard(w)
        await asyncio.to_thread(w.kill)
        self._release(await asyncio.to_thread(self._spawn))

    async def run(self, job: dict[str, Any]) -> Reply:
        """Run one job on a free worker; raises Busy or QueryTimeout."""
        w = await self._acquire()
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Reply] = loop.create_future()
        fd = w.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            try:
                fut.set_result(w.conn.recv())
            except (EOFError, OSError) as exc:
                fut.set_exception(exc)

        self.running += 1
        try:
            w.conn.send(job)
            loop.add_reader(fd, readable)
            reply = await asyncio.wait_for(fut, self.timeout)
        except TimeoutError:
            loop.remove_reader(fd)
            self.killed += 1
            # The only real way to stop a pyoxigraph query: end its process, start a fresh one.
            asyncio.ensure_future(self._replace(w))
            raise QueryTimeout(
                f"the query ran longer than the time limit of {self.timeout:g} s and was stopped"
            ) from None
        except (EOFError, OSError, asyncio.CancelledError):
            loop.remove_reader(fd)
            asyncio.ensure_future(self._replace(w))
            raise
        finally:
            self.running -= 1
        self._release(w)
        return reply


# ---- the web application ----------------------------------------------------------------------


@dataclass
class EndpointConfig:
    """Settings of one endpoint (see ``create_app``)."""

    timeout: float = 30.0
    max_results: int = 100_000
    max_concurrent: int = 4
    max_queued: int = 64
    explorer_url: str = DEFAULT_EXPLORER_URL


def data_base_iri(store: ox.Store, fallback: str) -> str:
    """The base IRI the stored data was loaded with, read from its source graph names.

    Every source graph is ``{base}graph/{source}`` and holds its own ``prov:generatedAtTime``;
    serving with another ``CLIMATEKG_BASE_IRI`` than the one used for loading would otherwise
    make every entity look unknown.
    """
    generated = ox.NamedNode(v.PROV + "generatedAtTime")
    for g in store.named_graphs():
        if (
            isinstance(g, ox.NamedNode)
            and "/graph/" in g.value
            and any(True for _ in store.quads_for_pattern(g, generated, None, g))
        ):
            return g.value.rsplit("graph/", 1)[0]
    return fallback


class _Endpoint:
    """The request handlers, sharing the pool and cached facts about the store."""

    def __init__(self, kg: Any, config: EndpointConfig):
        if getattr(kg, "kind", "") != "embedded" or not hasattr(kg, "oxigraph"):
            raise StoreError("the SPARQL endpoint serves the embedded store only (not Neo4j)")
        self.kg, self.config = kg, config
        store: ox.Store = kg.oxigraph()
        self.base = data_base_iri(store, kg.base)
        self.store_path = str(Path(kg.home) / "store")
        self.pool = WorkerPool(
            self.store_path,
            self.base,
            size=config.max_concurrent,
            max_queued=config.max_queued,
            timeout=config.timeout,
            max_results=config.max_results,
        )
        self._triples: int | None = None
        self._descriptions: dict[str, list[ox.Triple]] = {}

    # -- lifecycle

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Start the workers and count the store before serving; stop the workers after."""
        await self.pool.start()
        # The store is read-only while served, so its size is counted once.
        self._triples = await asyncio.to_thread(len, self.kg.oxigraph())
        try:
            yield
        finally:
            await self.pool.close()

    # -- helpers

    async def _run(self, job: dict[str, Any]) -> Response:
        try:
            reply = await self.pool.run(job)
        except Busy as exc:
            return PlainTextResponse(
                f"the endpoint is busy: {exc}; retry shortly\n", 503, headers={"Retry-After": "1"}
            )
        except QueryTimeout as exc:
            return PlainTextResponse(f"{exc}\n", 503)
        except (EOFError, OSError):
            return PlainTextResponse("the query worker died; it has been restarted\n", 500)
        media = reply.media + (
            "; charset=utf-8" if reply.media in _TEXTUAL or reply.media == "text/plain" else ""
        )
        return Response(
            reply.body, reply.status, headers={"Vary": "Accept", **reply.headers}, media_type=media
        )

    # -- /sparql

    async def sparql(self, request: Request) -> Response:
        """SPARQL 1.1 Protocol: query via GET, POST form or POST direct; updates refused."""
        params = list(request.query_params.multi_items())
        if request.method == "POST":
            ctype = request.headers.get("content-type", "")
            body_type, _, rest = ctype.partition(";")
            body_type = body_type.strip().lower()
            charset = _charset(rest)
            if charset not in (None, "utf-8", "utf8", "us-ascii"):
                return _text(415, f"the request body must be UTF-8, not {charset}")
            body = await request.body()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return _text(400, "the request body is not valid UTF-8")
            if body_type == "application/x-www-form-urlencoded":
                params += parse_qsl(text, keep_blank_values=True)
            elif body_type == "application/sparql-query":
                params.append(("query", text))
            elif body_type == "application/sparql-update":
                return _read_only()
            elif not body_type:
                return _text(
                    415,
                    "POST needs Content-Type application/sparql-query or application/x-www-form-urlencoded",
                )
            else:
                return _text(
                    415,
                    f"unsupported Content-Type {body_type}; use application/sparql-query or "
                    "application/x-www-form-urlencoded",
                )
        queries = [val for key, val in params if key == "query"]
        if any(key in ("update", "using-graph-uri", "using-named-graph-uri") for key, _ in params):
            return _read_only()
        if not queries:
            if request.method == "GET":
                return await self.service_description(request)
            return _text(400, "no query: send a 'query' parameter or an application/sparql-query body")
        if len(queries) > 1:
            return _text(400, f"exactly one 'query' parameter is allowed, got {len(queries)}")
        text = queries[0]
        try:
            shape = check_query(text)
        except QueryRefused as exc:
            return _text(exc.status, str(exc))
        accept = request.headers.get("accept")
        media: str | None = None
        if shape.form is not None:
            offers = {"SELECT": SELECT_TYPES, "ASK": ASK_TYPES}.get(shape.form, GRAPH_TYPES)
            media = negotiate(accept, offers)
            if media is None:
                return _text(
                    406, f"cannot produce {accept!r} for a {shape.form} query; available: {', '.join(offers)}"
                )
        defaults = [val for key, val in params if key == "default-graph-uri"]
        named = [val for key, val in params if key == "named-graph-uri"]
        job = {
            "op": "query",
            "text": text,
            "accept": accept,
            "media": media,
            "default": defaults if (defaults or named) else None,
            "named": named if (defaults or named) else None,
            # the service-defined base IRI for relative IRIs (the Protocol allows the endpoint's URL)
            "base": str(request.url.replace(query="", fragment="")),
        }
        return await self._run(job)

    # -- /id/{kind}/{slug}

    async def entity(self, request: Request) -> Response:
        """Dereference an entity IRI: RDF description, or 303 to the explorer for browsers."""
        entity_id = request.path_params["entity_id"]
        kind = entity_id.split("/", 1)[0]
        if kind not in ID_PREFIX.values() or "/" not in entity_id:
            return _text(404, f"no entity {entity_id}")
        accept = request.headers.get("accept")
        media = negotiate(accept, (*GRAPH_TYPES, HTML))
        if media is None:
            return _text(406, f"cannot produce {accept!r}; available: {', '.join((*GRAPH_TYPES, HTML))}")
        iri = v.entity_iri(entity_id, self.base)
        try:
            ox.NamedNode(iri)
        except ValueError:
            return _text(404, f"no entity {entity_id}")
        if media == HTML:
            # Ask a worker first so an unknown id is a 404 for browsers too.
            found = await self._run({"op": "describe", "iri": iri, "media": NTRIPLES})
            if found.status_code != 200:
                return found
            target = f"{self.config.explorer_url}?entity={quote(entity_id, safe='/')}"
            return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
        return await self._run({"op": "describe", "iri": iri, "media": media})

    # -- descriptions

    async def _description(self, request: Request, which: str) -> list[ox.Triple]:
        from climatekg.app.dataset_description import dataset_description, service_description

        endpoint = str(request.url_for("sparql"))
        key = f"{which}|{endpoint}"
        if key not in self._descriptions:
            if which == "sd":
                triples = await asyncio.to_thread(
                    service_description, self.kg, endpoint, base=self.base, limits=self._limits()
                )
            else:
                triples = await asyncio.to_thread(
                    dataset_description, self.kg, sparql_endpoint=endpoint, base=self.base
                )
            self._descriptions[key] = triples
        return self._descriptions[key]

    def _limits(self) -> str:
        c = self.config
        return (
            f"Read-only: SPARQL Update and SERVICE are refused. Each query may run {c.timeout:g} s "
            f"(then 503) and return {c.max_results} rows or triples (then 422); {c.max_concurrent} run "
            f"at once, {c.max_queued} more may wait (then 503 with Retry-After). The default graph "
            "is the union of all named graphs (one per source)."
        )

    async def service_description(self, request: Request) -> Response:
        """The SPARQL Service Description of this endpoint (Turtle unless asked otherwise)."""
        return await self._rdf_document(request, "sd")

    async def void(self, request: Request) -> Response:
        """VoID + DCAT + PROV description of the served dataset."""
        return await self._rdf_document(request, "void")

    async def _rdf_document(self, request: Request, which: str) -> Response:
        accept = request.headers.get("accept")
        media = negotiate(accept, GRAPH_TYPES)
        if media is None:
            return _text(406, f"cannot produce {accept!r}; available: {', '.join(GRAPH_TYPES)}")
        triples = await self._description(request, which)
        body = serialize_triples(triples, media, self.base)
        charset = "; charset=utf-8" if media in _TEXTUAL else ""
        return Response(body, 200, media_type=media + charset, headers={"Vary": "Accept"})

    async def health(self, request: Request) -> Response:
        """Liveness and size: the store kind and its triple count (quads in all graphs)."""
        return JSONResponse(
            {
                "status": "ok",
                "store": self.kg.kind,
                "triples": self._triples,
                "base_iri": self.base,
                "workers": self.pool.size,
                "running": self.pool.running,
                "timeout_s": self.config.timeout,
                "max_results": self.config.max_results,
            }
        )

    async def index(self, request: Request) -> Response:
        """A short plain-text pointer to the routes."""
        sparql = request.url_for("sparql")
        return _text(
            200,
            f"climatekg linked data\n  SPARQL endpoint: {sparql}\n  dataset description: "
            f"{request.url_for('void')}\n  health: {request.url_for('health')}\n"
            f"  entities: {request.base_url}id/{{kind}}/{{slug}}",
        )


def _charset(params: str) -> str | None:
    for p in params.split(";"):
        key, _, val = p.strip().partition("=")
        if key.lower() == "charset":
            return val.strip().strip('"').lower()
    return None


def _text(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status)


def _read_only() -> Response:
    return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")


def create_app(
    kg: Any,
    *,
    timeout: float = 30.0,
    max_results: int = 100_000,
    max_concurrent: int | None = None,
    max_queued: int = 64,
    explorer_url: str = DEFAULT_EXPLORER_URL,
) -> Starlette:
    """The endpoint as an ASGI app over the embedded store ``kg`` (opened read-only by the caller).

    ``max_concurrent`` defaults to the number of CPUs (at least 2). Worker processes start in
    the app's lifespan, so run it under uvicorn or ``with TestClient(app)``.
    """
    config = EndpointConfig(
        timeout=timeout,
        max_results=max_results,
        max_concurrent=max_concurrent or max(2, os.cpu_count() or 2),
        max_queued=max_queued,
        explorer_url=explorer_url,
    )
    ep = _Endpoint(kg, config)
    routes = [
        Route("/", ep.index, methods=["GET"], name="index"),
        Route("/sparql", ep.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/sparql/", ep.sparql, methods=["GET", "POST"], name="sparql_slash"),
        Route("/id/{entity_id:path}", ep.entity, methods=["GET"], name="entity"),
        Route("/void", ep.void, methods=["GET"], name="void"),
        Route("/.well-known/void", ep.void, methods=["GET"], name="well_known_void"),
        Route("/health", ep.health, methods=["GET"], name="health"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["Retry-After", "Content-Type"],
            max_age=86400,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=ep.lifespan)
    app.state.endpoint = ep
    return app


def serve(
    kg: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    access_log: bool = False,
    **options: Any,
) -> None:
    """Run the endpoint under uvicorn until interrupted."""
    import uvicorn

    app = create_app(kg, **options)
    uvicorn.run(app, host=host, port=port, access_log=access_log, log_level="info")
