"""Query workers: each SPARQL query runs in a process of its own, which a time limit can kill.

Why processes, not threads: pyoxigraph releases the GIL while it evaluates, so a thread would
keep the event loop free, but a running pyoxigraph query cannot be cancelled from Python: a
timed-out thread keeps burning a core until the query ends on its own (a cross product on the
twin-cities data runs for hours), and its slot could never be handed back honestly. Each query
therefore runs in one of ``size`` worker processes, each with the store opened read-only (from
``kg.location``, as ``open_store`` takes it); at the time limit the worker is killed (real
cancellation) and a fresh one is started (about 0.1 s). Measured on 2 cores, 100k-entity graph:
a 1-hop query costs ~0.3 ms in pyoxigraph, the pipe round trip ~0.05 ms, so processes cost
little; the HTTP layer dominates (see ``bench/bench_endpoint.py``).

``run_query`` and ``describe_entity`` are what a worker does with a job; they also run
in-process (tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from climatekg.app.sparql.negotiation import ASK_TYPES, GRAPH_TYPES, SELECT_TYPES, negotiate
from climatekg.app.sparql.results import BOOLEAN_WRITERS, RDF_FORMAT, SELECT_WRITERS, serialize_triples
from climatekg.graph import vocab as v
from climatekg.graph.errors import StoreError
from climatekg.graph.store import rdf_store
from climatekg.graph.stores import open_store


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


#: Largest result a query may build, counted as the UTF-8 bytes of its values (the body is a little
#: larger); a result over it gets 422, as one over ``max_results`` rows does.
MAX_RESULT_BYTES = 64 * 1024 * 1024


def _too_big() -> Reply:
    return _error(
        422,
        f"the result is over {MAX_RESULT_BYTES // 1024 // 1024} MiB (the endpoint's limit); "
        "add LIMIT/OFFSET to page through it, or select shorter values",
    )


def _size(terms: Any) -> int:
    return sum(len(t.value.encode("utf-8")) for t in terms if t is not None and hasattr(t, "value"))


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
            # a query's own FROM / FROM NAMED defines its dataset; Oxigraph's union flag would override it
            kwargs["use_default_graph_as_union"] = not job.get("from")
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
            rows, size = [], 0
            for solution in result:
                rows.append(tuple(solution))
                size += _size(rows[-1])
                if len(rows) > max_results:
                    return _too_many(max_results, "rows")
                if size > MAX_RESULT_BYTES:
                    return _too_big()
            return Reply(200, media, SELECT_WRITERS[media](variables, rows))
        media = job.get("media") if job.get("media") in RDF_FORMAT else None
        media = media or negotiate(job.get("accept"), GRAPH_TYPES)
        if media is None:
            return _not_acceptable(job.get("accept"), GRAPH_TYPES)
        # CONSTRUCT over a union default graph can repeat triples; an RDF graph is a set.
        triples: dict[ox.Triple, None] = {}
        size = 0
        for t in result:
            triples[t] = None
            size += _size((t.subject, t.predicate, t.object))
            if len(triples) > max_results:
                return _too_many(max_results, "triples")
            if size > MAX_RESULT_BYTES:
                return _too_big()
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


def open_read_only(location: str, attempts: int = 8) -> ox.Store:
    """Open the store at ``location`` read-only (as ``open_store`` does) and return its dataset.

    A writer compacting at that moment can delete a file the read-only instance just listed,
    so opening again (it reads the new file list) is the fix.
    """
    return _open_versioned(location, attempts)[0]


def _open_versioned(location: str, attempts: int = 8) -> tuple[ox.Store, str]:
    """``open_read_only``, with the data version (``Store.version``) of what it opened."""
    for attempt in range(attempts - 1):
        with contextlib.suppress(StoreError, OSError, RuntimeError):
            return _dataset(location)
        time.sleep(0.05 * 2**attempt)
    return _dataset(location)  # the last attempt's error is the one reported


def _dataset(location: str) -> tuple[ox.Store, str]:
    kg = open_store(location, read_only=True)
    return rdf_store(kg, "SPARQL").oxigraph(), kg.version()


def _worker_main(conn: Any, location: str, max_results: int, base: str) -> None:
    """A query worker: open the store read-only, answer jobs until the pipe closes.

    A job with a newer ``generation`` than the worker's means the server saw a load committed:
    the worker opens the store again first. Every reply names the version it was answered from.
    """
    # Ctrl-C goes to the whole process group; the parent shuts the pool down in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    (store, version), generation = _open_versioned(location), 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        try:
            if job.get("generation", 0) > generation:
                (store, version), generation = _open_versioned(location), job["generation"]
            if job["op"] == "describe":
                reply = describe_entity(store, job["iri"], job["media"], max_results, base)
            else:
                reply = run_query(store, job, max_results, base)
        except Exception as exc:  # a worker must answer every job, whatever went wrong
            reply = _error(500, f"internal error: {type(exc).__name__}: {exc}")
        reply.headers["X-Data-Version"] = version
        conn.send(reply)


# ---- the pool, in the server process ----------------------------------------------------------


class Busy(Exception):
    """No worker became free in time, or the waiting line is full."""


class QueryTimeout(Exception):
    """A query ran past the time limit (its worker was killed)."""


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self, ctx: Any, location: str, max_results: int, base: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, location, max_results, base), daemon=True)
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
        self, location: str, base: str, *, size: int, max_queued: int, timeout: float, max_results: int
    ):
        self.location, self.base = location, base
        self.size, self.max_queued, self.timeout, self.max_results = size, max_queued, timeout, max_results
        # spawn, not fork: the server process has threads and an open RocksDB.
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._all: set[_Worker] = set()
        self.killed = 0  # workers stopped at the time limit (for tests and /health)
        self.running = 0
        self.generation = 0  # raised by the server when a load was committed: workers reopen

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.location, self.max_results, self.base)
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
            w.conn.send({**job, "generation": self.generation})
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
