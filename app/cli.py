"""The ``climatekg`` command line: thin over loaders/ and queries/, JSON for scripts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from climatekg.app import extract_commands, neo4j_commands, query_commands, sparql_commands
from climatekg.app.console import JsonOpt, err, open_kg, out, print_json, state
from climatekg.graph.errors import ClimateKGError, NotFoundError

app = typer.Typer(
    name="climatekg",
    help="A knowledge graph of cities, clean technologies and organisations in low-carbon transitions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    home: Annotated[
        Path | None,
        typer.Option("--home", envvar="CLIMATEKG_HOME", help="Embedded store directory [./.climatekg]."),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store", envvar="CLIMATEKG_STORE", help="bolt://, neo4j:// or neo4j+s:// URL of a Neo4j store."
        ),
    ] = None,
) -> None:
    """Options every command takes."""
    state.update(home=home, store=store)


@app.command()
def load(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files to load (YAML, CSV, RDF, GraphML, GEXF).")
    ] = None,
    loader: Annotated[
        str | None, typer.Option(help="Loader name; detected from the file when omitted.")
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="Edge-list column mapping, e.g. source=from.")
    ] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the bundled data first.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load sources into the store: each file all-or-nothing, reloading an unchanged file is a no-op."""
    from climatekg.data import bundled_files
    from climatekg.loaders.registry import LOADERS, detect_loader

    if loader and loader not in LOADERS:
        raise ClimateKGError(f"unknown loader {loader!r} (one of {', '.join(LOADERS)})")
    files = [*(bundled_files() if bundled else []), *(paths or [])]
    if not files:
        raise ClimateKGError("nothing to load: name files or use --bundled")
    names = [loader or detect_loader(path) for path in files]
    columns = _column_mapping(mapping or [])
    if columns and "edges" not in names:
        raise ClimateKGError("--map renames edge-list CSV columns, and no file here is an edge list")
    kg = open_kg()
    reports = []
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=as_json,
    ) as progress:
        task = progress.add_task("loading", total=len(files))
        for path, name in zip(files, names, strict=True):
            progress.update(task, description=escape(f"{name}: {path.name}"))
            options: dict[str, Any] = {"store": kg}
            if columns and name == "edges":
                options["mapping"] = columns
            batch = LOADERS[name](path, **options)
            progress.update(task, description=escape(f"writing {path.name}"))
            report = kg.load(batch)
            reports.append(report.__dict__ | {"path": str(path), "loader": name})
            progress.advance(task)
    kg.close()
    if as_json:
        print_json(reports)
        return
    for r in reports:
        state = "loaded" if r["changed"] else "unchanged"
        out.print(f"{state} {r['path']} → source {r['source']} ({r['triples']} triples)")


def _column_mapping(entries: list[str]) -> dict[str, str]:
    """``--map KEY=COLUMN`` entries as a dict; an entry without ``=`` is refused."""
    columns = {}
    for entry in entries:
        key, sep, column = entry.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise ClimateKGError(f"--map {entry!r}: expected KEY=COLUMN, e.g. source=from")
        columns[key.strip()] = column.strip()
    return columns


@app.command()
def stats(as_json: JsonOpt = False) -> None:
    """Counts of entities, relations and sources."""
    kg = open_kg(read_only=True)
    data = kg.stats()
    if as_json:
        print_json(data)
        return
    table = Table("what", "count", title=f"climatekg ({data['store']} store)")
    table.add_row("entities", str(data["entities"]))
    for kind, n in data["entities_by_kind"].items():
        table.add_row(f"  {kind}", str(n))
    table.add_row("relations", str(data["relations"]))
    for kind, n in data["relations_by_kind"].items():
        table.add_row(f"  {kind}", str(n))
    for source, n in data["sources"].items():
        table.add_row(f"source {source}", f"{n} triples")
    out.print(table)


@app.command()
def show(entity: str, as_json: JsonOpt = False) -> None:
    """One entity: labels, aliases and relations with their evidence."""
    from climatekg.queries.resolve import describe, resolve

    kg = open_kg(read_only=True)
    profile = describe(kg, resolve(kg, entity))
    if as_json:
        print_json(profile)
        return
    out.print(Text.assemble((profile["label"], "bold"), f" ({profile['kind']}, {profile['id']})"))
    for key in ("labels", "aliases", "wikidata", "classification", "description", "date", "country"):
        if profile[key]:
            out.print(f"  {key}: {profile[key]}", markup=False)
    for kind, rows in profile["relations"].items():
        out.print(f"  {kind}:", markup=False)
        for r in rows:
            arrow = "→" if r["direction"] == "out" else "←"
            extra = ", ".join(
                x
                for x in (r["role"], r["start"] and f"from {r['start']}", r["end"] and f"to {r['end']}")
                if x
            )
            out.print(
                f"    {arrow} {r['other_label']} [{r['other']}]{' (' + extra + ')' if extra else ''}",
                markup=False,
            )
            out.print(f"      source {r['source']}, {r['locator'] or ''}: {r['quote'] or ''}", markup=False)


@app.command()
def search(text: str, limit: int = 20, as_json: JsonOpt = False) -> None:
    """Entities with a name (any language, alias) containing TEXT."""
    kg = open_kg(read_only=True)
    rows = []
    for eid in kg.search(text, limit=limit):
        e = kg.entity(eid)
        if e:
            rows.append({"id": e.id, "kind": e.kind.value, "label": e.label})
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(f"{r['id']}\t{r['kind']}\t{r['label']}", markup=False)
    if not rows:
        raise ClimateKGError(f"nothing matches {text!r}")


@app.command()
def validate(as_json: JsonOpt = False) -> None:
    """Check the stored data against the SHACL shapes; violations by entity id."""
    from climatekg.queries.quality import validate as run

    kg = open_kg(read_only=True)
    with err.status("validating with SHACL…"):
        rows = run(kg)
    if as_json:
        print_json(rows)
    else:
        for r in rows:
            out.print(f"{r['entity']}\t{r['path']}\t{r['message']}", markup=False)
        out.print("conforms" if not rows else f"{len(rows)} violations")
    if rows:
        raise typer.Exit(1)


@app.command()
def duplicates(as_json: JsonOpt = False) -> None:
    """Likely duplicate entities (same kind and country, near-identical names); nothing is merged."""
    from climatekg.queries.quality import likely_duplicates

    kg = open_kg(read_only=True)
    with err.status("comparing names…"):
        rows = likely_duplicates(kg)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(f"{r['score']:.3f}\t{r['a']} ({r['a_label']})\t{r['b']} ({r['b_label']})", markup=False)
    out.print(f"{len(rows)} likely duplicate pairs")


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="all, ttl, nt, nq, trig, jsonld, rdf, graphml, gexf or csv (all: every RDF one).",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write, or a directory for a publication.")
    ],
    with_metadata: Annotated[
        bool | None,
        typer.Option(
            "--with-metadata/--no-metadata",
            help="Write ontology.ttl, shapes.ttl and void.ttl beside the dump [yes for a directory].",
        ),
    ] = None,
    download_base: Annotated[
        str | None,
        typer.Option("--download-base", help="URL the dumps will be published at (for VoID and DCAT)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the whole graph in one format, or publish every RDF format with its dataset description."""
    from climatekg.app.exports import export as run

    kg = open_kg(read_only=True)
    with err.status(escape(f"exporting {fmt}…")):
        n = run(kg, fmt, output, with_metadata=with_metadata, download_base=download_base)
    if as_json:
        print_json({"format": fmt, "path": str(output), "items": n})
    else:
        out.print(f"wrote {n} {'edges' if fmt in ('graphml', 'gexf', 'csv') else 'statements'} to {output}")


# Each feature adds its commands from its own module (literal list, in the order shown in --help).
for _module in (query_commands, sparql_commands, neo4j_commands, extract_commands):
    _module.register(app)


def main() -> None:
    """Entry point: errors become one line on stderr and an exit code, never a traceback."""
    try:
        app()  # usage errors are handled by click itself (exit 2 with a usage line)
    except NotFoundError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        for c in exc.candidates:
            err.print(f"  candidate: {c}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except ClimateKGError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except OSError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(1)
