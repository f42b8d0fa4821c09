"""The loaders' shape: small modules, the project's imports at the top, every regex of the text
loader in its patterns package, and the names callers import from ``climatekg.loaders.text``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

import climatekg.loaders.text

LOADERS = ROOT / "loaders"
MODULES = sorted(LOADERS.rglob("*.py"))
PATTERNS = LOADERS / "text" / "patterns"


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_modules_to_check() -> None:
    assert len(MODULES) > 20 and (LOADERS / "text" / "__init__.py") in MODULES


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_over_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_the_projects_imports_sit_at_the_top(path: Path) -> None:
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


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_loaders_import_neither_queries_nor_app(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [
        name
        for node in ast.walk(tree)
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
    ]
    assert not [n for n in imported if n.startswith(("climatekg.queries", "climatekg.app"))]


TEXT_MODULES = [p for p in sorted((LOADERS / "text").rglob("*.py")) if PATTERNS not in p.parents]


@pytest.mark.parametrize("path", TEXT_MODULES, ids=_name)
def test_every_regex_of_the_text_loader_lives_in_its_patterns(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
    ]
    assert calls == [], f"re.* called at lines {calls}; name the pattern in loaders/text/patterns"


def test_callers_find_their_names_in_the_text_package() -> None:
    for name in (
        "REVIEWED",
        "Extraction",
        "Gazetteer",
        "GazetteerEntry",
        "Rejections",
        "TextLoadError",
        "candidate_key",
        "extract",
        "extract_file",
        "load_text",
        "read_document",
    ):
        assert name in climatekg.loaders.text.__all__
        assert hasattr(climatekg.loaders.text, name)
