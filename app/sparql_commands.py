"""CLI commands: sparql and serve: SPARQL over the store and the SPARQL 1.1 endpoint."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
