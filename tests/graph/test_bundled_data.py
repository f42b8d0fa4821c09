"""The bundled data, checked by a second, simple reader: the YAML and the press release are read
here directly (not through the loader), every quote is found verbatim in the sentence its locator
names, ids are unique, relations fit RELATION_SIGNATURE, and the mapped RDF meets the shapes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import rdflib
import yaml

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import (
    RELATION_SIGNATURE,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    make_id,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
#: SHA-256 of the press release as published (the corpus copy it was taken from); see data/README.md.
CORPUS_SHA256 = "59f735ce2558688c4bb8154f767417931cafb2e70d70c41c8ea3e9c533d4c26c"
PRESS_RELEASE = DATA / "iclei-shenzhen-mou-cop21.yaml"
TECHNOLOGIES = DATA / "technologies.yaml"
FILES = [TECHNOLOGIES, PRESS_RELEASE]
BASE = "https://w3id.org/climatekg/"
LOCATOR = re.compile(r"^paragraph (\d+), sentence (\d+)$")
#: Words whose final dot does not end a sentence in the press release.
ABBREVIATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "U.S.")


def read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def entity_id(row: dict[str, Any]) -> str:
    return row.get("id") or make_id(EntityKind(row["kind"]), row["label"])


def sentences(paragraph: str) -> list[str]:
    """Split where a full stop (maybe followed by a closing quote) is followed by a capital or an
    opening quote, except after an abbreviation; '…mitigation.” says …' stays one sentence."""
    out, start = [], 0
    for match in re.finditer(r"[.!?][”\"]?\s+(?=[“\"A-Z])", paragraph):
        chunk = paragraph[start : match.end()].rstrip()
        if chunk.endswith(ABBREVIATIONS):
            continue
        out.append(chunk)
        start = match.end()
    out.append(paragraph[start:].rstrip())
    return out


@pytest.fixture(scope="module")
def docs() -> dict[Path, dict[str, Any]]:
    return {path: read(path) for path in FILES}


@pytest.fixture(scope="module")
def press_release_text(docs: dict[Path, dict[str, Any]]) -> str:
    return (PRESS_RELEASE.parent / docs[PRESS_RELEASE]["source"]["path"]).read_text(encoding="utf-8")


def test_the_press_release_is_a_byte_exact_copy() -> None:
    digest = hashlib.sha256((DATA / "iclei-shenzhen-mou-cop21.txt").read_bytes()).hexdigest()
    assert digest == CORPUS_SHA256


def test_ids_are_unique_across_the_files(docs: dict[Path, dict[str, Any]]) -> None:
    ids = [entity_id(row) for doc in docs.values() for row in doc["entities"]]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    sources = [doc["source"]["id"] for doc in docs.values()]
    assert len(sources) == len(set(sources))


def test_relations_join_existing_entities_of_the_right_kinds(docs: dict[Path, dict[str, Any]]) -> None:
    kinds = {entity_id(row): EntityKind(row["kind"]) for doc in docs.values() for row in doc["entities"]}
    for path, doc in docs.items():
        for row in doc["relations"]:
            kind = RelationKind(row["kind"])
            subject, obj = row["subject"], row["object"]
            assert subject in kinds and obj in kinds, (
                f"{path.name}: {subject} {kind} {obj} has an unknown end"
            )
            subjects, objects = RELATION_SIGNATURE[kind]
            assert kinds[subject] in subjects, f"{path.name}: {subject} cannot be the subject of {kind}"
            assert kinds[obj] in objects, f"{path.name}: {obj} cannot be the object of {kind}"


def test_press_release_quotes_are_verbatim_in_the_located_sentence(
    docs: dict[Path, dict[str, Any]], press_release_text: str
) -> None:
    paragraphs = press_release_text.split("\n")
    rows = docs[PRESS_RELEASE]["entities"] + docs[PRESS_RELEASE]["relations"]
    for row in rows:
        where = row.get("label") or f"{row['subject']} {row['kind']} {row['object']}"
        quote, locator = row.get("quote"), row.get("locator")
        assert quote and locator, f"{where}: needs a quote and a locator"
        assert quote in press_release_text, f"{where}: quote is not verbatim in the press release: {quote!r}"
        found = LOCATOR.match(locator)
        assert found, f"{where}: locator {locator!r} is not 'paragraph N, sentence M'"
        p, s = int(found[1]), int(found[2])
        assert 1 <= p <= len(paragraphs), f"{where}: there is no paragraph {p}"
        located = sentences(paragraphs[p - 1])
        assert 1 <= s <= len(located), f"{where}: paragraph {p} has no sentence {s}"
        assert quote in located[s - 1], f"{where}: quote is not in paragraph {p}, sentence {s}"


def test_technology_quotes_are_their_definitions(docs: dict[Path, dict[str, Any]]) -> None:
    doc = docs[TECHNOLOGIES]
    assert doc["source"]["id"] == "climatekg-technology-scheme"
    for row in doc["entities"]:
        assert row["kind"] == "Technology"
        assert entity_id(row).startswith("tech/")
        assert row["description"] and row["quote"] == row["description"], row["label"]
        if row.get("wikidata"):
            assert row["locator"] == f"Wikidata {row['wikidata']}", row["label"]
    assert {row["kind"] for row in doc["relations"]} == {"broader"}


def test_the_technology_scheme_is_a_tree_under_the_top_concept(docs: dict[Path, dict[str, Any]]) -> None:
    ontology = rdflib.Graph().parse(data=v.ontology_text(), format="turtle")
    scheme = rdflib.URIRef("https://w3id.org/climatekg/id/tech/scheme")
    top = ontology.value(scheme, rdflib.SKOS.hasTopConcept)
    assert top is not None
    top_id = v.iri_entity_id(str(top), BASE)

    doc = docs[TECHNOLOGIES]
    concepts = {entity_id(row) for row in doc["entities"]}
    broader: dict[str, list[str]] = {c: [] for c in concepts}
    for row in doc["relations"]:
        broader[row["subject"]].append(row["object"])
    assert top_id in concepts and broader[top_id] == []
    for concept in concepts - {top_id}:
        assert len(broader[concept]) == 1, f"{concept} needs exactly one broader concept"
        seen, node = {concept}, concept
        while node != top_id:
            node = broader[node][0]
            assert node not in seen, f"{concept}: broader concepts run in a circle"
            seen.add(node)


def test_the_press_release_names_its_technologies_from_the_scheme(docs: dict[Path, dict[str, Any]]) -> None:
    concepts = {entity_id(row) for row in docs[TECHNOLOGIES]["entities"]}
    used = {
        row["object"]
        for row in docs[PRESS_RELEASE]["relations"]
        if row["kind"] in ("concerns", "demonstrates", "provides")
    }
    assert "tech/low-carbon-clean-technology" in used and "tech/clean-energy-technology" in used
    assert used <= concepts


def _batch(doc: dict[str, Any]) -> Batch:
    """Records built directly from the YAML rows, as the canonical model defines them."""
    src = doc["source"]
    source = Source(
        id=src["id"],
        title=src["title"],
        loader="test",
        publisher=src.get("publisher"),
        issued=src.get("issued"),
        licence=src.get("licence"),
        path=src.get("path"),
    )

    def provenance(row: dict[str, Any]) -> Provenance:
        return Provenance(
            source=source.id,
            loader="test",
            locator=row.get("locator"),
            quote=row.get("quote"),
            confidence=float(row.get("confidence", 1.0)),
            status=row.get("status", "curated"),
        )

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    entities = [
        Entity(
            id=entity_id(row),
            kind=EntityKind(row["kind"]),
            label=row["label"],
            provenance=provenance(row),
            labels=tuple((lang, label) for lang, label in (row.get("labels") or {}).items()),
            aliases=tuple(row.get("aliases") or ()),
            wikidata=text(row.get("wikidata")),
            classification=row.get("classification"),
            description=row.get("description"),
            date=text(row.get("date")),
            country=row.get("country"),
            lat=row.get("lat"),
            lon=row.get("lon"),
        )
        for row in doc["entities"]
    ]
    relations = [
        Relation(
            subject=row["subject"],
            kind=RelationKind(row["kind"]),
            object=row["object"],
            provenance=provenance(row),
            start=text(row.get("start")),
            end=text(row.get("end")),
            role=row.get("role"),
        )
        for row in doc["relations"] or []
    ]
    return Batch(source=source, entities=entities, relations=relations)


def test_the_bundled_data_meets_the_shapes(docs: dict[Path, dict[str, Any]]) -> None:
    data = rdflib.Graph()
    batches = [_batch(doc) for doc in docs.values()]
    for batch in batches:
        data.parse(data="".join(m.batch_ntriples(batch, BASE)), format="nt")

    # the mapping kept every record: counted again from the graph
    ckg = rdflib.Namespace(v.CKG)
    typed = {s for cls in v.KIND_CLASS.values() for s in data.subjects(rdflib.RDF.type, rdflib.URIRef(cls))}
    assert len(typed) == sum(len(b.entities) for b in batches)
    assert len(set(data.subjects(rdflib.RDF.type, ckg.Relation))) == sum(len(b.relations) for b in batches)

    shapes = rdflib.Graph().parse(data=v.shapes_text(), format="turtle")
    ontology = rdflib.Graph().parse(data=v.ontology_text(), format="turtle")
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, report
