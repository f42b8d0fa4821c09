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

How queries run: in worker processes (``workers``), so that a time limit really stops a query.

Limits, all configurable, never a silently truncated answer:

- time limit (``timeout`` s) → **503** with a message naming the limit (as Fuseki does);
- result size (``max_results`` rows or triples, or ``workers.MAX_RESULT_BYTES`` of values) → **422**
  with a message saying to add LIMIT;
- concurrency: ``max_concurrent`` queries run at once; up to ``max_queued`` more wait (at most
  ``timeout`` s) for a worker; beyond that → **503** with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from climatekg.app.publish.description import dataset_description, service_description
from climatekg.app.sparql.dataset import data_base_iri
from climatekg.app.sparql.negotiation import (
    ASK_TYPES,
    GRAPH_TYPES,
    HTML,
    NTRIPLES,
    SELECT_TYPES,
    TEXTUAL,
    negotiate,
)
from climatekg.app.sparql.results import serialize_triples
from climatekg.app.sparql.safety import QueryRefused, check_query
from climatekg.app.sparql.workers import MAX_RESULT_BYTES, Busy, QueryTimeout, WorkerPool
from climatekg.graph import vocab as v
from climatekg.graph.model import ID_PREFIX
from climatekg.graph.store import Store, rdf_store
from climatekg.graph.stores import open_store

DEFAULT_EXPLORER_URL = "http://127.0.0.1:8501/"
#: Largest request body accepted (a query, or a form holding one); larger bodies get 413.
MAX_BODY_BYTES = 1_048_576
#: Seconds the SERVICE/update/size inspection of one query may take before a 400.
INSPECTION_TIMEOUT = 5.0
#: Sent with every response: no MIME sniffing, and pages that may load nothing and be framed by no one.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


@dataclass
class EndpointConfig:
    """Settings of one endpoint (see ``create_app``)."""

    timeout: float = 30.0
    max_results: int = 100_000
    max_concurrent: int = 4
    max_queued: int = 64
    explorer_url: str = DEFAULT_EXPLORER_URL


class _Endpoint:
    """The request handlers, sharing the pool and cached facts about the store."""

    def __init__(self, kg: Store, config: EndpointConfig):
        self.kg, self.config = kg, config
        self.rdf = rdf_store(kg, "the SPARQL endpoint")
        self.base = data_base_iri(self.rdf.oxigraph(), kg.base)
        self.pool = WorkerPool(
            kg.location,
            self.base,
            size=config.max_concurrent,
            max_queued=config.max_queued,
            timeout=config.timeout,
            max_results=config.max_results,
        )
        self._triples: int | None = None
        self.version = ""
        self._descriptions: dict[str, list[ox.Triple]] = {}
        self._stamp = self.rdf.committed_version()
        self._reopening = asyncio.Lock()

    # -- lifecycle

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Start the workers and count the store before serving; stop the workers after."""
        await self.pool.start()
        # Counted once per opening of the store: ``refresh`` opens it again after a load.
        self._triples = await asyncio.to_thread(len, self.rdf.oxigraph())
        self.version = await asyncio.to_thread(self.kg.version)
        try:
            yield
        finally:
            await self.pool.close()

    async def refresh(self) -> None:
        """Open the store again when a load was committed since (the store's ``committed_version``
        changed), so this process and every worker (at its next job) answer from the new data."""
        if self.rdf.committed_version() == self._stamp:
            return
        async with self._reopening:
            stamp = self.rdf.committed_version()
            if stamp == self._stamp:
                return  # another request reopened it meanwhile
            kg = await asyncio.to_thread(open_store, self.kg.location, read_only=True)
            rdf = rdf_store(kg, "the SPARQL endpoint")
            self._triples = await asyncio.to_thread(len, rdf.oxigraph())
            self.version = await asyncio.to_thread(kg.version)
            self.kg, self.rdf, self._stamp = kg, rdf, stamp
            self._descriptions.clear()
            self.pool.generation += 1

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
            "; charset=utf-8" if reply.media in TEXTUAL or reply.media == "text/plain" else ""
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
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                return _too_large()
            chunks, size = [], 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    return _too_large()
                chunks.append(chunk)
            body = b"".join(chunks)
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
            # off the event loop, with a time limit: /health and other requests keep being answered
            shape = await asyncio.wait_for(asyncio.to_thread(check_query, text), INSPECTION_TIMEOUT)
        except QueryRefused as exc:
            return _text(exc.status, str(exc))
        except TimeoutError:
            return _text(
                400, f"the query could not be inspected within {INSPECTION_TIMEOUT:g} s; simplify it"
            )
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
            "from": shape.names_dataset,
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
            f"(then 503) and return {c.max_results} rows or triples and {MAX_RESULT_BYTES // 2**20} MiB of "
            f"values (then 422); {c.max_concurrent} run "
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
        charset = "; charset=utf-8" if media in TEXTUAL else ""
        return Response(body, 200, media_type=media + charset, headers={"Vary": "Accept"})

    async def health(self, request: Request) -> Response:
        """Liveness and size: the store kind and its triple count (quads in all graphs)."""
        return JSONResponse(
            {
                "status": "ok",
                "store": self.kg.kind,
                "triples": self._triples,
                "data_version": self.version,
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


class _Headers:
    """Adds the security headers and the data version (``X-Data-Version``) to every response."""

    def __init__(self, app: Any, endpoint: _Endpoint):
        self.app, self.endpoint = app, endpoint

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        await self.endpoint.refresh()

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = dict(SECURITY_HEADERS)
                if not any(k == b"x-data-version" for k, _ in message.get("headers", [])):
                    extra["X-Data-Version"] = self.endpoint.version  # a worker's answer names its own
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.lower().encode("latin-1"), val.encode("latin-1")) for k, val in extra.items()),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def _charset(params: str) -> str | None:
    for p in params.split(";"):
        key, _, val = p.strip().partition("=")
        if key.lower() == "charset":
            return val.strip().strip('"').lower()
    return None


def _text(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status)


def _too_large() -> Response:
    return _text(413, f"the request body is over {MAX_BODY_BYTES:,} bytes, this endpoint's limit")


def _read_only() -> Response:
    return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")


def create_app(
    kg: Store,
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
    middleware.append(Middleware(_Headers, endpoint=ep))
    app = Starlette(routes=routes, middleware=middleware, lifespan=ep.lifespan)
    app.state.endpoint = ep
    return app


def serve(
    kg: Store,
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
