"""The shape of the code: imports point one way, no cycles (hidden ones included), small modules.

grimp reads every import statement of the installed package, those inside functions included,
so a cycle hidden by a function-level import is still a cycle here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("app", "queries", "loaders", "graph")
#: What each top-level part may import from the project (app → queries → graph ← loaders).
ALLOWED = {
    "app": {"app", "queries", "loaders", "graph", "data"},
    "queries": {"queries", "graph"},
    "loaders": {"loaders", "graph"},
    "graph": {"graph"},
    "data": {"data"},
}
MAX_LINES = 500


@pytest.fixture(scope="module")
def imports() -> nx.DiGraph:
    graph = grimp.build_graph(
        *(f"climatekg.{part}" for part in ALLOWED), include_external_packages=False, cache_dir=None
    )
    G = nx.DiGraph()
    for module in graph.modules:
        G.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            G.add_edge(module, imported)
    return G


def _part(module: str) -> str:
    return module.split(".")[1]


def test_the_graph_covers_every_part(imports: nx.DiGraph) -> None:
    assert {_part(m) for m in imports} == set(ALLOWED)
    assert len(imports) > 40  # the real tree, not an empty scan


def test_imports_point_one_way(imports: nx.DiGraph) -> None:
    wrong = sorted(f"{a} -> {b}" for a, b in imports.edges if _part(b) not in ALLOWED[_part(a)])
    assert not wrong, wrong


def test_there_are_no_import_cycles(imports: nx.DiGraph) -> None:
    # a package's __init__ importing its own submodules is how it exports them, not a cycle of jobs;
    # only that direction is dropped (a submodule importing its package is caught below and here)
    edges = [(a, b) for a, b in imports.edges if not b.startswith(a + ".")]
    cycles = [sorted(c) for c in nx.strongly_connected_components(nx.DiGraph(edges)) if len(c) > 1]
    assert not cycles, cycles


def test_no_module_imports_a_package_it_sits_in(imports: nx.DiGraph) -> None:
    """A submodule importing its own (or an ancestor) package runs that package's __init__, which
    imports the submodule back: a cycle, whether or not the __init__ exports it today."""
    upward = sorted(f"{a} -> {b}" for a, b in imports.edges if a.startswith(b + "."))
    assert not upward, upward


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for part in LAYERS
        for path in (ROOT / part).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


@pytest.mark.parametrize("path", [p for part in LAYERS for p in sorted((ROOT / part).rglob("*.py"))], ids=str)
def test_the_projects_imports_sit_at_the_top(path: Path) -> None:
    """An import of the project inside a function would hide a dependency (and maybe a cycle)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    nested = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and id(node) not in top
        and any(
            name.startswith("climatekg")
            for name in (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
        )
    ]
    assert nested == [], f"imports of climatekg inside a function at lines {nested}"


def test_app_is_organised_by_surface() -> None:
    loose = sorted(
        p.name for p in (ROOT / "app").glob("*.py") if p.name not in ("__init__.py", "__main__.py")
    )
    assert not loose, loose
