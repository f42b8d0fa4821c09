"""Who the Neo4j store logs in as.

Credentials come from ``NEO4J_USER``/``NEO4J_PASSWORD`` (and ``NEO4J_DATABASE``) or, when those
are unset, from ``$XDG_CONFIG_HOME/climatekg/neo4j.toml`` (``~/.config/…``; ``CLIMATEKG_NEO4J_CONFIG``
names another file). The password is handed to the driver and to nothing else: it is never
printed, logged or put in an error message.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from climatekg.graph.errors import StoreError


@dataclass(frozen=True)
class Credentials:
    """Who to log in as. ``origin`` says where they came from; the password is never shown."""

    user: str
    password: str | None = field(repr=False)
    database: str | None = None
    origin: str = "defaults"


def config_path() -> Path:
    """The credentials file: ``CLIMATEKG_NEO4J_CONFIG`` or ``$XDG_CONFIG_HOME/climatekg/neo4j.toml``."""
    named = os.environ.get("CLIMATEKG_NEO4J_CONFIG")
    if named:
        return Path(named)
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "climatekg" / "neo4j.toml"


def load_credentials() -> Credentials:
    """``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE`` if set, else the config file, else none.

    The file holds ``user = "neo4j"``, ``password = "…"`` and optionally ``database = "…"``
    (top level or under a ``[neo4j]`` table). Without a password the driver connects without
    auth, which a server with auth on refuses.
    """
    if "NEO4J_PASSWORD" in os.environ or "NEO4J_USER" in os.environ:
        return Credentials(
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD"),
            os.environ.get("NEO4J_DATABASE") or None,
            "the NEO4J_USER/NEO4J_PASSWORD environment variables",
        )
    path = config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            # the parser's message names a line and column, never the file's content
            raise StoreError(f"{path}: not valid TOML ({str(exc).splitlines()[0]})") from None
        table = data.get("neo4j", data)
        password = table.get("password")
        if password is not None and not isinstance(password, str):
            raise StoreError(f"{path}: password must be a string")
        return Credentials(
            str(table.get("user", "neo4j")),
            password,
            os.environ.get("NEO4J_DATABASE") or table.get("database") or None,
            f"the config file {path}",
        )
    return Credentials("neo4j", None, os.environ.get("NEO4J_DATABASE") or None, "no credentials (auth off)")
