"""Technologies the concept scheme names in other words, and new ones proposed by their form.

Variants ("rooftop solar", "charging hubs", "district-cooling networks") link to the scheme's
concept when the gazetteer holds it; a kind of thing the scheme lacks ("battery-electric ferries",
"shore power", "vehicle-to-grid") becomes a new Technology candidate at a lower confidence.
"""

from __future__ import annotations

from climatekg.graph.model import EntityKind
from climatekg.loaders.text import scan
from climatekg.loaders.text.candidates import Candidate
from climatekg.loaders.text.gazetteer import Gazetteer, GazetteerMatch
from climatekg.loaders.text.patterns.forms import FUEL_CELL_BUS_RE, NEW_TECHNOLOGIES, VARIANTS


def technology_matches(text: str, gaz: Gazetteer) -> list[GazetteerMatch]:
    """Variants of the scheme's concepts in ``text``, as matches of the concept (when known)."""
    out = []
    for pattern, label in VARIANTS:
        entries = [e for e in gaz.lookup(label) if e.kind is EntityKind.TECHNOLOGY]
        if not entries:
            continue
        for m in scan.finditer(pattern, text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            out.append(GazetteerMatch(s, e, (entries[0],)))
    return out


def technology_candidates(text: str) -> list[Candidate]:
    """New technologies named by their form, at a lower confidence than the scheme's."""
    out = []
    for m in scan.finditer(NEW_TECHNOLOGIES, text):
        term = " ".join(m.group().split())
        plural = _plural(term)
        if plural.casefold().endswith((" lights", " light")):  # "solar street lights": the lighting
            plural = plural.rsplit(" ", 1)[0] + " lighting"
        if FUEL_CELL_BUS_RE.fullmatch(plural):  # "hydrogen buses", "fuel-cell buses": one kind of bus
            plural = "hydrogen fuel-cell buses"
        label = plural[:1].upper() + plural[1:]
        aliases = (term,) if plural != term else ()
        out.append(Candidate(m.start(), m.end(), EntityKind.TECHNOLOGY, label, 0.55, 1, aliases))
    return out


#: Countable things a technology is named by: labelled in the plural ("battery-electric ferries").
_COUNTABLE = (
    "ferry",
    "bus",
    "motorcycle",
    "taxi",
    "wheeler",
    "truck",
    "boat",
    "ship",
    "vessel",
    "tug",
    "car",
    "plant",
    "charger",
    "electrolyser",
    "electrolyzer",
    "shoreline",
)


def _plural(term: str) -> str:
    """ "battery-electric ferry" → "battery-electric ferries"; plurals and mass nouns as they are."""
    last = term.split()[-1].casefold()
    if not last.endswith(_COUNTABLE):
        return term
    if last.endswith("y"):
        return term[:-1] + "ies"
    return term + ("es" if last.endswith("s") else "s")
