"""Property: any curated input the loader accepts comes back unchanged from every export format.

Hypothesis draws curated YAML files: cities and organisations with ids of the slug pattern and
labels, other-language labels (BCP 47 tags), aliases and quotes of arbitrary Unicode (U+2028,
quotes, angle brackets, ampersands, CJK, emoji, tabs and newlines among them), and partnerships
between them. Each file is loaded into a fresh store and exported in every format; each export
is parsed by an independent reader (rdflib for RDF, networkx and the standard XML parser for
GraphML and GEXF, the csv module for CSV) and compared with the store's own N-Quads and with the
drawn input itself.
"""

from __future__ import annotations

import csv
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from climatekg.app.publish.exports import FORMATS, QUAD_FORMATS, TRIPLE_FORMATS, export
from climatekg.graph.errors import LoadError
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.curated import load_curated

RDFLIB_FORMAT = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdf": "xml",
}
SPECIALS = [
    "\u2028",
    "\u2029",
    '"',
    "'",
    "<",
    ">",
    "&",
    "\\",
    "深圳",
    "巴黎",
    "\t",
    "\n",
    "\u00a0",
    "é",
    "😀",
    "]]>",
]
# every character a label may hold: the loader refuses other control characters (graph/terms.py)
CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
TEXT = (
    st.lists(
        st.one_of(st.text(CHARS, min_size=1, max_size=6), st.sampled_from(SPECIALS)), min_size=1, max_size=6
    )
    .map("".join)
    .filter(lambda s: s.strip() != "")
)
SLUG = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
LANG = st.sampled_from(["zh", "zh-Hans", "fr", "pt-BR", "de-CH-1996", "ar"])


@st.composite
def curated_files(draw: st.DrawFn) -> dict:
    """A curated document: a few cities and organisations, some partnerships between them."""
    slugs = draw(st.lists(SLUG, min_size=2, max_size=5, unique=True))
    entities = []
    for i, slug in enumerate(slugs):
        kind = "City" if i % 2 == 0 else "Organisation"
        entity = {
            "kind": kind,
            "id": f"{'city' if kind == 'City' else 'org'}/{slug}",
            "label": draw(TEXT),
            "labels": draw(st.dictionaries(LANG, TEXT, max_size=2)),
            "aliases": draw(st.lists(TEXT, max_size=2)),
            "locator": "line 1",
            "quote": draw(TEXT),
        }
        entities.append(entity)
    ids = [e["id"] for e in entities]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4, unique=True))
    relations = [
        {"subject": s, "kind": "partner_of", "object": o, "locator": "line 2", "quote": draw(TEXT)}
        for s, o in pairs
        if s != o
    ]
    return {"source": {"id": "drawn", "title": draw(TEXT)}, "entities": entities, "relations": relations}


def _dataset(path: Path, fmt: str) -> rdflib.Dataset:
    d = rdflib.Dataset()
    d.parse(path, format=RDFLIB_FORMAT[fmt])
    return d


def _labels(g: rdflib.Graph) -> set[str]:
    return {str(o) for o in g.objects(None, rdflib.RDFS.label)}


def test_every_format_the_cli_offers_is_checked() -> None:
    assert set(FORMATS) == {*RDFLIB_FORMAT, "graphml", "gexf", "csv"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # each example is a store load and nine exports: shrinking a failure would take many minutes
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(doc=curated_files())
def test_every_export_of_an_accepted_curated_file_reparses_to_the_same_graph(doc: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "drawn.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        kg = EmbeddedStore(root / "home")
        try:
            _load_and_export(kg, path, root, doc)
        finally:
            kg.close()


def _load_and_export(kg: EmbeddedStore, path: Path, root: Path, doc: dict) -> None:
    """Load the drawn file, export every format, and compare each with the store and the input."""
    try:
        kg.load(load_curated(path, store=kg))
    except LoadError as exc:  # the drawn text only holds characters the loader accepts
        pytest.fail(f"an acceptable file was refused: {exc}")
    reference = rdflib.Dataset()
    reference.parse(data=kg.oxigraph().dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in reference.quads((None, None, None, None)):
        union.add((s, p, o))
    # the loader trims the main label (str.strip); edges aside, every drawn label is stored as drawn
    drawn = [e["label"] for e in doc["entities"]] + [t for e in doc["entities"] for t in e["labels"].values()]
    assert {t.strip() for t in drawn} <= {label.strip() for label in _labels(union)}
    for fmt in FORMATS:
        out = root / f"export.{fmt}"
        export(kg, fmt, out)
        if fmt in QUAD_FORMATS:
            got = _dataset(out, fmt)
            assert set(got.quads((None, None, None, None))) == set(
                reference.quads((None, None, None, None))
            ), fmt
        elif fmt in TRIPLE_FORMATS:
            g = rdflib.Graph()
            g.parse(out, format=RDFLIB_FORMAT[fmt])
            assert isomorphic(g, union), fmt
        else:
            _check_network(fmt, out, doc)


def _check_network(fmt: str, out: Path, doc: dict) -> None:
    nodes = {e["id"]: e["label"].strip() for e in doc["entities"]}
    edges = sorted((r["subject"], r["object"]) for r in doc["relations"])
    if fmt == "csv":
        with open(out, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert sorted((r["source"], r["target"]) for r in rows) == sorted(
            (nodes[s], nodes[o]) for s, o in edges
        ), fmt
        return
    ET.parse(out)  # well-formed XML to a plain parser
    G = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert {n: d["label"] for n, d in G.nodes(data=True)} == nodes, fmt
    assert sorted((s, o) for s, o in G.edges()) == edges, fmt
