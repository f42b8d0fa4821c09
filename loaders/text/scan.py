"""Fast scanning: a regular expression runs only where a word it cannot match without occurs.

Most cue patterns of the rules ("joined as full members", "charging hubs", "the 21st meeting of")
match nowhere in most sentences, yet the regex engine tries them at every character. Each pattern
has words at least one of which every match contains (for ``\\bcharging[ \\t]+hubs?`` the word
"charging"); they are read from the pattern itself (:func:`required_words`), so a rule edited
later keeps a correct gate without anyone updating a list. :func:`finditer` and :func:`search`
look those words up in a lower-cased copy of the text first (``str.find``, far quicker than the
engine), and run the pattern only when one is there — with the same matches as
``pattern.finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

#: Characters a case-insensitive regex takes for an ASCII letter but ``str.lower`` does not map
#: to it (dotted and dotless i, long s); the folded text maps them so no match is gated out.
_FOLD_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


@lru_cache(maxsize=8)
def folded(text: str) -> str | None:
    """``text`` lower-cased character by character (same length), or None if that cannot be."""
    low = text.translate(_FOLD_FIXES).lower()
    return low if len(low) == len(text) else None


def _usable(ch: str) -> bool:
    """True for a character the folded text spells as ``ch.lower()`` wherever a match has it."""
    return ch.isascii() or (ch.lower() == ch == ch.upper() and ch.casefold() == ch)


@cache
def required_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Lower-case strings at least one of which every match of ``pattern`` contains (or
    looks ahead at); empty when the pattern has none (it then always runs).

    Examples:
        >>> required_words(re.compile(r"\\b(?:fast[ \\t]+)?charging[ \\t]+(?:hubs?|points?)\\b", re.I))
        ('charging',)
        >>> required_words(re.compile(r"\\b(?:Mayor|Governor)[ \\t]+[A-Z]\\w+"))
        ('mayor', 'governor')
        >>> required_words(re.compile(r"[A-Z]\\w+"))
        ()
    """
    words = _sequence(sre_parse.parse(pattern.pattern, pattern.flags))
    return tuple(dict.fromkeys(words)) if words else ()


def _sequence(items: object) -> frozenset[str] | None:
    """The best set of required strings for a sequence of parsed items (None: none known)."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:  # type: ignore[attr-defined]
        if op is sre.LITERAL and _usable(chr(av)):
            run.append(chr(av).lower())
            continue
        flush()
        found: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            found = _sequence(av[3])
        elif op is sre.ATOMIC_GROUP:
            found = _sequence(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _sequence(av[2])
        elif op is sre.ASSERT and av[0] == 1:  # a lookahead: inside the text searched, too
            found = _sequence(av[1])
        elif op is sre.BRANCH:
            alternatives = [_sequence(b) for b in av[1]]
            if all(a is not None for a in alternatives):
                found = frozenset().union(*alternatives)  # type: ignore[arg-type]
        if found:
            options.append(found)
    flush()
    options = [o for o in options if all(o)]
    if not options:
        return None
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


def could_match(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> bool:
    """False only when no match of ``pattern`` can lie in ``text[pos:endpos]``."""
    words = required_words(pattern)
    if not words:
        return True
    low = folded(text)
    if low is None:
        return True
    end = len(text) if endpos is None else endpos
    return any(low.find(w, pos, end) != -1 for w in words)


def finditer(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)``, skipped when a word every match needs is absent."""
    if not could_match(pattern, text, pos, endpos):
        return iter(())
    return pattern.finditer(text, pos) if endpos is None else pattern.finditer(text, pos, endpos)


def search(
    pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> re.Match[str] | None:
    """``pattern.search(text, pos, endpos)``, skipped when a word every match needs is absent."""
    if not could_match(pattern, text, pos, endpos):
        return None
    return pattern.search(text, pos) if endpos is None else pattern.search(text, pos, endpos)
