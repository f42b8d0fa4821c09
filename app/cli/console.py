"""What every CLI command shares: the consoles, the global options, opening the store, JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

from climatekg.graph.store import Store
from climatekg.graph.stores import open_store

# markup off: names, paths and quotes come from data and must print as written, never as markup
out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)

state: dict[str, Any] = {}
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def open_kg(*, read_only: bool = False) -> Store:
    """The store the options name (embedded by default)."""
    return open_store(state.get("store"), home=state.get("home"), read_only=read_only)


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8 kept readable."""
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))
