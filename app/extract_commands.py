"""CLI commands: extract: candidate facts from press-release text, and their review."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
