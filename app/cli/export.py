"""CLI command ``export``: the whole graph in one format, or a publication with its description."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from climatekg.app.cli.console import JsonOpt, err, open_kg, out, print_json
from climatekg.app.publish.exports import export as write_export


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
    kg = open_kg(read_only=True)
    with err.status(escape(f"exporting {fmt}…")):
        n = write_export(kg, fmt, output, with_metadata=with_metadata, download_base=download_base)
    if as_json:
        print_json({"format": fmt, "path": str(output), "items": n})
    else:
        out.print(f"wrote {n} {'edges' if fmt in ('graphml', 'gexf', 'csv') else 'statements'} to {output}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(export)
