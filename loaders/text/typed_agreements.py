"""Agreements named by their type in lower case ("a sister-city agreement", "a cooperation
agreement", "a new partnership with …"): generic candidates, named after their parties later."""

from __future__ import annotations

from climatekg.graph.model import EntityKind
from climatekg.loaders.text import scan
from climatekg.loaders.text.candidates import Candidate
from climatekg.loaders.text.patterns.forms import AGREEMENT_TYPE_RE

#: The type words, and the agreement class each gives.
_TYPES = {
    "sister-city": "sister_city",
    "sister city": "sister_city",
    "twinning": "sister_city",
    "friendship-city": "sister_city",
    "cooperation": "partnership",
    "co-operation": "partnership",
    "partnership": "partnership",
    "framework": "partnership",
    "memorandum of understanding": "mou",
}


def typed_agreement_candidates(text: str) -> list[Candidate]:
    """Lower-case agreements by type, as generic agreement candidates (linked to their parties later)."""
    out = []
    for m in scan.finditer(AGREEMENT_TYPE_RE, text):
        name = " ".join(m.group("name").split())
        if name[:1].isupper():
            continue  # a capitalised name is read by the name patterns
        kind = (m.group("type") or "memorandum of understanding").casefold()
        generic = _TYPES.get(kind.replace("co-operation", "cooperation"), "partnership")
        label = name[:1].upper() + name[1:]
        out.append(
            Candidate(m.start("name"), m.end("name"), EntityKind.AGREEMENT, label, 0.6, 2, generic=generic)
        )
    return out
