"""CLI commands sparql and serve: SPARQL over the store, and the SPARQL 1.1 endpoint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
import typer
from rich.table import Table

from climatekg.app.cli.console import err, open_kg, out
from climatekg.app.sparql.negotiation import JSONLD, NTRIPLES, TURTLE
from climatekg.app.sparql.results import (
    boolean_json,
    csv_term,
    results_csv,
    results_json,
    serialize_triples,
)
from climatekg.app.sparql.safety import QueryRefused, check_query
from climatekg.app.sparql.server import serve as run_server
from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, rdf_store
from climatekg.queries.sparql import run_sparql, saved_queries


def binding_term(kg: Store, value: str) -> ox.NamedNode | ox.Literal:
    """A ``--bind`` value as an RDF term: ``<iri>``, an http(s) IRI, a stored entity id, a number or text.

    Entity ids (``city/shenzhen``) become entity IRIs so saved queries can take them as they are.
    """
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if "/" in value and kg.kind_of(value) is not None:
        return ox.NamedNode(v.entity_iri(value, kg.base))
    if value.lstrip("-").isdigit():
        return ox.Literal(value, datatype=ox.NamedNode(v.XSD + "integer"))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return ox.Literal(value[1:-1])
    return ox.Literal(value)


def run_text(kg: Store, text: str, bindings: dict[str, str]) -> tuple[str, list[str], list[tuple[Any, ...]]]:
    """Run a read-only query with values bound: (query form, column names, rows of terms).

    Goes through ``queries.sparql.run_sparql`` (union default graph, pyoxigraph substitutions);
    the project's prefixes are declared for convenience, and updates and SERVICE are refused.
    """
    rdf = rdf_store(kg, "the sparql command")
    try:
        shape = check_query(text)
    except QueryRefused as exc:
        raise ClimateKGError(str(exc)) from None
    form = shape.form or "SELECT"
    # A later PREFIX of the same name wins, so the query's own declarations still rule.
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in v.PREFIXES.items())
    terms = {name: binding_term(kg, val) for name, val in bindings.items()}
    names, rows = run_sparql(rdf, prologue + text, terms, union=not shape.names_dataset)
    return form, names, rows


def print_result(form: str, names: list[str], rows: list[tuple[Any, ...]], fmt: str, base: str) -> int:
    """Print an answer as a table, SPARQL JSON/JSON-LD or CSV/N-Triples; returns rows printed."""
    if form == "ASK":
        value = rows[0][0].value == "true"
        if fmt == "json":
            sys.stdout.write(boolean_json(value).decode() + "\n")
        else:
            out.print("true" if value else "false")
        return 1
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = list(dict.fromkeys(ox.Triple(*row) for row in rows))
        media = {"json": JSONLD, "csv": NTRIPLES}.get(fmt, TURTLE)
        sys.stdout.write(serialize_triples(triples, media, base).decode())
        return len(triples)
    if fmt == "json":
        sys.stdout.write(results_json(names, rows).decode() + "\n")
    elif fmt == "csv":
        sys.stdout.write(results_csv(names, rows).decode())
    else:
        table = Table(*names)
        for row in rows:
            table.add_row(*(csv_term(t) for t in row))
        out.print(table)
    return len(rows)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command()
    def sparql(
        file: Annotated[Path | None, typer.Argument(help="A .rq file (or a saved query's name).")] = None,
        query: Annotated[
            str | None, typer.Option("--query", "-q", help="Query text instead of a file.")
        ] = None,
        bind: Annotated[
            list[str] | None,
            typer.Option("--bind", "-b", help="name=value: an entity id, <IRI>, number or text."),
        ] = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    ) -> None:
        """Run a SPARQL query (read-only) over the store; the default graph is the union of all sources.

        SELECT prints a table, SPARQL JSON or CSV; CONSTRUCT/DESCRIBE print Turtle, JSON-LD or
        N-Triples for table, json and csv.
        """
        if fmt not in ("table", "json", "csv"):
            raise ClimateKGError(f"unknown format {fmt!r} (table, json or csv)")
        if (file is None) == (query is None):
            raise ClimateKGError("give either a query file or --query TEXT")
        bindings = {}
        for b in bind or []:
            name, sep, value = b.partition("=")
            if not sep or not name:
                raise ClimateKGError(f"--bind {b!r}: expected name=value")
            bindings[name.lstrip("?$")] = value
        text = query if query is not None else _query_text(file)
        kg = open_kg(read_only=True)
        try:
            print_result(*run_text(kg, text, bindings), fmt, kg.base)
        finally:
            kg.close()

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
        timeout: Annotated[float, typer.Option(help="Per-query time limit in seconds (then 503).")] = 30.0,
        max_results: Annotated[
            int, typer.Option("--max-results", help="Most rows or triples one answer may have (then 422).")
        ] = 100_000,
        max_concurrent: Annotated[
            int | None,
            typer.Option("--max-concurrent", help="Queries run at once (worker processes) [CPU count]."),
        ] = None,
        max_queued: Annotated[
            int, typer.Option("--max-queued", help="Queries that may wait for a worker (then 503).")
        ] = 64,
        explorer_url: Annotated[
            str, typer.Option("--explorer-url", help="Where browsers are sent for an entity page.")
        ] = "http://127.0.0.1:8501/",
        access_log: Annotated[bool, typer.Option("--access-log", help="Log every request.")] = False,
    ) -> None:
        """Serve the store read-only: SPARQL 1.1 Protocol at /sparql, entity pages at /id/…, VoID at /void."""
        kg = open_kg(read_only=True)
        err.print(
            f"climatekg: SPARQL endpoint on http://{host}:{port}/sparql (read-only; Ctrl-C stops)",
            markup=False,
            highlight=False,
        )
        try:
            run_server(
                kg,
                host=host,
                port=port,
                access_log=access_log,
                timeout=timeout,
                max_results=max_results,
                max_concurrent=max_concurrent,
                max_queued=max_queued,
                explorer_url=explorer_url,
            )
        finally:
            kg.close()


def _query_text(file: Path | None) -> str:
    """A query file's text, or a saved query by name (queries/*.rq) when no such file exists."""
    assert file is not None
    if file.is_file():
        return file.read_text(encoding="utf-8")
    saved = saved_queries()
    name = file.name.removesuffix(".rq")
    if name in saved:
        return saved[name]
    raise ClimateKGError(f"no query file {file} (and no saved query named {name!r})")
