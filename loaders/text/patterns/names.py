"""What a name looks like: letters, tokens, capitalised runs, acronyms, and the head words
that decide what kind of thing a name names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from climatekg.graph.model import EntityKind
from climatekg.loaders.text.patterns.cues import MONTHS

#: Upper-case letters of the Latin scripts (a name starts with one of these).
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
#: Letters of CJK and other unsegmented scripts: each character is one token.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
CJK_RE = re.compile(f"[{CJK}]")

# --- tokens the gazetteer matches ------------------------------------------------------------

#: A token: one CJK character, or a run of letters and digits.
TOKEN_RE = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
#: What may separate two tokens of one name ("Low-Carbon", "U.S.", "ICLEI – Local").
NEXT_TOKEN_RE = re.compile(rf"[ \t\r\n\-‐‑–—'’.&/·・]{{0,4}}([{CJK}]|[^\W_{CJK}]+)")
#: Anything but letters and digits (squashed when names are compared, split on for words).
NON_WORD_RE = re.compile(r"[\W_]+")
#: The last word of a name, when it is all letters (the word a plural is made of).
LAST_WORD_RE = re.compile(r"([^\W\d_]+)$")

# --- capitalised runs ------------------------------------------------------------------------

#: Month names and their abbreviations, capitalised ("January", "Jan", "Sept"): never a name's word.
_MONTHS = "|".join(m.capitalize() for m in MONTHS)
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
#: One capitalised word of a name: "Low-Carbon", "U.S.-China", "C40", "Sustainability".
CAP_WORD = (
    rf"(?!(?:{_MONTHS}|{_DAYS})\b)"
    rf"(?:(?:[{UPPER}]\.){{2,}}(?:-[{UPPER}][^\W_]*)?|[{UPPER}][^\W_]*(?:[-‐'’][^\W_]+){{0,4}})"
)
#: Small words allowed inside a name: "Local Governments for Sustainability".
CONNECTORS = (
    "of",
    "for",
    "and",
    "&",
    "the",
    "on",
    "de",
    "du",
    "des",
    "la",
    "le",
    "del",
    "di",
    "da",
    "van",
    "von",
)
_SEP = r"(?:[ \t]+|[ \t]*[-–—][ \t]*)"
#: A run of capitalised words, possibly joined by connectors, dashes and trailing numbers.
NAME_RUN_RE = re.compile(
    rf"(?<![\w.]){CAP_WORD}(?:{_SEP}(?:(?:{'|'.join(map(re.escape, CONNECTORS))}){_SEP}){{0,2}}"
    rf"(?:{CAP_WORD}|\d{{4}}\b|\d{{1,2}}\b(?!\s*(?:{_MONTHS}))))*"
)
NAME_TOKEN_RE = re.compile(rf"(?:[{UPPER}]\.){{2,}}(?:-[{UPPER}][^\W_]*)?|[^\W_]+(?:[-‐'’][^\W_]+)*|&")
#: An acronym in brackets after a name: "(CCUCC)", "(MoU)", "(C40)".
ACRONYM_DEF_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{1,11})\s*\)")
ACRONYM_RE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9&\-]{1,11}$")
#: Where the words of a name split into parts whose initials an acronym may take.
WORD_PART_SEP_RE = re.compile(r"[-‐'’.]")

# --- what a name names -----------------------------------------------------------------------

#: The word that decides what a name names, by kind (matched case-insensitively).
HEADS: dict[str, EntityKind] = {}
for _kind, _words in (
    (
        EntityKind.ORGANISATION,
        """foundation institute institution council association agency alliance network group
        company corporation corp inc ltd llc gmbh ag plc bv university college commission ministry
        department bureau authority office board fund bank centre center society committee
        coalition organisation organization federation union secretariat governments government
        trust consortium laboratory laboratories lab labs administration academy chamber league
        municipality cooperative co-operative utility utilities motors industries holdings ab oy renewables
        energia energi energie institut universitas universiti politeknik
        universidad universidade université universität instituto""",
    ),
    (
        EntityKind.INITIATIVE,
        """initiative collaborative programme program project platform challenge compact covenant
        campaign partnership mission accelerator pledge""",
    ),
    (
        EntityKind.EVENT,
        """summit conference forum congress expo exhibition meeting week dialogue symposium
        workshop festival fair roundtable assembly games talks days""",
    ),
    (
        EntityKind.AGREEMENT,
        "agreement memorandum accord declaration protocol pact charter treaty convention mou",
    ),
):
    for _w in _words.split():
        HEADS[_w] = _kind

#: The last word of a company's name that is its legal form: "Acme Ltd" is also "Acme".
LEGAL_SUFFIXES = frozenset(
    ["ltd", "inc", "llc", "gmbh", "ag", "plc", "bv", "sa", "corp", "co", "limited", "ab", "oy"]
)

#: The classification of an organisation, by a word of its name (the last such word decides).
ORG_CLASS = {
    "foundation": "foundation",
    "trust": "foundation",
    "university": "research_institute",
    "institute": "research_institute",
    "institution": "research_institute",
    "laboratory": "research_institute",
    "laboratories": "research_institute",
    "lab": "research_institute",
    "labs": "research_institute",
    "academy": "research_institute",
    "college": "research_institute",
    "ministry": "government_body",
    "department": "government_body",
    "bureau": "government_body",
    "authority": "government_body",
    "agency": "government_body",
    "commission": "government_body",
    "government": "government_body",
    "municipality": "government_body",
    "administration": "government_body",
    "company": "company",
    "corporation": "company",
    "corp": "company",
    "inc": "company",
    "ltd": "company",
    "llc": "company",
    "gmbh": "company",
    "ag": "company",
    "plc": "company",
    "bv": "company",
    "group": "company",
    "utility": "company",
    "motors": "company",
    "renewables": "company",
    "energia": "company",
    "energi": "company",
    "energie": "company",
    "institut": "research_institute",
    "universitas": "research_institute",
    "universiti": "research_institute",
    "politeknik": "research_institute",
    "industries": "company",
    "holdings": "company",
    "ab": "company",
    "oy": "company",
    "universidad": "research_institute",
    "universidade": "research_institute",
    "université": "research_institute",
    "universität": "research_institute",
    "instituto": "research_institute",
}
#: A network of cities: one of these words in the name, and one of the heads below.
CITY_NETWORK_WORDS = frozenset(["cities", "local", "mayors", "municipalities", "towns", "urban"])
CITY_NETWORK_HEADS = (
    "network",
    "alliance",
    "governments",
    "association",
    "council",
    "league",
    "coalition",
    "group",
    "federation",
    "union",
)

#: Agreement names that are generic: their entity gets the parties in its label.
GENERIC_AGREEMENTS = {
    "memorandum of understanding": "mou",
    "mou": "mou",
    "memorandum": "mou",
    "agreement": "other",
    "cooperation agreement": "partnership",
    "co-operation agreement": "partnership",
    "partnership agreement": "partnership",
    "framework agreement": "partnership",
    "letter of intent": "other",
    "sister city agreement": "sister_city",
    "sister-city agreement": "sister_city",
    "friendship city agreement": "sister_city",
    "谅解备忘录": "mou",
    "合作谅解备忘录": "mou",
    "合作备忘录": "mou",
    "合作协议": "partnership",
    "协议": "other",
    "友好城市协议": "sister_city",
}
#: The title a generic MOU's label starts with (other generic agreements keep their own words).
MOU_TITLE = "Memorandum of Understanding"

# --- events ----------------------------------------------------------------------------------

ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
#: "the 21st annual meeting of Conference of Parties (COP)" → COP21.
ORDINAL_EVENT_RE = re.compile(
    r"\b(?:the[ \t]+)?(?P<ord>\d{1,3}(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r")[ \t]+"
    r"(?:(?:annual|regular|plenary|ordinary|biennial|general)[ \t]+){0,2}"
    r"(?:meeting|session|edition|conference)[ \t]+of[ \t]+(?:the[ \t]+)?"
    rf"(?P<name>{CAP_WORD}(?:[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?{CAP_WORD}){{0,6}})"
    r"(?:[ \t]*\([ \t]*(?P<acr>[A-Z][A-Za-z]{1,9})[ \t]*\))?",
    re.IGNORECASE,
)
#: "COP21", "COP 26", "MOP-3".
NUMBERED_EVENT_RE = re.compile(r"\b(COP|CMP|CMA|MOP|SB)[ \t-]?(\d{1,2})\b")
#: What is not a digit (dropped from "21st" to read the number).
NON_DIGIT_RE = re.compile(r"\D")

# --- national branches -----------------------------------------------------------------------

#: Suffixes that make a national branch of an organisation: "ICLEI USA", "ICLEIUSA".
COUNTRY_SUFFIXES = (
    "USA",
    "US",
    "Canada",
    "China",
    "Europe",
    "Africa",
    "Japan",
    "Korea",
    "Mexico",
    "Brasil",
    "Brazil",
    "India",
    "Oceania",
    "Germany",
    "UK",
)


def branch_re(acronyms: Iterable[str]) -> re.Pattern[str]:
    """A national branch of an organisation known by one of ``acronyms``: "ICLEI USA", "ICLEIUSA"."""
    return re.compile(
        rf"(?<![\w])({'|'.join(map(re.escape, sorted(acronyms, key=len, reverse=True)))})[ \t-]?"
        rf"({'|'.join(COUNTRY_SUFFIXES)})(?![\w])"
    )
