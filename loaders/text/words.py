"""Small tests on words and spans that several stages of the extractor share."""

from __future__ import annotations

from functools import lru_cache

from climatekg.loaders.text.patterns.clauses import BRACKETS_RE, CLAUSE_START_RE, LOCATIVE_RE
from climatekg.loaders.text.patterns.names import ACRONYM_RE, LAST_WORD_RE
from climatekg.loaders.text.patterns.people import ROLE_WORD_RE, TITLE_WORDS


def plural_variants(name: str) -> list[str]:
    """'heat pump' → 'heat pumps'; 'battery' → 'batteries'; 'heat pumps' → 'heat pump'.

    Examples:
        >>> plural_variants("heat pump"), plural_variants("battery"), plural_variants("heat pumps")
        (['heat pumps'], ['batteries'], ['heat pump'])
    """
    m = LAST_WORD_RE.search(name)
    if not m or len(m.group(1)) < 3 or not m.group(1).islower():
        return []
    stem, word = name[: m.start()], m.group(1)
    if word.endswith("ies"):
        return [stem + word[:-3] + "y"]
    if word.endswith(("sses", "xes", "ches", "shes", "zes", "uses")):
        return [stem + word[:-2]]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [stem + word[:-1]]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [stem + word[:-1] + "ies"]
    if word.endswith(("s", "x", "ch", "sh", "z")):
        return [stem + word + "es"]
    return [stem + word + "s"]


@lru_cache(maxsize=4096)
def singular(word: str) -> str:
    """The singular of a lower-case plural ('pumps' → 'pump'); other words as they are."""
    variants = plural_variants(word) if word.endswith("s") else []
    return variants[0] if variants else word


def is_acronym(name: str) -> bool:
    """True for a short name in capitals with at least two capitals ("MOU", "C40", "ICLEI")."""
    return bool(ACRONYM_RE.match(name)) and name.upper() == name and len(name) <= 8


def is_title(role: str) -> bool:
    """True when ``role`` reads as a person's post ("Executive Director", "former mayor")."""
    words = ROLE_WORD_RE.findall(role.casefold())
    return 0 < len(words) <= 14 and any(w in TITLE_WORDS for w in words)


def skip_brackets(text: str, pos: int) -> int:
    """The position after a bracketed aside at ``pos`` ("MOU (the Agreement)"), else ``pos``."""
    m = BRACKETS_RE.match(text, pos)
    return m.end() if m else pos


def clause_start(text: str, sentence_start: int, pos: int) -> int:
    """Where the clause containing ``pos`` starts, in the sentence that starts at ``sentence_start``."""
    start = sentence_start
    for m in CLAUSE_START_RE.finditer(text, sentence_start, pos):
        start = m.end()
    return start


def after_locative(text: str, sentence_start: int, pos: int) -> bool:
    """True when the mention at ``pos`` follows 'in'/'at'/'在': a place, not a party."""
    return bool(LOCATIVE_RE.search(text, max(sentence_start, pos - 8), pos))
