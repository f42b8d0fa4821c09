"""Hostile inputs: each is refused with its one-line error, and the store is left exactly as it was.

The corpus is ``tests/data/hostile/`` (its README says what each file attacks); files too big
to keep in the repository (lines over the limit) are written here. Each case loads the file
the way ``climatekg load`` does (the loader detected from the file, then the store) into a
store holding the bundled data, and compares every quad before and after.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_bundled
from helpers import snapshot

from climatekg.graph.errors import LoadError
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.registry import LOADERS, detect_loader
from climatekg.loaders.safe_read import MAX_LINE_BYTES

HOSTILE = Path(__file__).parent / "data" / "hostile"

CASES = {
    "entity-bomb.rdf": ("XML entity declarations (<!ENTITY) are not accepted", 3),
    "entity-bomb.graphml": ("XML entity declarations (<!ENTITY) are not accepted", 3),
    "entity-bomb.gexf": ("XML entity declarations (<!ENTITY) are not accepted", 3),
    "alias-bomb.yaml": ("YAML anchors on lists or mappings (&name) are not accepted", 5),
    "injected-id.yaml": ("is not a slug like city/shenzhen", None),
    "injected-language.yaml": ("is not a BCP 47 language tag", None),
    "nul-in-label.yaml": ("label: control character U+0000 at character 4", None),
    "escape-in-description.yaml": ("description: control character U+001B", None),
    "nul-literal.nt": ("control character U+0000", None),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    kg = load_bundled(EmbeddedStore(tmp_path_factory.mktemp("hostile")))
    yield kg
    kg.close()


def _load(kg: EmbeddedStore, path: Path) -> None:
    batch = LOADERS[detect_loader(path)](path, store=kg)
    kg.load(batch)


def _refused(kg: EmbeddedStore, path: Path, message: str, line: int | None) -> None:
    before = snapshot(kg)
    with pytest.raises(LoadError) as error:
        _load(kg, path)
    text = str(error.value)
    assert message in text
    assert text.startswith(str(path))
    assert "\n" not in text and len(text) < 400
    if line is not None:
        assert error.value.line == line
    assert snapshot(kg) == before


def test_the_corpus_is_complete():
    assert sorted(p.name for p in HOSTILE.iterdir() if p.name != "README.md") == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_file_is_refused_and_changes_nothing(store, name):
    message, line = CASES[name]
    _refused(store, HOSTILE / name, message, line)


@pytest.mark.parametrize(
    ("suffix", "head", "tail"),
    [
        (".ttl", '<http://example.org/a> <http://example.org/b> "', '" .\n'),
        (".nt", '<http://example.org/a> <http://example.org/b> "', '" .\n'),
        (".yaml", 'source: {id: giant, title: "giant"}\nentities:\n  - kind: City\n    label: "', '"\n'),
        (".csv", "source,relation,target\n", "x,member_of,y\n"),
    ],
)
def test_a_line_over_the_limit_is_refused_before_parsing(store, tmp_path, suffix, head, tail):
    path = tmp_path / f"giant{suffix}"
    lines_before = head.count("\n")
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        out.write("x" * (MAX_LINE_BYTES + 10))
        out.write(tail)
    _refused(store, path, "line longer than 4 MiB", lines_before + 1)
