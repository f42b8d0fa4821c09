"""Hostile inputs: each is refused with its one-line error, and the store is left exactly as it was.

The corpus is ``tests/data/hostile/`` (its README says what each file attacks); files too big
to keep in the repository (lines over the limit) are written here. Each case loads the file
the way ``climatekg load`` does (the loader detected from the file, then the store) into a
store holding the bundled data, and compares every quad before and after.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_bundled
from helpers import run_cli, snapshot

from climatekg.graph import vocab as v
from climatekg.graph.errors import LoadError
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.registry import LOADERS, detect_loader
from climatekg.loaders.safe_read import MAX_LINE_BYTES
from climatekg.queries.quality import validate

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
    "undeclared-node.graphml": ("edge 'n1' -> 'ghost': target 'ghost' is not a declared node", 8),
    "undeclared-node.gexf": ("edge 'phantom' -> 'n2': source 'phantom' is not a declared node", 10),
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


def _broader_chain(path: Path, steps: int, loop_to: int | None = None) -> dict[str, str]:
    """Write a curated file: tech/c0 ← tech/c1 ← … ← tech/c<steps> linked by ``broader``, and (with
    ``loop_to``) tech/c0 broader than tech/c<loop_to>, which closes a circle. Returns child → parent."""
    parent = {f"tech/c{i + 1}": f"tech/c{i}" for i in range(steps)}
    if loop_to is not None:
        parent["tech/c0"] = f"tech/c{loop_to}"
    lines = ['source: {id: broader-chain, title: "a long broader chain"}', "entities:"]
    lines += [f'  - {{kind: Technology, id: tech/c{i}, label: "c {i}"}}' for i in range(steps + 1)]
    lines.append("relations:")
    lines += [f"  - {{subject: {s}, kind: broader, object: {o}}}" for s, o in parent.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return parent


def _in_a_circle(parent: dict[str, str]) -> set[str]:
    """Nodes that reach themselves by following their one parent (a walk, not a graph library)."""
    circled = set()
    for start in parent:
        node = parent.get(start)
        for _ in range(len(parent) + 1):
            if node is None or node == start:
                break
            node = parent.get(node)
        if node == start:
            circled.add(start)
    return circled


def test_validate_answers_on_a_1100_step_broader_chain(tmp_path):
    # rdflib evaluates the shapes' `skos:broader+` by one recursion per step: this died with RecursionError.
    parent = _broader_chain(tmp_path / "chain.yaml", 1100, loop_to=10)
    home = tmp_path / "home"
    run_cli("load", str(tmp_path / "chain.yaml"), home=home, check=True)
    proc = run_cli("validate", "--json", home=home)
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
    rows = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert {r["entity"] for r in rows} == _in_a_circle(parent) == {f"tech/c{i}" for i in range(11)}
    assert {r["message"] for r in rows} == {
        "The technology is broader than itself: its skos:broader chain runs in a circle."
    }


def test_validate_reports_circles_as_the_shapes_do(tmp_path):
    import pyshacl
    import rdflib

    _broader_chain(tmp_path / "small.yaml", 6, loop_to=3)
    kg = EmbeddedStore(tmp_path / "home")
    _load(kg, tmp_path / "small.yaml")
    data = rdflib.Graph().parse(data=kg.dump_ntriples(), format="nt")
    shapes = rdflib.Graph().parse(data=v.shapes_text(), format="turtle")
    ontology = rdflib.Graph().parse(data=v.ontology_text(), format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    sh = rdflib.Namespace(v.SH)
    expected = {
        (v.iri_entity_id(str(report.value(r, sh.focusNode)), kg.base), str(report.value(r, sh.resultMessage)))
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    }
    assert len(expected) == 4  # tech/c0 … tech/c3
    assert {(r["entity"], r["message"]) for r in validate(kg)} == expected
    kg.close()
