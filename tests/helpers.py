"""Small helpers the tests share: run the CLI in-process, snapshot a store."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pyoxigraph as ox
import uvicorn

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
    and one-line errors are exactly what a user sees. Tests that need a real process (a server
    stopped by a signal) start ``python -m climatekg.app`` themselves.
    """
    argv = ["climatekg", *(["--home", str(home)] if home else []), *args]
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    try:
        with (
            mock.patch.dict(os.environ, env or {}),
            mock.patch.object(sys, "argv", argv),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        gc.collect()  # drop stores a failed command left open, as the end of a process would
    result = CliResult(argv, code, stdout.getvalue(), stderr.getvalue())
    if check and result.returncode != 0:
        raise AssertionError(f"{argv} failed ({result.returncode}): {result.stderr}")
    return result


def snapshot(kg: Any) -> tuple[dict[str, object], list[str]]:
    """Stats plus every quad, canonically sorted: equal snapshots mean an unchanged store."""
    quads = sorted(str(q) for q in kg.oxigraph().quads_for_pattern(None, None, None, None))
    return kg.stats(), quads


def oxigraph_count(path: Path, fmt: ox.RdfFormat) -> int:
    """Triples in an RDF file, counted by parsing it directly (an independent count)."""
    return sum(1 for _ in ox.parse(path=str(path), format=fmt))


@contextlib.contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve the ASGI ``app`` with uvicorn in a thread on a free 127.0.0.1 port; yields the base URL.

    Returns once the lifespan has run and the port accepts connections; the server is stopped
    (and its thread joined) on leaving. uvicorn binds the port itself: handing it a pre-bound
    socket (``sockets=``) costs 40 ms per request here (Nagle and delayed ACKs), which would
    distort every timing. A port taken between the probe and the bind is retried.
    """
    for _attempt in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        if server.started:
            break
        server.should_exit = True
        thread.join(timeout=30)
    else:
        raise RuntimeError("the server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    if thread.is_alive():  # checked after a clean exit only, so it never hides a test's own error
        raise RuntimeError(f"the server on port {port} did not stop within 30 s")
