"""Every kind of bad input: a one-line error naming the file and line, exit 1, store unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_cli, snapshot

from climatekg.graph.stores.embedded import EmbeddedStore

ENTITIES_HEADER = "kind,label,id\n"


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


CASES = {
    # name: (file name, content, text the error must contain, line it must name or None)
    "malformed csv": (
        "bad.csv",
        ENTITIES_HEADER + 'City,"Shen\nzhen,x\nCity,"unclosed\n',
        "malformed CSV",
        None,
    ),
    "short csv row": (
        "short.csv",
        ENTITIES_HEADER + "City,Shenzhen,city/shenzhen\nCity,Paris\n",
        "expected 3 columns",
        3,
    ),
    "malformed yaml": (
        "bad.yaml",
        "source:\n  id: s\n  title: [unclosed\nentities: []\n",
        "malformed YAML",
        None,
    ),
    "malformed turtle": (
        "bad.ttl",
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n",
        "",
        3,
    ),
    "unknown column": ("col.csv", "kind,label,colour\nCity,Shenzhen,red\n", "unknown column 'colour'", 1),
    "missing twin column": ("twins.csv", "city1,country1,city2\nA,B,C\n", "missing column 'country2'", 1),
    "unknown kind": ("kind.csv", ENTITIES_HEADER + "Planet,Mars,\n", "unknown entity kind 'Planet'", 2),
    "unknown relation target": (
        "rel.yaml",
        "source: {id: s, title: t}\nentities:\n  - {kind: City, label: Shenzhen}\n"
        "relations:\n  - {subject: city/shenzhen, kind: member_of, object: initiative/nowhere}\n",
        "unknown entity 'initiative/nowhere'",
        None,
    ),
    "one id two kinds": (
        "twokinds.csv",
        ENTITIES_HEADER + "City,Shenzhen,x/shenzhen\nOrganisation,Shenzhen,x/shenzhen\n",
        "is both City and Organisation",
        None,
    ),
    "latin-1": ("latin1.csv", (ENTITIES_HEADER + "City,Bérat,\n").encode("latin-1"), "not valid UTF-8", 2),
    "mixed encoding": (
        "mixed.csv",
        (ENTITIES_HEADER + "City,Bérat,\n").encode("utf-8") + "City,Orléans,\n".encode("latin-1"),
        "not valid UTF-8",
        3,
    ),
    "empty": ("empty.csv", "", "empty", None),
    "binary": ("blob.ttl", bytes(range(256)) * 10, "binary", None),
    "bad date": (
        "date.yaml",
        "source: {id: s, title: t}\nentities:\n  - {kind: Event, label: COP21, date: 2015-13}\n",
        "date",
        3,
    ),
}


@pytest.fixture
def loaded_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    run_cli("load", "--bundled", str(_good_file(tmp_path)), home=home, check=True)
    return home


def _good_file(tmp_path: Path) -> Path:
    return _write(tmp_path / "good.csv", ENTITIES_HEADER + "City,Good City,\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    case: str, tmp_path: Path, loaded_home: Path
) -> None:
    name, content, reason, line = CASES[case]
    path = _write(tmp_path / name, content)
    kg = EmbeddedStore(loaded_home, read_only=True)
    before = snapshot(kg)
    kg.close()

    proc = run_cli("load", str(path), home=loaded_home)

    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {path}"), lines[0]
    assert reason in lines[0]
    if line is not None:
        assert f"{path}:{line}:" in lines[0]
    assert "Traceback" not in proc.stderr
    kg = EmbeddedStore(loaded_home, read_only=True)
    assert snapshot(kg) == before
    kg.close()


def test_a_file_that_replaces_a_source_with_an_error_keeps_the_old_version(
    tmp_path: Path, loaded_home: Path
) -> None:
    good = tmp_path / "good.csv"
    kg = EmbeddedStore(loaded_home, read_only=True)
    before = snapshot(kg)
    kg.close()
    _write(good, ENTITIES_HEADER + "City,Other City,\nCity,Broken,\nRiver,Seine,\n")
    proc = run_cli("load", str(good), home=loaded_home)
    assert proc.returncode == 1 and f"{good}:4:" in proc.stderr
    kg = EmbeddedStore(loaded_home, read_only=True)
    assert snapshot(kg) == before
    kg.close()


@pytest.mark.slow
def test_a_200_mb_file_is_streamed_and_an_error_at_its_end_names_the_line(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "big.nt"
    line = '<http://example.org/s{0}> <http://example.org/p> "a literal long enough to make lines of a hundred bytes, {0}" .\n'
    size = 0
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        while size < 200 * 1024 * 1024:
            text = line.format(n)
            f.write(text)
            size += len(text)
            n += 1
        f.write("<http://example.org/broken> <http://example.org/p> .\n")
    run_cli("load", "--bundled", home=home, check=True)
    measure = (
        # VmHWM, not ru_maxrss: Linux carries the forking parent's peak into a child's ru_maxrss
        "import atexit, re, sys\n"
        "hwm = lambda: re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "atexit.register(lambda: print('PEAK_KIB', hwm(), file=sys.stderr))\n"
        "from climatekg.app.cli.main import main\n"
        f"sys.argv = ['climatekg', '--home', {str(home)!r}, 'load', {str(path)!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, timeout=600)

    assert proc.returncode == 1
    error, peak = proc.stderr.strip().splitlines()
    assert f"{path}:{n + 1}:" in error, proc.stderr
    # streamed: the process never holds the 200 MB file (or its 2M triples) in memory
    assert int(peak.split()[1]) < 400 * 1024, peak
    kg = EmbeddedStore(home, read_only=True)
    assert "big-nt" not in kg.stats()["sources"]
    kg.close()
