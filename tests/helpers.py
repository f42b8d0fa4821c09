"""Small helpers the tests share: run the CLI in-process, snapshot a store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox
import pytest


def run_cli(*args: str, home: Path | None = None, check: bool = False, env: dict[str, str] | None = None):
    """Run ``climatekg`` as a user would (a separate process); returns the CompletedProcess."""
    import os

    cmd = [sys.executable, "-m", "climatekg.app", *(["--home", str(home)] if home else []), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} failed ({proc.returncode}): {proc.stderr}")
    return proc


def snapshot(kg: Any) -> tuple[dict[str, object], list[str]]:
    """Stats plus every quad, canonically sorted: equal snapshots mean an unchanged store."""
    quads = sorted(str(q) for q in kg.oxigraph().quads_for_pattern(None, None, None, None))
    return kg.stats(), quads


def oxigraph_count(path: Path, fmt: ox.RdfFormat) -> int:
    """Triples in an RDF file, counted by parsing it directly (an independent count)."""
    return sum(1 for _ in ox.parse(path=str(path), format=fmt))


def unavailable(reason: str) -> NoReturn:
    """A missing server, browser, JVM or data file: a failure under CI=true, a skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (under CI=true nothing may be skipped)")
    pytest.skip(reason)
