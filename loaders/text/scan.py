"""Fast scanning: a regular expression runs only where a word it cannot match without occurs.

Most cue patterns of the rules ("joined as full members", "charging hubs", "the 21st meeting of")
match nowhere in most sentences, yet the regex engine tries them at every character. What a
pattern needs is read from the pattern itself, so a rule edited later keeps a correct gate
without anyone updating a list (:func:`gate_of`):

- words at least one of which every match contains (for ``\\bcharging[ \\t]+hubs?`` the word
  "charging"), looked up in a lower-cased copy of the text with ``str.find``, far quicker than
  the engine;
- characters no part of the pattern accepts (a full stop, a bracket, a line break …): no match
  spans one, so the text splits there into windows and the pattern runs only in the windows
  that hold one of the words.

:func:`finditer` and :func:`search` give exactly the matches of ``pattern.finditer`` and
``pattern.search`` (``tests/loaders/test_text_scan.py`` checks every pattern of the rules).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

#: Characters a case-insensitive regex takes for an ASCII letter but ``str.lower`` does not map
#: to it (dotted and dotless i, long s); the folded text maps them so no match is gated out.
_FOLD_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
#: Characters that may close a window (none is a word character, so ``\\b`` reads them alike).
_BREAKERS = '\n.!?;:,()[]"“”'
#: Words so common that a gate on them would skip little: a pattern's rarer words are preferred.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
    ]
)
#: Marks a required word that starts a word (it follows ``\\b``): "use" in "on the use of", not in "buses".
_AT_WORD = "\x00"
#: Below this many characters a pattern runs at once when a word it needs is there (no windows).
_WINDOWED_FROM = 2000
#: More than one word needed per this many characters: the pattern runs over the whole span.
_DENSE = 100


@dataclass(frozen=True)
class Gate:
    """What a pattern needs: one of ``words`` in every match; no match contains a ``breakers`` character."""

    words: tuple[str, ...]
    breakers: str
    #: the words that count only where they start a word (the pattern has ``\\b`` before them)
    at_word_start: frozenset[str] = frozenset()


class _TextIndex:
    """What the scan learnt about one text: a lower-cased copy, where each pattern's words start,
    where each set of breakers cuts it."""

    def __init__(self, text: str) -> None:
        low = text.translate(_FOLD_FIXES).lower()
        #: ``text`` lower-cased character by character, None when that changes its length
        self.low = low if len(low) == len(text) else None
        #: by pattern identity: the pattern (kept, so its id is not reused) and its words' positions
        self.starts: dict[int, tuple[re.Pattern[str], list[int] | None]] = {}
        self.cuts: dict[str, list[int]] = {}


@lru_cache(maxsize=4)
def _index(text: str) -> _TextIndex:
    """The index of ``text``, kept for the last few texts (the document, its relations' copy)."""
    return _TextIndex(text)


#: Gates by pattern identity (hashing a compiled pattern hashes its code: too slow per call);
#: each entry keeps its pattern, so the id is not reused while the entry lives.
_GATES: dict[int, tuple[re.Pattern[str], Gate]] = {}


def gate_of(pattern: re.Pattern[str]) -> Gate:
    """The words and window breakers of ``pattern`` (none: the pattern always runs, everywhere).

    Examples:
        >>> gate_of(re.compile(r"\\b(?:fast[ \\t]+)?charging[ \\t]+(?:hubs?|points?)\\b", re.I)).words
        ('charging',)
        >>> gate_of(re.compile(r"\\b(?:Mayor|Governor)[ \\t]+[A-Z]\\w+")).words
        ('governor', 'mayor')
        >>> gate_of(re.compile(r"[A-Z]\\w+")).words
        ()
    """
    hit = _GATES.get(id(pattern))
    if hit is not None and hit[0] is pattern:
        return hit[1]
    if len(_GATES) > 4096:  # patterns made per document (national branches) come and go
        _GATES.clear()
    gate = _read_gate(pattern)
    _GATES[id(pattern)] = (pattern, gate)
    return gate


def _read_gate(pattern: re.Pattern[str]) -> Gate:
    """The gate of ``pattern``, read from its parsed form."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    words = _sequence(parsed)
    if not words or max(map(_cost, words)) >= 1.0:
        return Gate((), "")  # no words, or one in nearly every sentence: a gate would skip nothing
    plain = {w.lstrip(_AT_WORD) for w in words}
    at_start = frozenset(w for w in plain if w not in words)
    ordered = tuple(sorted(plain, key=lambda w: (_cost(w), w)))
    accepts = _accepted(parsed)
    breakers = "" if accepts is None else "".join(c for c in _BREAKERS if c not in accepts)
    return Gate(ordered, breakers, at_start)


def _cost(word: str) -> float:
    """How likely a text holds ``word`` (a rough guess: common words are everywhere)."""
    word = word.lstrip(_AT_WORD).strip()
    common = word in _COMMON or word in ("", ",", ".") or (len(word) <= 2 and word.isalpha())
    return 1.0 if common else 0.5 ** len(word)


def _usable(ch: str) -> bool:
    """True for a character the folded text spells as ``ch.lower()`` wherever a match has it."""
    return ch.isascii() or (ch.lower() == ch == ch.upper() and ch.casefold() == ch)


def _sequence(items: Iterable[tuple[object, object]], bounded: bool = False) -> frozenset[str] | None:
    """The cheapest set of required strings of a sequence of parsed items (None: none known);
    a string right after ``\\b`` (``bounded``: the sequence starts after one) starts a word and
    is marked so (``_AT_WORD``)."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    run_bounded = False

    def flush() -> None:
        if run:
            word = "".join(run)
            options.append(frozenset({_AT_WORD + word if run_bounded and word[0].isalnum() else word}))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL and _usable(chr(av)):  # type: ignore[arg-type]
            if not run:
                run_bounded = bounded
            run.append(chr(av).lower())  # type: ignore[arg-type]
            bounded = False
            continue
        flush()
        found: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            found = _sequence(av[3], bounded)  # type: ignore[index]
        elif op is sre.ATOMIC_GROUP:
            found = _sequence(av, bounded)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:  # type: ignore[index]
            found = _sequence(av[2], bounded)  # type: ignore[index]
        elif op is sre.ASSERT and av[0] == 1:  # type: ignore[index]  # a lookahead reads the text searched, too
            found = _sequence(av[1], bounded)  # type: ignore[index]
        elif op is sre.BRANCH:
            alternatives = [_sequence(b, bounded) for b in av[1]]  # type: ignore[index]
            if all(alternatives):
                found = frozenset().union(*alternatives)  # type: ignore[arg-type]
        if found:
            options.append(found)
        # a lookahead takes no text: what follows it starts where it did
        bounded = (
            (op is sre.AT and av == sre.AT_BOUNDARY)
            or _non_word(op, av)
            or (op in (sre.ASSERT, sre.ASSERT_NOT) and bounded)
            or (op is sre.ASSERT_NOT and av[0] == -1 and _word_class(av[1]))  # type: ignore[index]
        )
    flush()
    options = [o for o in options if all(w.lstrip(_AT_WORD) for w in o)]
    if not options:
        return None
    return min(options, key=lambda o: (sum(map(_cost, o)), len(o)))


def _word_class(items: list[tuple[object, object]]) -> bool:
    """True for a lookbehind body that takes any word character ("(?<![\\w])", "(?<![\\w.])")."""
    return (
        len(items) == 1 and items[0][0] is sre.IN and (sre.CATEGORY, sre.CATEGORY_WORD) in items[0][1]  # type: ignore[operator]
    )


def _non_word(op: object, av: object) -> bool:
    """True for a part that takes one or more characters, none a word character ("[ \\t]+", ",")."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return av[0] >= 1 and len(av[2]) == 1 and _non_word(*av[2][0])  # type: ignore[index]
    if op is sre.LITERAL:
        return not (chr(av).isalnum() or chr(av) == "_")  # type: ignore[arg-type]
    if op is sre.IN:
        return all(
            (o is sre.LITERAL and not (chr(a).isalnum() or chr(a) == "_"))  # type: ignore[arg-type]
            or (o is sre.CATEGORY and a in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD))
            for o, a in av  # type: ignore[attr-defined]
        )
    return False


#: What ``\\d``, ``\\s`` and ``\\w`` accept, as the str predicates ``re`` itself uses for them.
_CATEGORY = {
    sre.CATEGORY_DIGIT: str.isdecimal,
    sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    sre.CATEGORY_SPACE: str.isspace,
    sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    sre.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sre.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def _accepted(items: Iterable[tuple[object, object]]) -> set[str] | None:
    """The breaker characters some part of the pattern (lookarounds too) may read; None when
    the pattern holds something whose reach is not known (anchors but ``\\b``, back-references)."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.update(c for c in _BREAKERS if ord(c) == av)
        elif op is sre.NOT_LITERAL:
            out.update(c for c in _BREAKERS if ord(c) != av)
        elif op is sre.ANY:
            out.update(_BREAKERS)
        elif op is sre.IN:
            out.update(c for c in _BREAKERS if _in_class(av, c))  # type: ignore[arg-type]
        elif op is sre.AT:
            if av not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
                return None
        else:
            if op is sre.SUBPATTERN:
                inner = [av[3]]  # type: ignore[index]
            elif op is sre.ATOMIC_GROUP:
                inner = [av]
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                inner = [av[2]]  # type: ignore[index]
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                inner = [av[1]]  # type: ignore[index]
            elif op is sre.BRANCH:
                inner = list(av[1])  # type: ignore[index]
            else:
                return None
            for sub in inner:
                found = _accepted(sub)  # type: ignore[arg-type]
                if found is None:
                    return None
                out |= found
    return out


def _in_class(items: list[tuple[object, object]], ch: str) -> bool:
    """True when the character class ``items`` (parsed) takes ``ch``; unknown parts take it."""
    negate, hit = False, False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit = hit or ord(ch) == av
        elif op is sre.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]  # type: ignore[index]
        elif op is sre.CATEGORY and av in _CATEGORY:
            hit = hit or _CATEGORY[av](ch)
        else:
            return True
    return hit != negate


def forget() -> None:
    """Drop what was learnt about texts (an extraction calls it when it ends, so nothing is kept)."""
    _index.cache_clear()


def _cuts(text: str, breakers: str) -> list[int]:
    """Sorted positions of the ``breakers`` characters in ``text``."""
    index = _index(text)
    out = index.cuts.get(breakers)
    if out is None:
        out = []
        for c in breakers:
            i = text.find(c)
            while i != -1:
                out.append(i)
                i = text.find(c, i + 1)
        out.sort()
        index.cuts[breakers] = out
    return out


def _starts(text: str, pattern: re.Pattern[str]) -> list[int] | None:
    """Sorted positions where a word ``pattern`` needs starts in ``text`` (None: not known).

    Found once per text and pattern, so a rule asking about each sentence costs one bisection.
    """
    index = _index(text)
    hit = index.starts.get(id(pattern))
    if hit is not None and hit[0] is pattern:
        return hit[1]
    gate, low = gate_of(pattern), index.low
    out: list[int] | None = None
    if gate.words and low is not None:
        out = []
        for w in gate.words:
            at_start = w in gate.at_word_start
            i = low.find(w)
            while i != -1:
                if not (at_start and i and (low[i - 1].isalnum() or low[i - 1] == "_")):
                    out.append(i)
                i = low.find(w, i + 1)
        out.sort()
    index.starts[id(pattern)] = (pattern, out)
    return out


def _holds_word(text: str, gate: Gate, pos: int, end: int) -> bool:
    """False only when no word of ``gate`` occurs in ``text[pos:end]`` (a few ``str.find``)."""
    low = _index(text).low
    return low is None or any(low.find(w, pos, end) != -1 for w in gate.words)


def windows(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> list[tuple[int, int]]:
    """The parts of ``text[pos:endpos]`` a match of ``pattern`` may lie in, in text order."""
    end = len(text) if endpos is None else min(endpos, len(text))
    gate = gate_of(pattern)
    if not gate.words:
        return [(pos, end)]
    if not gate.breakers or end - pos < _WINDOWED_FROM:
        return [(pos, end)] if _holds_word(text, gate, pos, end) else []
    starts = _starts(text, pattern)
    if starts is None:
        return [(pos, end)]
    k = bisect.bisect_left(starts, pos)
    if k == len(starts) or starts[k] >= end:
        return []
    if bisect.bisect_left(starts, end, k) - k > (end - pos) // _DENSE:
        return [(pos, end)]  # a word on every line: windows would cover the text anyway
    cuts = _cuts(text, gate.breakers)
    found: list[tuple[int, int]] = []
    while k < len(starts) and starts[k] < end:
        c = bisect.bisect_right(cuts, starts[k])
        ws = max(pos, cuts[c - 1] + 1) if c else pos
        we = min(end, cuts[c]) if c < len(cuts) else end
        found.append((ws, we))
        k = bisect.bisect_left(starts, we, k)
    return found


def finditer(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text, pos, endpos)``, looked for only where they may be."""
    end = len(text) if endpos is None else endpos
    if end - pos < _WINDOWED_FROM:  # a sentence: a few ``str.find`` say whether to run the pattern at all
        gate = gate_of(pattern)
        if gate.words and not _holds_word(text, gate, pos, end):
            return iter(())
        return pattern.finditer(text, pos, end)
    spans = windows(pattern, text, pos, endpos)
    if len(spans) == 1:
        return pattern.finditer(text, *spans[0])
    return itertools.chain.from_iterable(pattern.finditer(text, ws, we) for ws, we in spans)


def search(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> re.Match[str] | None:
    """The match of ``pattern.search(text, pos, endpos)``, looked for only where it may be."""
    for ws, we in windows(pattern, text, pos, endpos):
        m = pattern.search(text, ws, we)
        if m:
            return m
    return None
