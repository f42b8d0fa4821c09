"""Fault injection: a load that fails or is killed at any moment leaves exactly the old or exactly the new store.

Each case loads version 1 of a source, then reloads version 2 (or loads a first version into an
empty store) and stops it: a hook that raises or sends SIGKILL at a named step of the switch,
SIGKILL from outside after a delay.
The store is then opened again (which removes what the interrupted load left) and its sorted
N-Quads are compared with the two states an uninterrupted run produces. The load time
(``prov:generatedAtTime``) is the only statement allowed to differ between runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from store_states import state as _state
from store_states import write_version as _write_version

from climatekg.graph import vocab as v
from climatekg.graph.stores import replace
from climatekg.graph.stores.embedded import TRANSACTION_LIMIT, EmbeddedStore
from climatekg.loaders.rdf import load_rdf

STEPS_FIRST = ["first-load", "first-load-data", "first-load-record"]
STEPS_SWAP = ["staged", "swap", "swapped"]

SCRIPT = """
import os, signal, sys
from pathlib import Path
from climatekg.graph import vocab as v
from climatekg.graph.stores import replace
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.rdf import load_rdf
home, path, mode, arg = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
kill = lambda: os.kill(os.getpid(), signal.SIGKILL)
if mode == "step":
    replace.FAULT = lambda step: kill() if step == arg else None
kg = EmbeddedStore(home)
kg.load(load_rdf(path, source_id="src"))
kg.close()
print("done")
"""


def _run(home: Path, path: Path, mode: str, arg: str, *, kill_after: float | None = None) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(home), str(path), mode, arg],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=600)
    return proc.returncode


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Two versions of one source (large enough for the bulk path) and the states they produce."""
    root = tmp_path_factory.mktemp("atomic")
    n = TRANSACTION_LIMIT + 2_000
    v1, v2 = _write_version(root / "v1.nt", n, 0), _write_version(root / "v2.nt", n, n // 2)
    empty, old, new = root / "empty", root / "old", root / "new"
    EmbeddedStore(empty).close()
    for home, files in ((old, [v1]), (new, [v1, v2])):
        kg = EmbeddedStore(home)
        for f in files:
            kg.load(load_rdf(f, source_id="src"))
        kg.close()
    return {"v1": v1, "v2": v2, "empty": _state(empty), "old": _state(old), "new": _state(new), "root": root}


def _home_with_v1(versions, name: str) -> Path:
    home = versions["root"] / name
    kg = EmbeddedStore(home)
    kg.load(load_rdf(versions["v1"], source_id="src"))
    kg.close()
    return home


def test_the_two_versions_differ_so_the_checks_can_tell_old_from_new(versions):
    assert versions["old"] != versions["new"] != versions["empty"]
    assert any("\u2028" in line or "\\u2028" in line for line in versions["new"])


@pytest.mark.parametrize("step", STEPS_SWAP)
def test_a_reload_killed_at_each_step_leaves_old_or_new(versions, step):
    home = _home_with_v1(versions, f"kill-{step}")
    assert _run(home, versions["v2"], "step", step) == -signal.SIGKILL
    state = _state(home)
    expected = versions["new"] if step == "swapped" else versions["old"]
    assert state == expected
    assert not list(home.glob("tmp*.nt"))


@pytest.mark.parametrize("step", STEPS_FIRST)
def test_a_first_load_killed_at_each_step_leaves_nothing_or_everything(versions, step):
    home = versions["root"] / f"first-{step}"
    EmbeddedStore(home).close()
    assert _run(home, versions["v1"], "step", step) == -signal.SIGKILL
    state = _state(home)
    assert state == (versions["old"] if step == "first-load-record" else versions["empty"])


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5, 4.0, 6.0])
def test_a_reload_killed_from_outside_at_any_moment_leaves_old_or_new(versions, delay):
    home = _home_with_v1(versions, f"timer-{delay}")
    _run(home, versions["v2"], "none", "", kill_after=delay)
    assert _state(home) in (versions["old"], versions["new"])


@pytest.mark.parametrize("step", STEPS_SWAP + STEPS_FIRST)
def test_a_step_that_raises_leaves_old_or_new(versions, step, tmp_path, monkeypatch):
    home = _home_with_v1(versions, f"raise-{step}")

    def fail(name: str) -> None:
        if name == step:
            raise OSError(f"injected failure at {name}")

    monkeypatch.setattr(replace, "FAULT", fail)
    kg = EmbeddedStore(home)
    try:
        kg.load(load_rdf(versions["v2"], source_id="src"))
        raised = False
    except OSError:
        raised = True
    kg.close()
    monkeypatch.setattr(replace, "FAULT", None)
    # first-load steps are never reached on a reload: the load completes
    assert raised == (step in STEPS_SWAP)
    assert _state(home) == (versions["new"] if step in ("swapped", *STEPS_FIRST) else versions["old"])


def test_a_reader_polling_during_reloads_never_sees_the_source_missing(versions):
    home = _home_with_v1(versions, "reader")
    kg = EmbeddedStore(home)
    seen: list[int] = []
    missing: list[int] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            ids = [s.id for s in kg.sources()]
            seen.append(len(ids))
            if ids != ["src"]:
                missing.append(len(seen))

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for f in ("v2", "v1", "v2"):
            kg.load(load_rdf(versions[f], source_id="src"))
    finally:
        done.set()
        reader.join()
        kg.close()
    assert len(seen) > 3
    assert missing == []


def test_leftover_temporary_files_are_removed_on_the_next_open(tmp_path):
    EmbeddedStore(tmp_path).close()
    (tmp_path / "tmpabc123.nt").write_text("<a> <b> <c> .\n")
    EmbeddedStore(tmp_path).close()
    assert not list(tmp_path.glob("tmp*.nt"))
    assert os.path.isdir(tmp_path / "store")


def test_the_load_record_size_is_what_a_load_writes_about_its_graph(versions, tmp_path):
    home = _home_with_v1(versions, "record")
    kg = EmbeddedStore(home)
    graph = ox.NamedNode(v.graph_iri("src", kg.base))
    about_graph = list(kg.oxigraph().quads_for_pattern(graph, None, None, graph))
    kg.close()
    assert len(about_graph) == replace.LOAD_RECORD_QUADS


def test_the_committed_version_changes_with_each_commit_and_a_reader_sees_it(versions, tmp_path):
    home = tmp_path / "home"
    reader_before = EmbeddedStore(home, read_only=True)
    writer = EmbeddedStore(home)
    first = writer.committed_version()
    writer.load(load_rdf(versions["v1"], source_id="src"))
    second = writer.committed_version()
    writer.close()
    assert len({first, second}) == 2
    # a reader opened before the load still reads the old data, but sees that a newer one is committed
    assert reader_before.sources() == []
    assert reader_before.committed_version() != first
    reader_before.close()
