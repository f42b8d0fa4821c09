"""CLI commands that load the data and look at it: load, stats, show, search."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from climatekg.app.cli.console import JsonOpt, err, open_kg, out, print_json
from climatekg.app.cli.transaction import all_or_nothing
from climatekg.data import bundled_files
from climatekg.graph.errors import ClimateKGError
from climatekg.loaders.identity import Identities
from climatekg.loaders.registry import LOADERS, accepted_options, detect_loader, files_in
from climatekg.queries.resolve import describe, resolve


def load(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to load (YAML, CSV, RDF, GraphML, GEXF, text)."),
    ] = None,
    loader: Annotated[
        str | None, typer.Option(help="Loader name; detected from the file when omitted.")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping KEY=COLUMN, e.g. source=from or initiative=networks."),
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Kind of the file's nodes/members when no column says.")
    ] = None,
    separator: Annotated[
        str | None, typer.Option(help="Separator of a multi-valued initiative column (memberships: ';').")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="utf-8 (default), auto (detect, line by line) or a codec name.")
    ] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the bundled data first.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load sources into the store: all files or none, reloading an unchanged file is a no-op.

    A folder loads every file it has a loader for, in dependency order; the rest are listed as skipped.
    """
    if loader and loader not in LOADERS:
        raise ClimateKGError(f"unknown loader {loader!r} (one of {', '.join(LOADERS)})")
    files: list[tuple[Path, str]] = [(p, "curated") for p in (bundled_files() if bundled else [])]
    skipped: list[tuple[Path, str]] = []
    for path in paths or []:
        if path.is_dir():
            found, left = files_in(path)
            files += [(p, loader or name) for p, name in found]
            skipped += left
        else:
            files.append((path, loader or detect_loader(path)))
    if not files:
        raise ClimateKGError("nothing to load: name files or folders, or use --bundled")
    given = {
        "mapping": _column_mapping(mapping or []),
        "default_kind": kind,
        "separator": separator,
        "encoding": encoding,
    }
    flags = {
        "mapping": "--map",
        "default_kind": "--kind",
        "separator": "--separator",
        "encoding": "--encoding",
    }
    for option, value in given.items():
        if value and not any(option in accepted_options(name) for _, name in files):
            if option == "mapping":
                raise ClimateKGError(
                    "--map names columns, and no file here is an edge list or a membership table"
                )
            used = ", ".join(sorted({n for _, n in files}))
            raise ClimateKGError(f"{flags[option]} applies to none of the loaders here ({used})")
    kg = open_kg()
    identities = Identities(kg)
    reports = []
    with (
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json,
        ) as progress,
        all_or_nothing(kg) as written,
    ):
        task = progress.add_task("loading", total=len(files))
        for path, name in files:
            progress.update(task, description=escape(f"{name}: {path.name}"))
            accepted = accepted_options(name)
            options: dict[str, Any] = {"store": kg}
            options.update({k: v for k, v in given.items() if v and k in accepted})
            if "identities" in accepted:
                options["identities"] = identities
            if "progress" in accepted:
                rows = progress.add_task(escape(f"reading {path.name}"), total=None)
                options["progress"] = lambda done, total, rows=rows: progress.update(
                    rows, completed=done, total=total
                )
            batch = LOADERS[name](path, **options)
            progress.update(task, description=escape(f"writing {path.name}"))
            written(batch.source.id)
            report = kg.load(batch)
            reports.append(report.__dict__ | {"path": str(path), "loader": name, "notes": batch.notes})
            progress.advance(task)
    kg.close()
    if as_json:
        print_json([*reports, *({"path": str(p), "skipped": reason} for p, reason in skipped)])
        return
    for r in reports:
        state = "loaded" if r["changed"] else "unchanged"
        out.print(f"{state} {r['path']} → source {r['source']} ({r['triples']} triples)")
        for note in r["notes"]:
            out.print(f"  {note}")
    for path, reason in skipped:
        out.print(f"skipped {path}: {reason}")


def _column_mapping(entries: list[str]) -> dict[str, str]:
    """``--map KEY=COLUMN`` entries as a dict; an entry without ``=`` is refused."""
    columns = {}
    for entry in entries:
        key, sep, column = entry.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise ClimateKGError(f"--map {entry!r}: expected KEY=COLUMN, e.g. source=from")
        columns[key.strip()] = column.strip()
    return columns


def stats(as_json: JsonOpt = False) -> None:
    """Counts of entities, relations and sources."""
    kg = open_kg(read_only=True)
    data = kg.stats()
    if as_json:
        print_json(data)
        return
    table = Table("what", "count", title=f"climatekg ({data['store']} store)")
    table.add_row("entities", str(data["entities"]))
    for kind, n in cast(dict[str, int], data["entities_by_kind"]).items():
        table.add_row(f"  {kind}", str(n))
    table.add_row("relations", str(data["relations"]))
    for kind, n in cast(dict[str, int], data["relations_by_kind"]).items():
        table.add_row(f"  {kind}", str(n))
    for source, n in cast(dict[str, int], data["sources"]).items():
        table.add_row(f"source {source}", f"{n} triples")
    out.print(table)


def show(entity: str, as_json: JsonOpt = False) -> None:
    """One entity: labels, aliases and relations with their evidence."""
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
    merges = profile["merges"]
    if merges:
        out.print("  merged into this entity:", markup=False)
        for m in merges:
            why = f": {m['evidence']}" if m["evidence"] else ""
            out.print(f"    {m['record']} (source {m['source']}){why}", markup=False)


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


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    for command in (load, stats, show, search):
        app.command()(command)
