"""Linking: each candidate name becomes an entity — a known one when any of its names is in the
gazetteer, one proposed earlier in the same text, or a new one proposed once per document.
Generic agreements ("an MOU") are named after their parties once every party is linked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from climatekg.graph.model import ACTOR_KINDS, Entity, EntityKind, make_id, normalise_name
from climatekg.loaders.text.candidates import Candidate
from climatekg.loaders.text.gazetteer import GazetteerEntry, GazetteerMatch
from climatekg.loaders.text.patterns.clauses import ADJECTIVAL_RE, LIST_GAP_RE, WITH_RE
from climatekg.loaders.text.patterns.cues import DATE_RE, MEMBER_OF_BEFORE_RE, MONTHS, SIGN_RE
from climatekg.loaders.text.patterns.forms import EVENT_YEAR_RE
from climatekg.loaders.text.patterns.names import CITY_NETWORK_WORDS, MOU_TITLE
from climatekg.loaders.text.patterns.people import IT_IS_RUN_BY_RE
from climatekg.loaders.text.patterns.zh import ZH_SIGN_RE
from climatekg.loaders.text.state import ExtractionState
from climatekg.loaders.text.words import after_locative, clause_start, skip_brackets


def link(doc: ExtractionState, winners: list[tuple[int, int, int, object]]) -> list[tuple[int, int, object]]:
    """Give each winning span an entity id: a known one if any of its names is known, else new.

    Generic agreements stay candidates (they are resolved once every party is linked).
    """
    linked: list[tuple[int, int, object]] = []
    deferred: list[tuple[int, int, int, Candidate]] = []
    _run_by_is_an_initiative(doc, winners)
    _one_kind_per_body(winners)
    _bodies_with_members(doc.text, winners)
    for s, e, _, item in winners:
        if isinstance(item, GazetteerMatch):
            ids = {x.id for x in item.entries}
            if len(ids) == 1:
                entry = item.entries[0]
                _note_known(doc, entry)
                linked.append((s, e, entry.id))
                if entry.kind is EntityKind.PERSON:
                    doc.surnames.setdefault(entry.names[0].split()[-1].casefold(), entry.id)
            continue
        assert isinstance(item, Candidate)
        if item.generic:
            linked.append((s, e, item))
            continue
        if item.surname:
            deferred.append((s, e, 0, item))
            continue
        entity_id = _resolve(doc, item)
        if entity_id:
            linked.append((s, e, entity_id))
            if item.kind is EntityKind.PERSON and doc.kinds.get(entity_id) is EntityKind.PERSON:
                doc.surnames.setdefault(item.label.split()[-1].casefold(), entity_id)
    for s, e, _, cand in sorted(deferred, key=lambda d: d[0]):
        assert cand.surname is not None
        known = doc.surnames.get(cand.surname.casefold())
        entity_id = known or _resolve(doc, cand)
        if known:
            _add_names(doc, known, [doc.text[s:e]])
        if entity_id:
            linked.append((s, e, entity_id))
    for s, _, found in linked:
        if isinstance(found, str):
            doc.first_seen[found] = min(doc.first_seen.get(found, s), s)
    return linked


def _one_kind_per_body(winners: list[tuple[int, int, int, object]]) -> None:
    """A body named twice is one kind: "the Blue Harbours Network" in a heading is the Initiative
    that a later "The Blue Harbours Network is an initiative of Z" says it is."""
    initiatives = {
        normalise_name(c.label)
        for *_, c in winners
        if isinstance(c, Candidate) and c.kind is EntityKind.INITIATIVE and not c.generic
    }
    if not initiatives:
        return
    for *_, c in winners:
        if (
            isinstance(c, Candidate)
            and c.kind is EntityKind.ORGANISATION
            and normalise_name(c.label) in initiatives
        ):
            c.kind, c.classification = EntityKind.INITIATIVE, None


#: Head words of a body of members that another body may run ("… Coalition", "… Alliance").
GROUP_HEADS = frozenset(["coalition", "alliance", "network", "league", "partnership", "compact"])


def _run_by_is_an_initiative(doc: ExtractionState, winners: list[tuple[int, int, int, object]]) -> None:
    """ "The Alpine Clean Air Coalition is a network of towns. It was founded in 2019 and is run by
    the Z Foundation": a network run by another body is an initiative (the first body the sentence
    before names, when its head says it is a group)."""
    for m in IT_IS_RUN_BY_RE.finditer(doc.text):
        n = doc.sentence_of(m.start())
        if n == 0 or not m.group().startswith("It"):
            continue
        s, e = doc.sentences[n - 1]
        bodies = [
            c
            for a, _, _, c in winners
            if s <= a < e
            and isinstance(c, Candidate)
            and c.kind in (EntityKind.ORGANISATION, EntityKind.INITIATIVE)
        ]
        if (
            bodies
            and bodies[0].kind is EntityKind.ORGANISATION
            and bodies[0].label.split()[-1].casefold() in GROUP_HEADS
        ):
            bodies[0].kind, bodies[0].classification = EntityKind.INITIATIVE, None


def _bodies_with_members(text: str, winners: list[tuple[int, int, int, object]]) -> None:
    """ "Port Vila, a member of the Small Island Cities Forum since 2015": a forum with members is a
    body (a city network when its name says cities), not an event."""
    for *_, c in winners:
        if (
            isinstance(c, Candidate)
            and c.kind is EntityKind.EVENT
            and MEMBER_OF_BEFORE_RE.search(text, max(0, c.start - 30), c.start)
        ):
            c.kind = EntityKind.ORGANISATION
            words = {w.casefold() for w in c.label.split()}
            c.classification = "city_network" if words & CITY_NETWORK_WORDS else "other"


def _note_known(doc: ExtractionState, entry: GazetteerEntry) -> None:
    """Remember a known entity's kind and classification (the relation rules check them)."""
    doc.kinds.setdefault(entry.id, entry.kind)
    doc.classes.setdefault(entry.id, entry.classification)


def _resolve(doc: ExtractionState, cand: Candidate) -> str | None:
    """The entity a candidate names: known by one of its names, named before here, or new."""
    names = [cand.label, *cand.aliases, doc.text[cand.start : cand.end]]
    own = {normalise_name(cand.label), normalise_name(doc.text[cand.start : cand.end])}
    ids: dict[str, GazetteerEntry] = {}
    for name in names:
        for entry in doc.gaz.lookup(name):
            # a short alias ("Xiamen" for "Xiamen Bus Group") names only an entity of the same kind
            if normalise_name(name) in own or entry.kind is cand.kind:
                ids[entry.id] = entry
    if len(ids) > 1:
        return None  # two known entities answer to this name: unsure, leave it out
    if ids:
        entry = next(iter(ids.values()))
        _note_known(doc, entry)
        _add_names(doc, entry.id, [n for n in names if not doc.gaz.lookup(n)])
        return entry.id
    for name in names:
        local = doc.local.get(normalise_name(name))
        if local and (normalise_name(name) in own or doc.kinds.get(local) is cand.kind):
            _add_names(doc, local, names)
            return local
    entity_id = make_id(cand.kind, cand.label)
    known = doc.gaz.get(entity_id)
    if known is not None:
        _note_known(doc, known)
        return entity_id
    if entity_id not in doc.new:
        if cand.kind is EntityKind.AGREEMENT and not cand.generic and cand.classification is None:
            cand.classification = "other"
        doc.new[entity_id] = Entity(
            id=entity_id,
            kind=cand.kind,
            label=cand.label,
            provenance=doc.evidence(cand.start, cand.confidence),
            labels=(("zh", cand.label),) if cand.zh else (),
            aliases=tuple(
                a for a in dict.fromkeys(cand.aliases) if normalise_name(a) != normalise_name(cand.label)
            ),
            classification=cand.classification,
            date=_date_near(doc, cand.start) if cand.kind is EntityKind.AGREEMENT else None,
            country=cand.geo[0] if cand.geo else None,
            lat=cand.geo[1] if cand.geo else None,
            lon=cand.geo[2] if cand.geo else None,
            description=cand.geo[3] if cand.geo else None,
        )
        doc.kinds[entity_id] = cand.kind
        doc.classes[entity_id] = cand.classification
        if cand.kind is EntityKind.EVENT:
            # "the Andean Cities Climate Week" is the 2025 one named before (the first year named wins)
            base = EVENT_YEAR_RE.match(cand.label)
            if base and base.group("base") != cand.label:
                doc.local.setdefault(normalise_name(base.group("base")), entity_id)
    _add_names(doc, entity_id, names)
    return entity_id


def _add_names(doc: ExtractionState, entity_id: str, names: Iterable[str]) -> None:
    bucket = doc.doc_names.setdefault(entity_id, [])
    for name in names:
        key = normalise_name(name)
        if not key or key in ("mr.", "ms."):
            continue
        doc.local.setdefault(key, entity_id)
        if name not in bucket:
            bucket.append(name)


def resolve_agreement(doc: ExtractionState, cand: Candidate) -> str | None:
    """A generic agreement ("an MOU") is named after its parties; its generic names stay local.

    A generic name opens a new agreement only where the sentence signs it ("signed an MOU");
    elsewhere it refers to the agreement last named so in this text.
    """
    surface = " ".join(doc.text[cand.start : cand.end].split())
    local_names = [surface, *cand.aliases]
    if not _signed_before(doc, cand.start):
        local = doc.local.get(normalise_name(surface))
        if local and doc.kinds.get(local) is EntityKind.AGREEMENT:
            return local
    parties = _parties_for(doc, cand.start, cand.end)
    title = MOU_TITLE if cand.generic == "mou" else surface[:1].upper() + surface[1:]
    labels = [_label_of(doc, i) for i in parties]
    if len(labels) >= 2:
        label = f"{title} between {', '.join(labels[:-1])} and {labels[-1]}"
    elif labels:
        label = f"{title} of {labels[0]}"
    else:
        label = f"{title} ({doc.source})"
    found = {e.id for e in doc.gaz.lookup(label)}
    if len(found) == 1:
        entity_id = found.pop()
        _note_known(doc, doc.gaz.get(entity_id))  # type: ignore[arg-type]
    else:
        entity_id = doc.local.get(normalise_name(label)) or make_id(EntityKind.AGREEMENT, label)
        if entity_id not in doc.new and entity_id not in doc.gaz:
            doc.new[entity_id] = Entity(
                id=entity_id,
                kind=EntityKind.AGREEMENT,
                label=label,
                provenance=doc.evidence(cand.start, cand.confidence),
                labels=(("zh", surface),) if cand.zh else (),
                classification=cand.generic,
                date=_date_near(doc, cand.start),
            )
            doc.kinds[entity_id] = EntityKind.AGREEMENT
            doc.classes[entity_id] = cand.generic
        elif entity_id in doc.gaz:
            _note_known(doc, doc.gaz.get(entity_id))  # type: ignore[arg-type]
        doc.local.setdefault(normalise_name(label), entity_id)
    for name in local_names:
        doc.local[normalise_name(name)] = entity_id  # the latest agreement owns the generic name
    doc.first_seen.setdefault(entity_id, cand.start)
    return entity_id


def _signed_before(doc: ExtractionState, pos: int) -> bool:
    s, _ = doc.sentences[doc.sentence_of(pos)]
    for m in SIGN_RE.finditer(doc.text, max(s, pos - 100), pos):
        if not ADJECTIVAL_RE.search(doc.text, max(s, m.start() - 20), m.start()):
            return True
    return bool(ZH_SIGN_RE.search(doc.text, s, pos))


def _parties_for(doc: ExtractionState, start: int, end: int) -> list[str]:
    """Who signs the agreement named at [start, end): the actors before the signing verb,
    and those listed after "with"/"between"."""
    s, e = doc.sentences[doc.sentence_of(start)]
    actors = [(ms, me, i) for ms, me, i in doc.mentions_in(s, e) if doc.kinds.get(i) in ACTOR_KINDS]
    cue: re.Match[str] | None = None
    for m in SIGN_RE.finditer(doc.text, s, start):
        cue = m
    cue = cue or ZH_SIGN_RE.search(doc.text, s, start)
    parties: list[str] = []
    if cue:
        clause = clause_start(doc.text, s, cue.start())
        parties = [
            i
            for ms, me, i in actors
            if clause <= ms < cue.start() and not doc.possessive(me) and not after_locative(doc.text, s, ms)
        ]
    tail = WITH_RE.match(doc.text, skip_brackets(doc.text, end))
    if tail:
        parties += _listed(doc, tail.end(), [x for x in actors if x[0] >= tail.end()])
    return list(dict.fromkeys(parties))


def _listed(doc: ExtractionState, pos: int, items: list[tuple[int, int, str]]) -> list[str]:
    """The ids of the items that follow ``pos`` as a list ("A, B and C")."""
    out: list[str] = []
    for ms, me, i in sorted(items):
        gap = doc.text[pos:ms]
        if not LIST_GAP_RE.fullmatch(gap):
            break
        out.append(i)
        pos = me
    return out


def _label_of(doc: ExtractionState, entity_id: str) -> str:
    if entity_id in doc.new:
        return doc.new[entity_id].label
    entry = doc.gaz.get(entity_id)
    return entry.names[0] if entry else entity_id


def choose(doc: ExtractionState, match: GazetteerMatch, pos: int) -> str | None:
    """Among doc-local entities sharing a name, the one defined last before ``pos``."""
    ids = [e.id for e in match.entries]
    if len(ids) == 1:
        return ids[0]
    before = [(doc.first_seen.get(i, 1 << 62), i) for i in ids if doc.first_seen.get(i, 1 << 62) <= pos]
    return max(before)[1] if before else min((doc.first_seen.get(i, 1 << 62), i) for i in ids)[1]


def _date_near(doc: ExtractionState, pos: int) -> str | None:
    """The date the sentence at ``pos`` states ("7 December 2015" → "2015-12-07"), if any."""
    s, e = doc.sentences[doc.sentence_of(pos)]
    m = DATE_RE.search(doc.text, s, e)
    if not m:
        return None
    day, month, year = (
        (m.group("d1"), m.group("m1"), m.group("y1"))
        if m.group("d1")
        else (
            m.group("d2"),
            m.group("m2"),
            m.group("y2"),
        )
    )
    number = MONTHS.get(month.casefold())
    if number is None or not 1 <= int(day) <= 31:
        return None
    return f"{year}-{number:02d}-{int(day):02d}"
