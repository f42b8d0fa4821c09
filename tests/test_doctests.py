"""Every docstring example in the package runs, with ``kg`` bound to the bundled data (read-only).

Examples are documentation that must stay true: a module's examples run as one doctest each,
and a module whose example fails fails here. Explorer pages are Streamlit scripts (importing
one runs it), so they are left out; their logic lives in modules that are collected.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PARTS = ("climatekg.graph", "climatekg.loaders", "climatekg.queries", "climatekg.app")
SCRIPTS = ("climatekg.app.explorer.main", "climatekg.app.explorer.pages.", "climatekg.app.__main__")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules_with_examples() -> list[str]:
    names = []
    for part in PARTS:
        package = importlib.import_module(part)
        for info in pkgutil.walk_packages(package.__path__, part + "."):
            if info.name.startswith(SCRIPTS):
                continue
            module = importlib.import_module(info.name)
            if any(t.examples for t in doctest.DocTestFinder().find(module)):
                names.append(info.name)
    return sorted(names)


MODULES = _modules_with_examples()


def test_the_package_has_examples_to_run() -> None:
    assert len(MODULES) >= 10, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, doctest_kg: object) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, extraglobs={"kg": doctest_kg}, optionflags=FLAGS, report=True)
    assert attempted > 0
    assert failed == 0, f"{failed} of {attempted} examples in {name} failed (see the captured output)"
