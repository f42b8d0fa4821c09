"""Values written to RDF: ids, language tags and text are checked before anything is written.

Each refused batch would otherwise have written a value that breaks out of its term (a newline
in an id or language tag adds triples) or that an XML export cannot carry (control characters).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from helpers import snapshot

from climatekg.graph import rdf_mapping as m
from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.loaders.rdf import load_rdf

SRC = Source(id="doc", title="A document", loader="test", path="doc.yaml")
P = Provenance(source="doc", loader="test")
INJECTED = (
    'x> <http://www.w3.org/2000/01/rdf-schema#label> "injected"@en .\n<https://w3id.org/climatekg/id/city/y'
)


def _batch(**fields) -> Batch:
    entity = {"id": "city/shenzhen", "kind": EntityKind.CITY, "label": "Shenzhen", "provenance": P} | fields
    other = Entity("city/paris", EntityKind.CITY, "Paris", P)
    return Batch(
        SRC, [Entity(**entity), other], [Relation("city/paris", RelationKind.PARTNER_OF, "city/shenzhen", P)]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "city/" + INJECTED}, "is not a slug"),
        ({"id": "city/Shen zhen"}, "is not a slug"),
        ({"labels": (("en\n<a> <b> <c>", "x"),)}, "not a BCP 47 language tag"),
        ({"labels": (("e n", "x"),)}, "not a BCP 47 language tag"),
        ({"label": "Shen\x00zhen"}, "control character U+0000 at character 5"),
        ({"aliases": ("ok", "bell\x07")}, "control character U+0007"),
        ({"description": "a\rb"}, "control character U+000D"),
        ({"labels": (("zh", "深\x1b圳"),)}, "labels.zh: control character U+001B"),
    ],
)
def test_a_value_that_would_break_out_of_its_term_is_refused_and_nothing_is_written(kg, fields, message):
    kg.load(
        Batch(
            Source(id="other", title="other", loader="test"), [Entity("city/x", EntityKind.CITY, "X", P)], []
        )
    )
    before = snapshot(kg)
    with pytest.raises(LoadError) as error:
        kg.load(_batch(**fields))
    assert message in str(error.value)
    assert str(error.value).startswith("doc.yaml: ")
    assert "\n" not in str(error.value)
    assert snapshot(kg) == before


@pytest.mark.parametrize(
    "text", ["line\nbreak\ttab", "para\u2028graph\u2029sep", 'quote " and \\ backslash', "深圳 ÿ \U0001f30d"]
)
def test_text_with_newlines_tabs_and_unicode_separators_reads_back_unchanged(kg, text):
    kg.load(_batch(label=text, labels=(("zh-hans", text),), aliases=(text,)))
    e = kg.entity("city/shenzhen")
    assert (e.label, e.labels, e.aliases) == (text, (("zh-hans", text),), (text,))


def test_the_writer_refuses_an_iri_or_language_tag_it_cannot_write():
    with pytest.raises(ValueError):
        m.iri("https://example.org/a> <b")
    with pytest.raises(ValueError):
        m.lit("x", lang="en .\n")
    # every control character is escaped: the line parses, and the value comes back
    line = f"<http://a> <http://b> {m.lit('a' + ''.join(map(chr, range(32))) + chr(127))} ."
    [t] = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert t.object.value == "a" + "".join(map(chr, range(32))) + chr(127)


def test_an_rdf_file_with_a_control_character_in_a_literal_is_refused(kg, tmp_path):
    path = tmp_path / "bad.nt"
    path.write_text('<http://example.org/a> <http://example.org/b> "nul \\u0000 here" .\n', encoding="utf-8")
    before = snapshot(kg)
    with pytest.raises(LoadError, match="control character U\\+0000"):
        kg.load(load_rdf(path))
    assert snapshot(kg) == before
