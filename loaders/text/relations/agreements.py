"""Agreements: who signed one (active or passive, "with"/"between" lists), where or at which
event it was signed, and what it builds on."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import (
    ADJECTIVAL_RE,
    AT_END_RE,
    BETWEEN_RE,
    IN_END_RE,
    LIST_GAP_RE,
    WITH_RE,
)
from climatekg.loaders.text.patterns.cues import (
    BUILDS_ON_RE,
    PASSIVE_SIGN_RE,
    SIGN_RE,
    SIGNED_PARTICIPLE_GAP_RE,
    SIGNED_WITH_RE,
    UNDER_END_RE,
)
from climatekg.loaders.text.relations.sentence import ACT, ACT_PERSON, Found, Sentence
from climatekg.loaders.text.words import skip_brackets


def signing(sent: Sentence) -> Iterator[Found]:
    """Actors party_to an agreement they signed; the agreement signed_at an event or place."""
    text, slots = sent.text, sent.slots
    for m in sent.finditer(PASSIVE_SIGN_RE):
        agr = [n for n in sent.idx((EntityKind.AGREEMENT,), sent.s, m.start())]
        if not agr:
            continue
        agreement = slots[agr[-1]].of((EntityKind.AGREEMENT,))[0]
        for n in sent.idx(ACT_PERSON, m.end(), sent.clause_end(m.end()), owner=False):
            for i in slots[n].of(ACT_PERSON):
                yield i, RelationKind.PARTY_TO, agreement, None, 0.75
    for m in sent.finditer(SIGN_RE):
        if PASSIVE_SIGN_RE.search(text, max(sent.s, m.start() - 20), min(sent.e, m.end() + 5)):
            continue
        if ADJECTIVAL_RE.search(text, max(sent.s, m.start() - 20), m.start()):
            continue
        agr = [n for n in sent.idx((EntityKind.AGREEMENT,), m.end(), min(sent.e, m.end() + 120))]
        if not agr:
            continue
        a = agr[0]
        agreement = slots[a].of((EntityKind.AGREEMENT,))[0]
        clause = sent.clause(m.start())
        before = [n for n in sent.idx(ACT, clause, m.start(), owner=False) if not sent.locative(n)]
        direct = [n for n in before if n not in sent.employers]
        if not direct and sent.idx((EntityKind.PERSON,), clause, m.start()):
            # "The Mayor of Cork, A, and Bergen Mayor B signed …": the signers sign for their cities
            for n in before:
                for i in slots[n].of(ACT):
                    yield i, RelationKind.PARTY_TO, agreement, None, 0.6
        for n in direct:
            for i in slots[n].of(ACT):
                yield i, RelationKind.PARTY_TO, agreement, None, 0.85
        pos = skip_brackets(text, slots[a].end)
        tail = WITH_RE.match(text, pos, sent.e)
        if tail:
            pos = tail.end()
            for n in range(a + 1, len(slots)):
                if not LIST_GAP_RE.fullmatch(text[pos : slots[n].start]) or not slots[n].of(ACT):
                    break
                for i in slots[n].of(ACT):
                    yield i, RelationKind.PARTY_TO, agreement, None, 0.8
                pos = slots[n].end
        yield from _signed_where(sent, agreement, a + 1, sent.clause_end(slots[a].end))
    yield from _signed_after_agreement(sent)


def parties_between(sent: Sentence) -> Iterator[Found]:
    """ "the 2019 sister-city agreement between Durban and Maputo": both are parties."""
    text, slots = sent.text, sent.slots
    for a, sl in enumerate(slots[:-1]):
        between = BETWEEN_RE.match(text, skip_brackets(text, sl.end), sent.e)
        if not sl.of((EntityKind.AGREEMENT,)) or between is None:
            continue
        pos = between.end()
        for n in range(a + 1, len(slots)):
            if not LIST_GAP_RE.fullmatch(text[pos : slots[n].start]) or not slots[n].of(ACT):
                break
            for i in slots[n].of(ACT):
                yield i, RelationKind.PARTY_TO, sl.of((EntityKind.AGREEMENT,))[0], None, 0.7
            pos = slots[n].end


def _signed_where(sent: Sentence, agreement: str, first: int, end: int) -> Iterator[Found]:
    """The event (or else the place) an agreement was signed at, named in slots ``first``… before ``end``."""
    text, slots = sent.text, sent.slots
    place = None
    for n in range(first, len(slots)):
        if slots[n].start >= end:
            break
        gap_before = text[max(sent.s, slots[n].start - 40) : slots[n].start]
        if slots[n].of((EntityKind.EVENT,)) and AT_END_RE.search(gap_before):
            yield agreement, RelationKind.SIGNED_AT, slots[n].of((EntityKind.EVENT,))[0], None, 0.8
            return
        if (
            place is None
            and slots[n].of((EntityKind.CITY, EntityKind.PLACE))
            and IN_END_RE.search(gap_before)
        ):
            place = slots[n].of((EntityKind.CITY, EntityKind.PLACE))[0]
    if place:
        yield agreement, RelationKind.SIGNED_AT, place, None, 0.7


def _signed_after_agreement(sent: Sentence) -> Iterator[Found]:
    """ "an agreement signed on Tuesday with A and B", "The agreement was signed at E": the
    agreement named right before the verb; the actors after "with" are parties, and so is the
    subject of a clause that acts "under" the agreement (lower confidence)."""
    text, slots = sent.text, sent.slots
    for m in sent.finditer(SIGN_RE):
        before = [n for n in range(len(slots)) if slots[n].end <= m.start()]
        if not before or not slots[before[-1]].of((EntityKind.AGREEMENT,)):
            continue
        a = before[-1]
        if not SIGNED_PARTICIPLE_GAP_RE.fullmatch(text, slots[a].end, m.start()):
            continue
        agreement = slots[a].of((EntityKind.AGREEMENT,))[0]
        end = sent.clause_end(m.end())
        yield from _signed_where(sent, agreement, a + 1, end)
        after = [n for n in range(a + 1, len(slots)) if slots[n].start < end]
        if (
            after
            and slots[after[0]].of(ACT)
            and SIGNED_WITH_RE.fullmatch(text, m.end(), slots[after[0]].start)
        ):
            pos = slots[after[0]].end
            for n in after:
                if n != after[0] and (
                    not LIST_GAP_RE.fullmatch(text[pos : slots[n].start]) or not slots[n].of(ACT)
                ):
                    break
                for i in slots[n].of(ACT):
                    yield i, RelationKind.PARTY_TO, agreement, None, 0.75
                pos = slots[n].end
            under = UNDER_END_RE.search(text, max(sent.s, slots[a].start - 40), slots[a].start)
            if under:
                start = max(sent.clause(under.start()), text.rfind("—", sent.s, under.start()) + 1)
                subj = sent.idx(ACT, start, under.start(), owner=False)
                for n in sent.leading_subjects(subj) if subj else []:
                    for i in slots[n].of(ACT):
                        yield i, RelationKind.PARTY_TO, agreement, None, 0.6


def builds_on(sent: Sentence) -> Iterator[Found]:
    """An agreement or initiative builds_on an earlier event or agreement."""
    for m in BUILDS_ON_RE.finditer(sent.text, sent.s, sent.e):
        subj = sent.idx((EntityKind.AGREEMENT, EntityKind.INITIATIVE), sent.s, m.start(), owner=False)
        obj = sent.idx((EntityKind.EVENT, EntityKind.AGREEMENT), m.end(), sent.e)
        if subj and obj:
            s_id = sent.slots[subj[-1]].of((EntityKind.AGREEMENT, EntityKind.INITIATIVE))[0]
            for o in sent.slots[obj[0]].of((EntityKind.EVENT, EntityKind.AGREEMENT)):
                yield s_id, RelationKind.BUILDS_ON, o, None, 0.75
