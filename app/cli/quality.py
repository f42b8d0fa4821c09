"""CLI commands that check the data: validate (SHACL) and duplicates."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from climatekg.app.cli.console import JsonOpt, err, open_kg, out, print_json
from climatekg.queries.quality import likely_duplicates
from climatekg.queries.quality import validate as shacl_violations


class Engine(StrEnum):
    """Which SHACL engine ``climatekg validate`` runs (``queries.quality.ENGINES``)."""

    SPARQL = "sparql"
    PYSHACL = "pyshacl"


def validate(
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="sparql: the shapes compiled to SPARQL, run by Oxigraph (seconds); "
            "pyshacl: the reference validator, same rows (minutes on large stores).",
        ),
    ] = Engine.SPARQL,
    as_json: JsonOpt = False,
) -> None:
    """Check the stored data against the SHACL shapes; violations by entity id."""
    kg = open_kg(read_only=True)
    with err.status(f"validating with SHACL ({engine.value})…"):
        rows = shacl_violations(kg, engine=engine.value)
    if as_json:
        print_json(rows)
    else:
        for r in rows:
            out.print(f"{r['entity']}\t{r['path']}\t{r['message']}", markup=False)
        out.print("conforms" if not rows else f"{len(rows)} violations")
    if rows:
        raise typer.Exit(1)


def duplicates(
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Least name similarity reported (0–1).")
    ] = 0.92,
    as_json: JsonOpt = False,
) -> None:
    """Likely duplicate entities (same kind and country, near-identical names, not far apart when
    located); each pair with its score and reason; nothing is merged."""
    kg = open_kg(read_only=True)
    with err.status("comparing names…"):
        rows = likely_duplicates(kg, min_score=min_score)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        out.print(
            f"{r['score']:.3f}\t{r['a']} ({r['a_label']})\t{r['b']} ({r['b_label']})\t{r['reason']}",
            markup=False,
        )
    out.print(f"{len(rows)} likely duplicate pairs")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    for command in (validate, duplicates):
        app.command()(command)
