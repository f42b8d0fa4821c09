"""``climatekg extract`` and the text loader as a user runs them: evidence, review, memory."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS
from helpers import run_cli, snapshot


@pytest.fixture
def doc_home(tmp_path):
    home = tmp_path / "home"
    run_cli("load", "--bundled", home=home, check=True)
    doc = tmp_path / "cop21-release.txt"
    shutil.copy(CORPUS, doc)
    return home, doc


def _extract(home, doc, *args):
    proc = run_cli("extract", str(doc), "--json", *args, home=home, check=True)
    [result] = json.loads(proc.stdout)
    return result


def test_every_candidate_is_extracted_and_its_sentence_is_in_the_text(doc_home):
    home, doc = doc_home
    text = CORPUS.read_text(encoding="utf-8").replace("\r\n", "\n")
    result = _extract(home, doc)
    candidates = result["entities"] + result["relations"]
    assert result["relations"], "the press release states relations"
    for c in candidates:
        assert c["status"] == "extracted"
        start, end = map(int, c["evidence"]["chars"].removeprefix("chars ").split("-"))
        assert text[start:end] == c["evidence"]["sentence"]
        assert 0 < c["evidence"]["confidence"] <= 1


def test_nothing_is_stored_without_accept(doc_home):
    home, doc = doc_home
    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home, read_only=True)
    before = snapshot(kg)
    kg.close()
    _extract(home, doc)
    kg = EmbeddedStore(home, read_only=True)
    assert snapshot(kg) == before
    kg.close()


def test_rejected_candidates_are_remembered_and_accepted_ones_become_curated(doc_home):
    home, doc = doc_home
    first = _extract(home, doc)
    relation = first["relations"][0]
    number = len(first["entities"]) + 1  # the # column counts entities, then relations
    second = _extract(home, doc, "--reject", str(number), "--accept")
    assert second["rejected"] == [relation["key"]]
    third = _extract(home, doc)
    assert relation["key"] not in {c["key"] for c in third["relations"]}
    assert len(third["relations"]) == len(first["relations"]) - 1

    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home, read_only=True)
    stored = [r for r in kg.relations() if r.provenance.source == "text-cop21-release"]
    kg.close()
    assert {(r.subject, r.kind.value, r.object) for r in stored} == {
        (c["subject"], c["relation"], c["object"]) for c in third["relations"]
    }
    assert {r.provenance.status for r in stored} == {"curated"}
    assert all(r.provenance.quote and r.provenance.quote in doc.read_text(encoding="utf-8") for r in stored)
    again = run_cli("extract", str(doc), "--accept", home=home, check=True)
    assert "unchanged" in again.stdout


def test_the_text_loader_stores_candidates_as_extracted(doc_home):
    home, doc = doc_home
    proposed = _extract(home, doc)
    report = json.loads(run_cli("load", str(doc), "--json", home=home, check=True).stdout)
    assert report[0]["loader"] == "text" and report[0]["changed"]
    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home, read_only=True)
    stored = [r for r in kg.relations() if r.provenance.source == "text-cop21-release"]
    kg.close()
    assert {r.provenance.status for r in stored} == {"extracted"}
    assert len(stored) == len(proposed["relations"])
    again = json.loads(run_cli("load", str(doc), "--json", home=home, check=True).stdout)
    assert not again[0]["changed"]


def test_a_binary_document_is_refused_in_one_line(doc_home, tmp_path):
    home, _ = doc_home
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"%PDF-1.4\x00\x01\x02")
    proc = run_cli("extract", str(bad), home=home)
    assert proc.returncode != 0
    assert str(bad) in proc.stderr and "binary" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_rejection_number_out_of_range_is_an_error(doc_home):
    home, doc = doc_home
    proc = run_cli("extract", str(doc), "--reject", "9999", home=home)
    assert proc.returncode != 0 and "9999" in proc.stderr
    assert not (home / "rejected-candidates.json").exists()


def _stored(home):
    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home, read_only=True)
    try:
        return snapshot(kg)
    finally:
        kg.close()


def test_loading_a_reviewed_document_again_is_refused(doc_home):
    home, doc = doc_home
    run_cli("extract", str(doc), "--accept", home=home, check=True)
    before = _stored(home)
    proc = run_cli("load", str(doc), home=home)
    assert proc.returncode != 0 and "reviewed facts" in proc.stderr and str(doc) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert _stored(home) == before


def test_rejecting_a_new_entity_skips_the_relations_that_need_it(doc_home):
    home, doc = doc_home
    run_cli("load", str(doc), home=home, check=True)  # its candidates are stored as extracted first
    proposed = _extract(home, doc)
    entity = proposed["entities"][0]
    needing = [r for r in proposed["relations"] if entity["id"] in (r["subject"], r["object"])]
    assert needing, "the first new entity takes part in some relation"
    result = _extract(home, doc, "--reject", "1", "--accept")
    assert result["accepted"] and result["rejected"] == [entity["key"]]
    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home, read_only=True)
    stored = [r for r in kg.relations() if r.provenance.source == "text-cop21-release"]
    assert stored and kg.kind_of(entity["id"]) is None
    assert all(kg.kind_of(r.subject) and kg.kind_of(r.object) for r in stored)  # nothing dangles
    kg.close()
    expected = {(r["subject"], r["relation"], r["object"]) for r in proposed["relations"]} - {
        (r["subject"], r["relation"], r["object"]) for r in needing
    }
    assert {(r.subject, r.kind.value, r.object) for r in stored} == expected


def test_accepting_several_documents_is_all_or_nothing(doc_home, tmp_path):
    home, doc = doc_home
    bad = tmp_path / "empty.md"
    bad.write_text("  \n", encoding="utf-8")
    before = _stored(home)
    proc = run_cli("extract", str(doc), str(bad), "--accept", home=home)
    assert proc.returncode != 0 and str(bad) in proc.stderr and "empty" in proc.stderr
    assert _stored(home) == before


def test_an_unknown_rejection_key_is_an_error_before_anything_is_stored(doc_home):
    home, doc = doc_home
    before = _stored(home)
    proc = run_cli("extract", str(doc), "--reject", "relation|nowhere", "--accept", home=home)
    assert proc.returncode != 0 and "relation|nowhere" in proc.stderr
    assert _stored(home) == before
    assert not (home / "rejected-candidates.json").exists()


def test_rejections_are_remembered_when_nothing_is_accepted(doc_home):
    home, doc = doc_home
    first = _extract(home, doc)
    run_cli("extract", str(doc), "--reject", "1", home=home, check=True)
    assert first["entities"][0]["key"] in json.loads((home / "rejected-candidates.json").read_text())


def test_a_document_without_candidates_is_not_loaded(doc_home, tmp_path):
    home, _ = doc_home
    plain = tmp_path / "weather.txt"
    plain.write_text("it rained all day and nobody went out.\n", encoding="utf-8")
    before = _stored(home)
    proc = run_cli("load", str(plain), home=home)
    assert proc.returncode != 0 and "no candidate facts" in proc.stderr and str(plain) in proc.stderr
    assert _stored(home) == before
