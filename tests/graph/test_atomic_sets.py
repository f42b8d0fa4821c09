"""Fault injection for a multi-file load (``climatekg load A B``): killed or failing at any moment,
the store is exactly as before the command or exactly as after it.

Two sources, ``a`` and ``b``, each large enough for the bulk path. "old" holds version 1 of both
(or of ``a`` alone), "new" what an uninterrupted ``load A B`` of version 2 leaves. Kills come from
a hook at a named step (of the set's checkpoint, or of the second source's write, i.e. after
the first source's statements were all written) and from outside after a delay; the store is
then opened again as the next user would, and its sorted N-Quads compared.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_states import state as _state
from store_states import write_version as _write_version

from climatekg.graph.errors import LoadError
from climatekg.graph.stores import checkpoint
from climatekg.graph.stores.embedded import TRANSACTION_LIMIT, EmbeddedStore
from climatekg.loaders.rdf import load_rdf

N = TRANSACTION_LIMIT + 2_000

SCRIPT = """
import os, signal, sys
from pathlib import Path
from climatekg.graph.stores import checkpoint, replace
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.rdf import load_rdf
home, folder, hook, step = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
name, _, nth = step.partition("#")
seen = []
def fault(s):
    seen.append(s)
    if s == name and seen.count(s) == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
setattr(checkpoint if hook == "checkpoint" else replace, "FAULT", fault)
kg = EmbeddedStore(home)
with kg.load_set():
    for f in ("a.nt", "b.nt"):
        kg.load(load_rdf(folder / f, store=kg))
kg.close()
"""


def _versions(root: Path) -> dict[str, Path]:
    folders = {}
    for name, shift in (("v1", 0), ("v2", N // 2)):
        folder = root / name
        folder.mkdir()
        _write_version(folder / "a.nt", N, shift)
        _write_version(folder / "b.nt", N, shift + 7)
        folders[name] = folder
    return folders


def _cli_load(home: Path, *files: Path, kill_after: float | None = None) -> int:
    cmd = [sys.executable, "-m", "climatekg.app", "--home", str(home), "load", *map(str, files)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=600)
    return proc.returncode


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """Version folders and the states an uninterrupted CLI produces from them."""
    root = tmp_path_factory.mktemp("atomic-sets")
    v = _versions(root)
    states = {}
    for label, steps in {
        "old": [[v["v1"] / "a.nt", v["v1"] / "b.nt"]],
        "new": [[v["v1"] / "a.nt", v["v1"] / "b.nt"], [v["v2"] / "a.nt", v["v2"] / "b.nt"]],
        "a-only": [[v["v1"] / "a.nt"]],
    }.items():
        home = root / f"state-{label}"
        for files in steps:
            assert _cli_load(home, *files) == 0
        states[label] = _state(home)
    return {"root": root, **v, **states}


def _home(sets, name: str, *files: Path) -> Path:
    home = sets["root"] / name
    assert _cli_load(home, *files) == 0
    return home


def test_the_states_differ_so_the_checks_can_tell_them_apart(sets):
    states = [sets[k] for k in ("old", "new", "a-only")]
    assert len({tuple(s) for s in states}) == 3
    # each state holds both sources' graphs, or only a's
    assert any("/graph/b-nt>" in line for line in sets["new"])
    assert not any("/graph/b-nt>" in line for line in sets["a-only"])


STEPS = [
    ("checkpoint", "checkpoint", "old"),
    ("checkpoint", "checkpointed", "old"),
    ("replace", "staged#1", "old"),
    ("replace", "swapped#1", "old"),  # a is replaced, b not yet
    ("replace", "staged#2", "old"),
    ("replace", "swap#2", "old"),
    ("replace", "swapped#2", "old"),  # both written, the set not committed
    ("checkpoint", "commit", "old"),
    ("checkpoint", "committed", "new"),
]


@pytest.mark.parametrize(("hook", "step", "expected"), STEPS)
def test_a_two_file_reload_killed_at_each_step_leaves_old_or_new(sets, hook, step, expected):
    home = _home(sets, f"kill-{step}", sets["v1"] / "a.nt", sets["v1"] / "b.nt")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(home), str(sets["v2"]), hook, step],
        capture_output=True,
        timeout=600,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert _state(home) == sets[expected]
    assert sorted(p.name for p in home.iterdir()) == ["store", "write.lock"]


@pytest.mark.parametrize("step", ["first-load-data", "first-load-record"])
def test_a_set_adding_a_source_killed_during_its_first_load_leaves_old(sets, step):
    home = _home(sets, f"first-{step}", sets["v1"] / "a.nt")
    folder = sets["root"] / f"mixed-{step}"
    folder.mkdir()
    for name, version in (("a.nt", "v2"), ("b.nt", "v1")):
        (folder / name).write_bytes((sets[version] / name).read_bytes())
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(home), str(folder), "replace", step],
        capture_output=True,
        timeout=600,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert _state(home) == sets["a-only"]


@pytest.mark.parametrize("delay", [1.0, 2.5, 4.0, 6.0, 9.0])
def test_load_a_b_killed_from_outside_at_any_moment_leaves_old_or_new(sets, delay):
    home = _home(sets, f"timer-{delay}", sets["v1"] / "a.nt", sets["v1"] / "b.nt")
    _cli_load(home, sets["v2"] / "a.nt", sets["v2"] / "b.nt", kill_after=delay)
    assert _state(home) in (sets["old"], sets["new"])


def test_a_set_whose_second_file_fails_leaves_old_and_the_store_usable(sets, tmp_path):
    home = _home(sets, "fails", sets["v1"] / "a.nt", sets["v1"] / "b.nt")
    bad = tmp_path / "b.nt"
    bad.write_text((sets["v2"] / "b.nt").read_text(encoding="utf-8") + "<http://e/x> <http://e/p> .\n")
    kg = EmbeddedStore(home)
    with pytest.raises(LoadError), kg.load_set():
        kg.load(load_rdf(sets["v2"] / "a.nt", store=kg))
        kg.load(load_rdf(bad, store=kg))
    assert [s.id for s in kg.sources()] == ["a-nt", "b-nt"]  # the same object reads the restored store
    kg.close()
    assert _state(home) == sets["old"]


def test_a_second_writer_is_refused_while_a_load_holds_the_store(tmp_path):
    kg = EmbeddedStore(tmp_path)
    with pytest.raises(Exception, match="another process is writing"):
        EmbeddedStore(tmp_path)
    kg.close()
    EmbeddedStore(tmp_path).close()


def test_a_checkpoint_left_by_a_killed_set_is_restored_by_the_next_writer_only(sets):
    home = _home(sets, "restore", sets["v1"] / "a.nt", sets["v1"] / "b.nt")
    kg = EmbeddedStore(home)
    checkpoint.begin(kg.oxigraph(), home)
    kg.load(load_rdf(sets["v2"] / "a.nt", store=kg))
    kg.close()  # as if killed here: the checkpoint was not committed
    reader = EmbeddedStore(home, read_only=True)
    assert (home / "undo").is_dir()  # a reader leaves it for the next writer
    reader.close()
    assert _state(home) == sets["old"]
    assert not (home / "undo").exists()
