"""The wheel installs one namespace (climatekg.*) and works in a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("climatekg-*.whl"))


def test_the_wheel_holds_only_the_climatekg_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"climatekg", next(t for t in tops if t.endswith(".dist-info"))}
    for part in (
        "graph/ontology.ttl",
        "graph/shapes.ttl",
        "data/iclei-shenzhen-mou-cop21.yaml",
        "app/cli/main.py",
        "app/sparql/server.py",
        "app/explorer/main.py",
        "app/explorer/server.py",
        "app/explorer/pages/profile.py",
        "app/explorer/static/world-land-110m.json",
    ):
        assert f"climatekg/{part}" in names


def test_climatekg_runs_from_the_wheel_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = str(venv / "bin/python")
    purelib = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Dependencies come from the project's venv as a plain path entry (so its editable hook for
    # climatekg is not loaded); climatekg itself only from the wheel.
    (Path(purelib) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True, timeout=300
    )

    helped = subprocess.run(
        [str(venv / "bin/climatekg"), "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert helped.returncode == 0 and "load" in helped.stdout, helped.stderr
    where = subprocess.run(
        [py, "-c", "import climatekg.graph as g; print(g.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(purelib), where.stdout
    loaded = subprocess.run(
        [str(venv / "bin/climatekg"), "--home", str(tmp_path / "kg"), "load", "--bundled"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr
