"""Small helpers the tests share: run the CLI in-process, snapshot a store."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from unittest import mock

import pyoxigraph as ox
import pytest

from climatekg.app.cli.main import main


@dataclass
class CliResult:
    """What a run of ``climatekg`` left: its exit code and what it printed."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, home: Path | None = None, check: bool = False, env: dict[str, str] | None = None):
    """Run ``climatekg`` in this process, through the same ``main()`` the installed command calls.

    ``sys.argv``, the environment and the standard streams are swapped for the call, so exit codes
    and one-line errors are exactly what a user sees. Use ``run_cli_process`` where a test needs a
    real process (signals, a separate interpreter, start-up).
    """
    argv = ["climatekg", *(["--home", str(home)] if home else []), *args]
    stdout, stderr = io.StringIO(), io.StringIO()
    saved_env = dict(os.environ)
    code: int = 0
    try:
        os.environ.update(env or {})
        with (
            mock.patch.object(sys, "argv", argv),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        gc.collect()  # drop stores a failed command left open, as the end of a process would
    result = CliResult(argv, code, stdout.getvalue(), stderr.getvalue())
    if check and result.returncode != 0:
        raise AssertionError(f"{argv} failed ({result.returncode}): {result.stderr}")
    return result


def run_cli_process(
    *args: str, home: Path | None = None, check: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``climatekg`` as a separate process, exactly as a user would."""
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
