"""The ``climatekg`` command line: thin over loaders/ and queries/, JSON for scripts.

This module builds the Typer app and its global options; each command group lives in its own
module and adds its commands with ``register(app)``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from climatekg.app.cli import data, export, extract, neo4j_transfer, quality, questions, sparql
from climatekg.app.cli.console import err, state
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


# Each command group adds its commands from its own module (literal list, in the order shown in --help).
for _group in (data, quality, export, questions, sparql, neo4j_transfer, extract):
    _group.register(app)


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
