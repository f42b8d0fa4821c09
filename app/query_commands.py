"""CLI commands: path, gaps, neighbours, centrality, communities (issue: paths and gaps)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
