"""The README documents every command, loader and store (a test fails when one is missing)."""

from __future__ import annotations

import typer
from conftest import ROOT

from climatekg.app.cli.main import app
from climatekg.loaders.registry import LOADERS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__.replace("_", "-")) for c in group.registered_commands]
    for sub in group.registered_groups:
        name = sub.name if isinstance(sub.name, str) else sub.typer_instance.info.name
        names += _commands(sub.typer_instance, f"{prefix}{name} ")
    return names


def test_every_command_is_in_the_readme() -> None:
    missing = [c for c in _commands(app) if f"climatekg {c}" not in README]
    assert not missing


def test_every_loader_is_in_the_readme() -> None:
    assert [name for name in LOADERS if f"`{name}`" not in README] == []


def test_both_stores_and_the_two_commands_are_in_the_readme() -> None:
    for text in ("**embedded**", "**neo4j**", "make app", "make test"):
        assert text in README
