"""The press-release text loader: scored against hand-made gold annotations, and hard to break.

Scores: predicted entities (new ones, and known ones the text mentions) are matched one-to-one to
gold entities that share a normalised name (label, alias or the surface text of a mention) and the
same kind; relations match when both ends matched and the kind is equal. Gold items marked
``optional`` neither count as missed nor make a prediction wrong.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, DATA
from extraction_scoring import gold_document, score
from hypothesis import given, settings
from hypothesis import strategies as st

from climatekg.graph.model import (
    RELATION_SIGNATURE,
    Entity,
    EntityKind,
    Provenance,
    normalise_name,
)
from climatekg.loaders.text import (
    Extraction,
    Gazetteer,
    GazetteerEntry,
    TextLoadError,
    candidate_key,
    extract,
    read_document,
)

GOLD = DATA / "extraction"
_PROV = Provenance(source="test-gazetteer", loader="curated")


def _entity(
    entity_id: str, kind: EntityKind, label: str, zh: str | None = None, aliases: tuple[str, ...] = ()
) -> Entity:
    return Entity(entity_id, kind, label, _PROV, labels=(("zh", zh),) if zh else (), aliases=aliases)


def small_gazetteer() -> Gazetteer:
    """A few cities (with Chinese labels) and a small technology concept scheme."""
    T, C = EntityKind.TECHNOLOGY, EntityKind.CITY
    return Gazetteer.from_entities(
        [
            _entity("city/shenzhen", C, "Shenzhen", "深圳"),
            _entity("city/paris", C, "Paris", "巴黎"),
            _entity("city/lyon", C, "Lyon", "里昂"),
            _entity("city/oslo", C, "Oslo", "奥斯陆"),
            _entity("tech/clean-technology", T, "Clean technology", "清洁技术", ("cleantech", "clean tech")),
            _entity("tech/clean-energy", T, "Clean energy", "清洁能源"),
            _entity("tech/renewable-energy", T, "Renewable energy", "可再生能源"),
            _entity("tech/heat-pump", T, "Heat pump", "热泵"),
            _entity("tech/district-heating", T, "District heating", "区域供热"),
            _entity(
                "tech/battery-electric-bus",
                T,
                "Battery-electric bus",
                "纯电动公交车",
                ("electric bus", "e-bus"),
            ),
            _entity("tech/smart-charging", T, "Smart charging", "智能充电"),
            _entity("tech/battery-storage", T, "Battery storage", "电池储能", ("battery energy storage",)),
            _entity("tech/rooftop-solar", T, "Rooftop solar", "屋顶光伏", ("rooftop solar PV",)),
            _entity("tech/flood-early-warning-system", T, "Flood early warning system", "洪水预警系统"),
            _entity("tech/green-roof", T, "Green roof", "绿色屋顶"),
            _entity(
                "tech/nature-based-coastal-defence", T, "Nature-based coastal defence", "基于自然的海岸防护"
            ),
            _entity("tech/electric-vehicle", T, "Electric vehicle", "电动汽车", ("EV",)),
        ]
    )


# Thresholds: the for the founding release; the fixtures are in the same genre but were
# written to be harder (lists, passives, pronouns), so they get a little slack. Without a
# gazetteer no technology can be found (they come only from the concept scheme).
THRESHOLDS = {
    # document: ((P, R, relation R) with the small gazetteer, (P, R, relation R) with none)
    "iclei-shenzhen-mou-cop21": ((0.9, 0.85, 0.7), (0.9, 0.75, 0.6)),
    "mou-two-cities": ((0.85, 0.8, 0.6), (0.8, 0.7, 0.4)),
    "network-new-members": ((0.85, 0.8, 0.6), (0.8, 0.7, 0.4)),
    "tech-demo": ((0.85, 0.8, 0.6), (0.8, 0.6, 0.3)),
    "zh-sample": ((0.85, 0.8, 0.5), (0.5, 0.4, 0.0)),
    "html-with-script": ((0.85, 0.8, 0.6), (0.8, 0.6, 0.3)),
}


def _gold(name: str) -> dict:
    return yaml.safe_load((GOLD / f"{name}.gold.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
@pytest.mark.parametrize("with_gazetteer", [True, False], ids=["gazetteer", "empty-gazetteer"])
def test_extraction_scores(name: str, with_gazetteer: bool, capsys: pytest.CaptureFixture[str]) -> None:
    gold = _gold(name)
    gaz = small_gazetteer() if with_gazetteer else Gazetteer()
    ex = extract(gold_document(gold, GOLD), gaz, source_id=name)
    s = score(gold, ex, gaz)
    with capsys.disabled():
        print("\n" + s.line(f"{name} [{'gazetteer' if with_gazetteer else 'empty'}]"))
        if s.missed or s.wrong or s.missed_relations:
            print(f"    missed={s.missed} wrong={s.wrong}\n    missed relations={s.missed_relations}")
    p, r, rr = THRESHOLDS[name][0 if with_gazetteer else 1]
    assert s.precision >= p, s
    assert s.recall >= r, s
    assert s.relation_recall >= rr, s


def test_every_gold_document_is_scored() -> None:
    assert sorted(p.name.removesuffix(".gold.yaml") for p in GOLD.glob("*.gold.yaml")) == sorted(THRESHOLDS)


def test_founding_release_roles_and_evidence() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    ex = extract(text, small_gazetteer(), source_id="iclei-shenzhen-mou-cop21")
    roles = {(r.subject, r.kind.value, r.object): r.role for r in ex.relations}
    assert roles[("person/mr-tang", "works_for", "city/shenzhen")] == "former deputy mayor"
    member = [r for r in ex.relations if r.kind.value == "member_of" and r.subject == "city/shenzhen"]
    assert [r.role for r in member] == ["first cohort"]
    ccucc = [e for e in ex.entities if "CCUCC" in e.aliases]
    assert len(ccucc) == 1 and ccucc[0].kind is EntityKind.INITIATIVE
    # Shenzhen is known: linked (also through its Chinese label elsewhere), never proposed again
    assert not [e for e in ex.entities if normalise_name(e.label) == "shenzhen"]
    assert any(m.entity == "city/shenzhen" and not m.new for m in ex.mentions)


# --- properties every extraction has ---------------------------------------------------------


def _all_documents() -> list[tuple[str, str]]:
    return [(name, gold_document(_gold(name), GOLD)) for name in sorted(THRESHOLDS)]


def _check_invariants(text: str, ex: Extraction, gaz: Gazetteer, source_id: str) -> None:
    new_ids = {e.id for e in ex.entities}
    kinds = {e.id: e.kind for e in ex.entities}
    for m in ex.mentions:
        assert text[m.start : m.end] == m.text
        assert m.new == (m.entity in new_ids)
        assert m.entity in new_ids or m.entity in gaz
        kinds.setdefault(m.entity, m.kind)
    assert len(new_ids) == len(ex.entities), "a new entity is proposed once per document"
    for record in [*ex.entities, *ex.relations]:
        prov = record.provenance
        assert (prov.status, prov.loader, prov.source) == ("extracted", "text", source_id)
        assert 0 < prov.confidence <= 1
        assert prov.locator is not None and prov.locator.startswith("chars ")
        start, end = (int(x) for x in prov.locator.removeprefix("chars ").split("-"))
        assert text[start:end] == prov.quote
    mentioned = {m.entity for m in ex.mentions}
    for r in ex.relations:
        assert r.subject in mentioned and r.object in mentioned, "both ends of a relation are linked"
        subjects, objects = RELATION_SIGNATURE[r.kind]
        assert kinds[r.subject] in subjects and kinds[r.object] in objects


@pytest.mark.parametrize("with_gazetteer", [True, False])
def test_invariants_on_every_document(with_gazetteer: bool) -> None:
    gaz = small_gazetteer() if with_gazetteer else Gazetteer()
    for name, text in _all_documents():
        _check_invariants(text, extract(text, gaz, source_id=name), gaz, name)


def test_candidate_key_is_stable_and_ignores_offsets() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    first = extract(text, small_gazetteer(), source_id="a")
    shifted = extract("Unrelated preface.\n\n" + text, small_gazetteer(), source_id="b")
    keys = sorted(map(candidate_key, [*first.entities, *first.relations]))
    assert keys == sorted(map(candidate_key, [*shifted.entities, *shifted.relations]))
    assert len(set(keys)) == len(keys)
    assert all("chars" not in k for k in keys)


def test_extraction_is_deterministic() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    assert extract(text, small_gazetteer(), source_id="x") == extract(text, small_gazetteer(), source_id="x")


# --- linking ---------------------------------------------------------------------------------


def test_known_entities_are_linked_before_new_ones_are_proposed() -> None:
    known = [
        _entity(
            "org/iclei",
            EntityKind.ORGANISATION,
            "ICLEI – Local Governments for Sustainability",
            "宜可城",
            ("ICLEI",),
        ),
        _entity("event/cop21", EntityKind.EVENT, "COP21", aliases=("21st Conference of the Parties",)),
    ]
    gaz = Gazetteer.from_entities(known)
    ex = extract(CORPUS.read_text(encoding="utf-8"), gaz, source_id="x")
    assert not [
        e for e in ex.entities if e.kind is EntityKind.ORGANISATION and "iclei" in e.id and "usa" not in e.id
    ]
    assert not [e for e in ex.entities if e.kind is EntityKind.EVENT and "cop" in e.id]
    assert {("org/iclei", "party_to"), ("event/cop21", "held_in")} <= {
        (r.subject, r.kind.value) for r in ex.relations
    }


def test_gazetteer_matching_is_case_space_and_hyphen_insensitive_but_guards_common_words() -> None:
    gaz = small_gazetteer()
    text = "PARIS and  paris; Low-carbon HEAT  PUMPS, heat-pump, ev, EV, 深圳市"
    found = [(text[m.start : m.end], m.entries[0].id) for m in gaz.find_all(text)]
    assert ("PARIS", "city/paris") in found
    assert ("paris", "city/paris") not in found  # a city's name spelt in lower case is a word
    assert ("HEAT  PUMPS", "tech/heat-pump") in found and ("heat-pump", "tech/heat-pump") in found
    assert ("EV", "tech/electric-vehicle") in found and ("ev", "tech/electric-vehicle") not in found
    assert ("深圳", "city/shenzhen") in found


def test_ambiguous_names_are_left_out() -> None:
    gaz = Gazetteer(
        [
            GazetteerEntry("city/portland-oregon", EntityKind.CITY, ("Portland",)),
            GazetteerEntry("city/portland-maine", EntityKind.CITY, ("Portland",)),
        ]
    )
    ex = extract("A delegation from Portland visited the Green Harbour Summit.", gaz, source_id="x")
    assert not [m for m in ex.mentions if m.text == "Portland"]
    assert not [e for e in ex.entities if e.label == "Portland"]


def test_coreference_is_left_out_when_unsure() -> None:
    text = (
        "The Harbour Cities Initiative was launched in 2020. Many years passed. Nothing happened. "
        "Then the Blue Energy Initiative started. Later still, the initiative grew."
    )
    ex = extract(text, Gazetteer(), source_id="x")
    coref = [m for m in ex.mentions if m.text == "the initiative"]
    assert [m.entity for m in coref] == ["initiative/blue-energy-initiative"]
    lonely = extract("The agreement was praised by everyone.", Gazetteer(), source_id="x")
    assert lonely.mentions == [] and lonely.relations == []


# --- robustness ------------------------------------------------------------------------------


def test_empty_and_entity_free_text_give_nothing() -> None:
    for text in ("", "   \n\n ", "the weather was mild and we walked to the park. It rained later!"):
        ex = extract(text, small_gazetteer(), source_id="x")
        assert (ex.entities, ex.relations, ex.mentions) == ([], [], [])


def test_html_scripts_and_styles_are_not_text() -> None:
    gold = _gold("html-with-script")
    text = gold_document(gold, GOLD)
    for word in ("var ", "dataLayer", "font-family", "<", "&ldquo;"):
        assert word not in text
    ex = extract(text, small_gazetteer(), source_id="html")
    said = {normalise_name(m.text) for m in ex.mentions} | {
        normalise_name(n) for e in ex.entities for n in e.names()
    }
    for absent in gold["absent"]:
        assert not [s for s in said if normalise_name(absent) in s], absent
    assert "city/oslo" not in {m.entity for m in ex.mentions}


def test_chinese_text_finds_gazetteer_names() -> None:
    text = gold_document(_gold("zh-sample"), GOLD)
    ex = extract(text, small_gazetteer(), source_id="zh")
    linked = {(m.text, m.entity) for m in ex.mentions}
    assert {
        ("深圳", "city/shenzhen"),
        ("巴黎", "city/paris"),
        ("清洁技术", "tech/clean-technology"),
    } <= linked


def test_read_document_errors_name_the_file(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(TextLoadError, match="scan.txt"):
        read_document(binary)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 in S\u00e3o Paulo".encode("latin-1"))
    with pytest.raises(TextLoadError, match="latin.txt.*UTF-8"):
        read_document(latin)
    with pytest.raises(TextLoadError, match="missing.md"):
        read_document(tmp_path / "missing.md")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_document(empty) == ""
    declared = tmp_path / "old.html"
    declared.write_bytes('<meta charset="latin-1"><p>S\u00e3o Paulo</p>'.encode("latin-1"))
    assert read_document(declared) == "S\u00e3o Paulo"
    md = tmp_path / "note.md"
    md.write_text("# Title\n\nSee [the **Paris** Agreement](https://example.org).", encoding="utf-8")
    assert read_document(md) == "Title\n\nSee the Paris Agreement."


def _generated(size: int, seed: int = 7) -> str:
    """Press-release-like text of about ``size`` characters: fixture paragraphs and filler."""
    rng = random.Random(seed)
    paragraphs = [text for _, text in _all_documents()]
    filler = [
        "the",
        "city",
        "council",
        "said",
        "that",
        "its",
        "plans",
        "for",
        "cleaner",
        "air",
        "and",
        "new",
        "jobs",
        "were",
        "on",
        "track",
    ]
    parts, total = [], 0
    while total < size:
        chunk = rng.choice(paragraphs) if rng.random() < 0.5 else " ".join(rng.choices(filler, k=120)) + "."
        parts.append(chunk)
        total += len(chunk) + 2
    return "\n\n".join(parts)[:size]


def _calls(text: str, gaz: Gazetteer) -> int:
    """How many function calls (Python and C) extracting ``text`` makes: a step count that does
    not depend on the machine's load, unlike a wall-clock time."""
    count = 0

    def step(frame: object, event: str, arg: object) -> None:
        nonlocal count
        count += 1

    sys.setprofile(step)
    try:
        extract(text, gaz, source_id="big")
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.slow
def test_work_grows_linearly_with_the_text() -> None:
    gaz = small_gazetteer()
    small, large = _calls(_generated(50_000), gaz), _calls(_generated(200_000), gaz)
    # 4× the text is about 4× the steps; quadratic work would be about 16×
    assert large < 6 * small, (small, large)


#: A hang guard, not a speed limit: over 10× the normal time (10 MB took about 2.5 minutes on the
#: loaded 2-core machine of 2026-12-02; the pathological texts take seconds), so only a run that
#: never ends fails. Speed is measured in bench/bench_extract.py.
HANG_TIMEOUT_S = 1800


def _run_in_child(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (with the tests folder importable) in a fresh interpreter that is killed if it hangs."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(DATA.parent)])}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=HANG_TIMEOUT_S,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_ten_megabytes_finish() -> None:
    done = _run_in_child(
        "from test_text import _generated, small_gazetteer\n"
        "from climatekg.loaders.text import extract\n"
        "ex = extract(_generated(10_000_000, seed=11), small_gazetteer(), source_id='big')\n"
        "assert ex.mentions and len({e.id for e in ex.entities}) == len(ex.entities)\n"
        "print('ok', len(ex.mentions))\n"
    )
    assert done.returncode == 0 and done.stdout.startswith("ok "), done.stderr[-2000:]


PATHOLOGICAL = [
    "A " * 50_000,
    ("Foo Bar " * 20_000) + "Foundation",
    "(" * 30_000 + "MOU)" * 1000,
    "Mr. " * 20_000,
    "the the the " * 20_000,
    "深" * 100_000,
    "." * 100_000,
    "Summit in " * 20_000,
    "Paris, France, " * 10_000,
    "signed an MOU with " * 5_000,
    "深圳基金会" * 20_000,
]


def test_pathological_texts_finish() -> None:
    done = _run_in_child(
        "from test_text import PATHOLOGICAL, small_gazetteer\n"
        "from climatekg.loaders.text import extract\n"
        "for text in PATHOLOGICAL:\n"
        "    extract(text, small_gazetteer(), source_id='x')\n"
        "print('ok', len(PATHOLOGICAL))\n"
    )
    assert done.returncode == 0 and done.stdout == f"ok {len(PATHOLOGICAL)}\n", done.stderr[-2000:]


_PIECES = [
    *"abcXYZ ,.;:()–-'’\"\n深圳巴黎签署",
    "Foundation",
    " Summit",
    "MOU",
    "(MOU)",
    "Mr. ",
    "Paris",
    " and ",
    " signed ",
    " at ",
    " in ",
    "City of ",
    "the Parties",
    " joined ",
    "the initiative",
    "Ms. Liu, Director of ",
    "ICLEI",
    "heat pumps",
    "the buses",
    " launch event of ",
    "’s ",
    "(hereon referred to as the Parties)",
    "the six cities",
    "Mayor ",
    "USA",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=120).map("".join))
def test_extract_never_crashes(text: str) -> None:
    gaz = small_gazetteer()
    ex = extract(text, gaz, source_id="fuzz")
    _check_invariants(text, ex, gaz, "fuzz")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_extract_never_crashes_on_any_unicode(text: str) -> None:
    gaz = small_gazetteer()
    ex = extract(text, gaz, source_id="fuzz")
    for m in ex.mentions:
        assert text[m.start : m.end] == m.text
