"""The identity rule, in one place: which records are one entity, and which id each gets.

Two records are one entity only on strong evidence:

1. the same Wikidata id;
2. the same node id or row key within one file (the loader passes one record per key);
3. across sources, the same normalised name, kind and country — and, when both have
   coordinates, no more than ``NEAR_KM`` apart (initiatives and technologies have no country:
   the same name is enough).

Anything else is a new entity: a name without a country never joins one with a country, and
two candidates are never chosen between. A new entity's id is its kind and name, plus its
ISO country code when it has one (``city/london-gb``, ``city/london-ca``), so an id does not
depend on load order; when that id is already held by another entity, the record's own
evidence (Wikidata id, else a hash of its name, country, place and file key) is appended. An
id already given out is never given to another entity. Every join is recorded in
``Batch.notes`` (and as ``owl:sameAs`` when the record's own id differs).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from climatekg.graph.model import Batch, EntityKind, make_id, normalise_name
from climatekg.graph.store import Store

#: Two located records with one name and country further apart than this are different places.
NEAR_KM = 50.0

#: Kinds a country does not apply to: their name (a programme's code) is their identity.
PLACELESS = frozenset({EntityKind.INITIATIVE, EntityKind.TECHNOLOGY})

#: Everyday country names that ISO 3166 spells otherwise.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czech republic": "CZ",
    "turkey": "TR",
    "ivory coast": "CI",
    "taiwan": "TW",
    "palestine": "PS",
    "kosovo": "XK",
    "republic of ireland": "IE",
    "cape verde": "CV",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "sao tome and principe": "ST",
    "brunei": "BN",
    "east timor": "TL",
    "micronesia": "FM",
    "falkland islands": "FK",
    "west bank": "PS",
}


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """ISO 3166 alpha-2 code of a country name, alpha-2 or alpha-3 code; None when unknown.

    A qualified name as real lists write it (``Wales, United Kingdom``, ``Georgia (country)``)
    is read by its last comma-separated part, without the remark in brackets.

    Examples:
        >>> country_code("GBR"), country_code("Canada"), country_code("fr"), country_code("Atlantis")
        ('GB', 'CA', 'FR', None)
        >>> country_code("Ohio, United States"), country_code("Georgia (country)")
        ('US', 'GE')
    """
    text = re.sub(r"\s*\([^)]*\)", "", value).strip()
    if "," in text:
        return country_code(text.rsplit(",", 1)[1])
    if not text:
        return None
    alias = _COUNTRY_ALIASES.get(normalise_name(text))
    if alias:
        return alias
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points (haversine formula)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True)
class Record:
    """What a loader knows about one node or row before it has an id."""

    kind: EntityKind
    label: str
    key: str  # the node id / row key within its file
    locator: str  # where it was read, for the notes ("node Q84", "line 12")
    country: str | None = None  # ISO alpha-2
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    #: The folded name the rule compares (computed once: a 100k-row file sorts and counts by it).
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", normalise_name(self.label))

    @property
    def point(self) -> tuple[float, float] | None:
        """(lat, lon), when both are known."""
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None

    def sort_key(self) -> tuple[str, ...]:
        """Order in which a file's records claim ids: independent of their order in the file."""
        return (
            self.kind.value,
            self.name,
            self.country or "",
            self.wikidata or "",
            self.key,
        )


@dataclass
class _Known:
    """An entity this load has placed, as the rule compares it."""

    id: str
    kind: EntityKind
    source: str
    country: str | None
    point: tuple[float, float] | None
    wikidata: str | None


@dataclass
class Identities:
    """Gives records entity ids; one per ``climatekg load`` so all its files see each other.

    Reads the store (never writes it) to find entities other sources already hold.
    """

    store: Store | None = None
    _by_id: dict[str, _Known] = field(default_factory=dict)
    _by_qid: dict[str, str] = field(default_factory=dict)
    _by_name: dict[tuple[EntityKind, str], list[str]] = field(default_factory=dict)
    _has_data: bool | None = None

    def assign(self, records: list[Record], batch: Batch, *, plain: bool = False) -> dict[str, str]:
        """Ids for one file's records (key → id), joins and homonyms noted in ``batch``.

        With ``plain`` (curated files, whose relations people write by hand), a new entity whose
        kind and name no other record of the file shares keeps the id without a country code
        (``city/shenzhen``) while it is free; homonyms get the country-coded ids.
        """
        ids: dict[str, str] = {}
        names = Counter((rec.kind, rec.name, rec.country) for rec in records)
        kinds_names = Counter((rec.kind, rec.name) for rec in records) if plain else Counter()
        for rec in sorted(records, key=Record.sort_key):
            # a file with two records of one name and country says the name alone picks neither
            homonyms = names[(rec.kind, rec.name, rec.country)] > 1
            alone = plain and kinds_names[(rec.kind, rec.name)] == 1
            ids[rec.key] = self._assign(rec, batch, by_name=not homonyms, plain=alone)
        return ids

    def reserve(self, eid: str, rec: Record, batch: Batch) -> None:
        """Record an id a file states itself (a curated ``id``), so no other record is given it."""
        self._remember(eid, rec, batch.source.id, keep=False)

    def _assign(self, rec: Record, batch: Batch, *, by_name: bool, plain: bool = False) -> str:
        source = batch.source.id
        own = self._own_id(rec)
        if plain and not self._taken(make_id(rec.kind, rec.label), source):
            own = make_id(rec.kind, rec.label)
        joined, evidence = self._match(rec, source, by_name=by_name)
        if joined is not None:
            if self._foreign(joined, source):
                batch.notes.append(f"{rec.locator} {rec.label!r} joined {joined}: {evidence}")
                if own != joined and not self._taken(own, source):
                    batch.merges.append((own, joined))
                    batch.merge_evidence[own] = f"{rec.locator} {rec.label!r}: {evidence}"
            self._remember(joined, rec, source, keep=True)
            return joined
        eid = own
        if self._taken(eid, source):
            tag = (rec.wikidata or "").lower() or hashlib.sha1(
                "|".join([rec.label, rec.country or "", str(rec.point or ""), source, rec.key]).encode()
            ).hexdigest()[:6]
            eid = f"{own}-{tag}"
            n = 2
            while eid in self._by_id:  # only a second record with the very same evidence in this load
                eid, n = f"{own}-{tag}-{n}", n + 1
            batch.notes.append(f"{rec.locator} {rec.label!r} is a homonym of {own}: kept apart as {eid}")
        self._remember(eid, rec, source, keep=False)
        return eid

    def _own_id(self, rec: Record) -> str:
        base = make_id(rec.kind, rec.label)
        return f"{base}-{rec.country.lower()}" if rec.country else base

    def _taken(self, eid: str, source: str) -> bool:
        """Held by another entity: placed in this load, or stored by another source (ids are never reused)."""
        if eid in self._by_id:
            return True
        if self._stored() is None or self.store is None or self.store.kind_of(eid) is None:
            return False
        e = self.store.entity(eid)
        return e is not None and e.provenance.source != source  # this file's own earlier load is replaced

    def _stored(self) -> Store | None:
        """The store, when it holds anything (an empty one is not asked record by record)."""
        if self._has_data is None:
            self._has_data = self.store is not None and bool(self.store.sources())
        return self.store if self._has_data else None

    def _foreign(self, eid: str, source: str) -> bool:
        """Whether ``eid`` was stated by another source (a join), not by this file's earlier load."""
        known = self._by_id.get(eid)
        if known is not None:
            return known.source != source
        store = self._stored()
        e = store.entity(eid) if store is not None else None
        return e is not None and e.provenance.source != source

    def _match(self, rec: Record, source: str, *, by_name: bool) -> tuple[str | None, str]:
        """The one entity ``rec`` is, with the evidence; (None, "") when there is none or no single one."""
        if rec.wikidata:
            hits = {self._by_qid[rec.wikidata]} if rec.wikidata in self._by_qid else set()
            store = self._stored()
            if not hits and store is not None:
                hits = {h for h in store.find(rec.wikidata) if store.kind_of(h) == rec.kind}
            if len(hits) == 1:
                return hits.pop(), f"same Wikidata id {rec.wikidata}"
        if not by_name or not (rec.country or rec.kind in PLACELESS):
            return None, ""
        candidates = {}
        for eid in self._by_name.get((rec.kind, rec.name), []):
            known = self._by_id[eid]
            if known.source != source:
                candidates[eid] = known
        store = self._stored()
        if store is not None:
            for eid in store.find(rec.label):
                if eid not in candidates and eid not in self._by_id:
                    e = store.entity(eid)
                    if e is not None and e.kind == rec.kind:
                        point = (e.lat, e.lon) if e.lat is not None and e.lon is not None else None
                        country = country_code(e.country) if e.country else None
                        candidates[eid] = _Known(eid, e.kind, e.provenance.source, country, point, e.wikidata)
        same = []
        for eid, known in candidates.items():
            if known.country != rec.country:
                continue
            if rec.wikidata and known.wikidata and rec.wikidata != known.wikidata:
                continue
            if rec.point and known.point and km_between(rec.point, known.point) > NEAR_KM:
                continue
            same.append(eid)
        if len(same) == 1:
            near = " (within 50 km)" if rec.point and candidates[same[0]].point else ""
            where = f" and country {rec.country}" if rec.country else ""
            return same[0], f"same name{where}{near}"
        return None, ""

    def _remember(self, eid: str, rec: Record, source: str, *, keep: bool) -> None:
        if not (keep and eid in self._by_id):
            self._by_id[eid] = _Known(eid, rec.kind, source, rec.country, rec.point, rec.wikidata)
            self._by_name.setdefault((rec.kind, rec.name), []).append(eid)
        if rec.wikidata:
            self._by_qid.setdefault(rec.wikidata, eid)
