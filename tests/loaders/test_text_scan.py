"""The fast scan (loaders/text/scan.py) finds exactly what the plain regex finds: every pattern of
the rules, over every test document, over all of them in one long text (where windows are used)
and over each sentence, compared with ``pattern.finditer`` and ``pattern.search``."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

import pytest
from extraction_scoring import DATA, UNSEEN, gold_document, read_gold

from climatekg.loaders.text import patterns, scan
from climatekg.loaders.text.documents import split_sentences

#: Every module of the patterns package, so a new one is checked without being listed here.
PATTERN_MODULES = tuple(m.name for m in pkgutil.iter_modules(patterns.__path__))


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for name in PATTERN_MODULES:
        module = importlib.import_module(f"climatekg.loaders.text.patterns.{name}")
        out += [
            (f"{name}.{attr}", value)
            for attr, value in vars(module).items()
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str)
        ]
    return out


@cache
def _texts() -> tuple[str, ...]:
    docs = []
    for folder in (DATA / "extraction", UNSEEN / "tune"):
        for path in sorted(folder.glob("*.gold.yaml")):
            docs.append(gold_document(read_gold(path), folder))
    # one long text, so the pattern runs in windows; odd characters a case-blind regex folds
    tricky = "İn Istanbul the ſigned MOU, KELVIN K, the ſtreet lights; solar ſtreet lighting."
    return (*docs, "\n\n".join([*docs, tricky] * 2), tricky)


def _spans(matches: object) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "pattern"), _patterns(), ids=[n for n, _ in _patterns()])
def test_the_scan_finds_what_the_regex_finds(name: str, pattern: re.Pattern[str]) -> None:
    for text in _texts():
        assert _spans(scan.finditer(pattern, text)) == _spans(pattern.finditer(text)), name
        for s, e in split_sentences(text):
            assert _spans(scan.finditer(pattern, text, s, e)) == _spans(pattern.finditer(text, s, e))
            got, want = scan.search(pattern, text, s, e), pattern.search(text, s, e)
            assert (got and got.span()) == (want and want.span())


def test_a_pattern_runs_only_where_a_word_it_needs_occurs() -> None:
    pattern = re.compile(r"\b(?:fast[ \t]+)?charging[ \t]+(?:hubs?|points?)\b", re.IGNORECASE)
    gate = scan.gate_of(pattern)
    assert gate.words == ("charging",)
    assert "." in gate.breakers and "\n" in gate.breakers
    text = "Buses ran. " * 300 + "Fast CHARGING hubs opened. " + "Trams ran. " * 300
    start = text.index("Fast")
    assert scan.windows(pattern, text) == [(start - 1, text.index(".", start))]
    assert [m.group() for m in scan.finditer(pattern, text)] == ["Fast CHARGING hubs"]
    assert scan.windows(pattern, "Buses ran. " * 300) == []


def test_a_pattern_that_reads_past_a_full_stop_or_an_end_is_not_cut_there() -> None:
    assert "." not in scan.gate_of(re.compile(r"signed\W+MOU")).breakers
    assert scan.gate_of(re.compile(r"signed[ \t]+MOU$")).breakers == ""
    assert scan.gate_of(re.compile(r"(?<![\w.])signed")).breakers.find(".") == -1
