"""The text loader's shape: every regex in its patterns package, and the names callers import from
``climatekg.loaders.text`` (sizes, import direction and cycles: tests/test_architecture.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

import climatekg.loaders.text

LOADERS = ROOT / "loaders"
PATTERNS = LOADERS / "text" / "patterns"
TEXT_MODULES = [p for p in sorted((LOADERS / "text").rglob("*.py")) if PATTERNS not in p.parents]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_modules_to_check() -> None:
    """The regex check below runs on the text loader's modules, nested ones included, patterns excluded."""
    text = LOADERS / "text"
    assert len(TEXT_MODULES) > 15
    assert {text / "__init__.py", text / "linking.py", text / "relations" / "sentence.py"} <= {*TEXT_MODULES}
    assert not any(PATTERNS in p.parents for p in TEXT_MODULES)


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
    """The package exports what app/, bench/, loaders/registry.py and the tests import from it, no more."""
    names = {
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
    }
    assert set(climatekg.loaders.text.__all__) == names
    for name in names:
        assert hasattr(climatekg.loaders.text, name)
