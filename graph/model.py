"""The canonical model: entities, relations and their provenance.

Loaders produce these records; stores keep them; queries return them. Everything is a
plain frozen dataclass so records can be compared, hashed and serialised without a store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

Status = Literal["curated", "extracted"]


class EntityKind(StrEnum):
    """The kinds of entity the network is made of."""

    CITY = "City"
    PLACE = "Place"  # regions and countries a city lies in; not an actor
    ORGANISATION = "Organisation"
    INITIATIVE = "Initiative"
    AGREEMENT = "Agreement"
    TECHNOLOGY = "Technology"
    EVENT = "Event"
    PERSON = "Person"


#: Kinds that act in the network (can partner, join, sign).
ACTOR_KINDS = frozenset({EntityKind.CITY, EntityKind.ORGANISATION, EntityKind.INITIATIVE})

#: Short id prefixes, so ids read well and never collide across kinds.
ID_PREFIX = {
    EntityKind.CITY: "city",
    EntityKind.PLACE: "place",
    EntityKind.ORGANISATION: "org",
    EntityKind.INITIATIVE: "initiative",
    EntityKind.AGREEMENT: "agreement",
    EntityKind.TECHNOLOGY: "tech",
    EntityKind.EVENT: "event",
    EntityKind.PERSON: "person",
}

ORGANISATION_CLASSES = (
    "foundation",
    "company",
    "government_body",
    "city_network",
    "research_institute",
    "ngo",
    "other",
)
AGREEMENT_TYPES = ("mou", "sister_city", "partnership", "other")


class RelationKind(StrEnum):
    """Typed relations. Direction reads subject → object."""

    MEMBER_OF = "member_of"  # City/Place/Organisation/Person → Initiative/Organisation
    PARTY_TO = "party_to"  # actor/Person → Agreement
    SIGNED_AT = "signed_at"  # Agreement → Event/City/Place
    WORKS_FOR = "works_for"  # Person → Organisation/City (role = post)
    PARTICIPATED_IN = "participated_in"  # actor/Person → Event
    LAUNCHED_AT = "launched_at"  # Initiative → Event
    LED_BY = "led_by"  # Initiative → Organisation
    HELD_IN = "held_in"  # Event → City/Place
    LOCATED_IN = "located_in"  # City/Organisation/Place → City/Place
    DEMONSTRATES = "demonstrates"  # actor → Technology (uses or showcases it)
    PROVIDES = "provides"  # Organisation → Technology (supplies it)
    CONCERNS = "concerns"  # Agreement/Initiative → Technology (purpose)
    BUILDS_ON = "builds_on"  # Agreement → Event/Agreement
    PARTNER_OF = "partner_of"  # actor ↔ actor
    BROADER = "broader"  # Technology → Technology (SKOS)


#: Allowed (subject kinds, object kinds) per relation; checked by loaders and SHACL.
_ACT = {EntityKind.CITY, EntityKind.ORGANISATION, EntityKind.INITIATIVE}
RELATION_SIGNATURE: dict[RelationKind, tuple[frozenset[EntityKind], frozenset[EntityKind]]] = {
    RelationKind.MEMBER_OF: (  # regions (Place) join city networks too
        frozenset(_ACT | {EntityKind.PERSON, EntityKind.PLACE}),
        frozenset({EntityKind.ORGANISATION, EntityKind.INITIATIVE}),
    ),
    RelationKind.PARTY_TO: (frozenset(_ACT | {EntityKind.PERSON}), frozenset({EntityKind.AGREEMENT})),
    RelationKind.SIGNED_AT: (
        frozenset({EntityKind.AGREEMENT}),
        frozenset({EntityKind.EVENT, EntityKind.CITY, EntityKind.PLACE}),
    ),
    RelationKind.WORKS_FOR: (frozenset({EntityKind.PERSON}), frozenset(_ACT)),
    RelationKind.PARTICIPATED_IN: (frozenset(_ACT | {EntityKind.PERSON}), frozenset({EntityKind.EVENT})),
    RelationKind.LAUNCHED_AT: (
        frozenset({EntityKind.INITIATIVE, EntityKind.AGREEMENT}),
        frozenset({EntityKind.EVENT}),
    ),
    RelationKind.LED_BY: (frozenset({EntityKind.INITIATIVE}), frozenset(_ACT)),
    RelationKind.HELD_IN: (frozenset({EntityKind.EVENT}), frozenset({EntityKind.CITY, EntityKind.PLACE})),
    RelationKind.LOCATED_IN: (
        frozenset({EntityKind.CITY, EntityKind.ORGANISATION, EntityKind.PLACE}),
        frozenset({EntityKind.CITY, EntityKind.PLACE}),
    ),
    RelationKind.DEMONSTRATES: (frozenset(_ACT), frozenset({EntityKind.TECHNOLOGY})),
    RelationKind.PROVIDES: (frozenset({EntityKind.ORGANISATION}), frozenset({EntityKind.TECHNOLOGY})),
    RelationKind.CONCERNS: (
        frozenset({EntityKind.AGREEMENT, EntityKind.INITIATIVE}),
        frozenset({EntityKind.TECHNOLOGY}),
    ),
    RelationKind.BUILDS_ON: (
        frozenset({EntityKind.AGREEMENT, EntityKind.INITIATIVE}),
        frozenset({EntityKind.EVENT, EntityKind.AGREEMENT}),
    ),
    RelationKind.PARTNER_OF: (frozenset(_ACT), frozenset(_ACT)),
    RelationKind.BROADER: (frozenset({EntityKind.TECHNOLOGY}), frozenset({EntityKind.TECHNOLOGY})),
}


_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_date(text: str) -> str:
    """Return ``text`` if it is YYYY, YYYY-MM or YYYY-MM-DD (a real date), else raise ValueError."""
    if not _DATE_RE.match(text):
        raise ValueError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return text


def date_bounds(text: str) -> tuple[str, str]:
    """The first and last day a partial date can mean, as ISO strings (for as-of filters)."""
    parts = text.split("-")
    if len(parts) == 3:
        return text, text
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return f"{text}-01", date.fromordinal(nxt.toordinal() - 1).isoformat()
    return f"{text}-01-01", f"{text}-12-31"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A deterministic ASCII slug: 'Shenzhen Low-Carbon …' → 'shenzhen-low-carbon-…'.

    Accents are folded only for the id; labels keep them.
    """
    folded = (
        text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    )
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:  # names with no Latin letters (e.g. 深圳) get a stable hash instead
        slug = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return slug


def make_id(kind: EntityKind, name: str) -> str:
    """The stable id of an entity of ``kind`` named ``name``: ``city/shenzhen``."""
    return f"{ID_PREFIX[kind]}/{slugify(name)}"


#: Typographic apostrophes, quotes and dashes that people type as the plain ASCII one.
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)


def normalise_name(text: str) -> str:
    """The key names are matched on: case, accents, apostrophe/quote/dash variants and spacing folded.

    ``Bogotá``, ``BOGOTA`` and ``bogota`` share a key, and so do ``d'Adda`` and ``d’Adda``.
    Accents are removed by Unicode decomposition (NFKD) and dropping combining marks; scripts
    without them (深圳) are unchanged.

    Examples:
        >>> normalise_name("  São  Paulo ") == normalise_name("sao paulo")
        True
        >>> normalise_name("Cassano d’Adda") == normalise_name("CASSANO D'ADDA")
        True
    """
    if text.isascii():  # most names: nothing to decompose or translate
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).casefold().split())


def closest_names(key: str, names: dict[str, set[str]], limit: int) -> list[str]:
    """Ids of the names nearest the folded name ``key``, best first: the suggestions for a typo.

    ``names`` maps each folded name to the ids that bear it. Scored with rapidfuzz's WRatio (a
    typo, a missing word), at least 80; names are taken in sorted order so that equal scores
    come out the same on every store.

    Examples:
        >>> closest_names("zurich", {"zuerich": {"city/zurich"}, "basel": {"city/basel"}}, 3)
        ['city/zurich']
    """
    from rapidfuzz import fuzz, process  # only when nothing matched exactly

    found: list[str] = []
    for name, _, _ in process.extract(key, sorted(names), scorer=fuzz.WRatio, limit=limit, score_cutoff=80):
        found.extend(sorted(names[name] - set(found)))
    return found[:limit]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact comes from. ``source`` is a Source id; ``locator`` a sentence or row."""

    source: str
    loader: str
    locator: str | None = None
    quote: str | None = None
    confidence: float = 1.0
    status: Status = "curated"
    loaded_at: str | None = field(default=None, compare=False)  # filled in by the store when read


@dataclass(frozen=True, slots=True)
class Entity:
    """A node of the network. ``labels`` maps language tags to labels; ``label`` is English."""

    id: str
    kind: EntityKind
    label: str
    provenance: Provenance
    labels: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    classification: str | None = None  # organisation class or agreement type
    description: str | None = None
    date: str | None = None  # agreements and events: when signed / held
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    #: Node/row attributes no model field holds (``region``, ``mayor`` …), as (key, text) pairs.
    attributes: tuple[tuple[str, str], ...] = ()

    def names(self) -> list[str]:
        """Every name the entity goes by: label, other-language labels, aliases."""
        return [self.label, *(text for _, text in self.labels), *self.aliases]


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, optionally dated tie between two entities, with its evidence."""

    subject: str
    kind: RelationKind
    object: str
    provenance: Provenance
    start: str | None = None
    end: str | None = None
    role: str | None = None

    @property
    def id(self) -> str:
        """Deterministic id: the same fact from the same source always gets the same id."""
        key = "|".join(
            [
                self.subject,
                self.kind.value,
                self.object,
                self.start or "",
                self.end or "",
                self.role or "",
                self.provenance.source,
                self.provenance.locator or "",
            ]
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def valid_on(self, day: str) -> bool:
        """True when the relation holds on ``day`` (ISO date); open ends always match."""
        if self.start and date_bounds(self.start)[0] > day:
            return False
        return not (self.end and date_bounds(self.end)[1] < day)


@dataclass(frozen=True)
class Source:
    """A document or dataset facts are taken from; each source is one named graph."""

    id: str
    title: str
    loader: str
    publisher: str | None = None
    url: str | None = None
    issued: str | None = None
    licence: str | None = None
    path: str | None = None


@dataclass
class Batch:
    """What a loader hands to a store: one source and its records, already validated."""

    source: Source
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)  # (alias id, canonical id)
    merge_evidence: dict[str, str] = field(default_factory=dict)  # alias id → which record joined, why
    #: What the loader decided and the user should read: joins of records to entities with their
    #: evidence, homonyms kept apart, unknown countries, unused columns, re-decoded lines.
    notes: list[str] = field(default_factory=list)
    digest: str = ""  # hash of the input and loader; an equal digest means an equal load
    rdf_path: str | None = None  # RDF sources are streamed from this file instead of records
    rdf_format: str | None = None  # its media type, e.g. "text/turtle"
