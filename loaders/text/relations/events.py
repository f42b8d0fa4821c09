"""Events: who took part in one, and which initiative or agreement was launched at one."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import (
    AT_END_RE,
    LIST_GAP_RE,
    PASSIVE_END_RE,
    RELATIVE_RE,
    WHERE_RE,
)
from climatekg.loaders.text.patterns.cues import (
    DELEGATIONS_FROM_RE,
    LAUNCH_BETWEEN_RE,
    LAUNCH_OF_RE,
    LAUNCHED_RE,
    PARTICIPATE_RE,
    SPEAKING_AT_RE,
)
from climatekg.loaders.text.relations.members import listed_before
from climatekg.loaders.text.relations.sentence import ACT_PERSON, Found, Sentence


def participation(sent: Sentence) -> Iterator[Found]:
    """Actors and people participated_in an event they attended, visited or spoke at."""
    text, slots = sent.text, sent.slots
    for m in sent.finditer(PARTICIPATE_RE):
        clause = sent.clause(m.start())
        events = sent.idx((EntityKind.EVENT,), m.end(), sent.clause_end(m.end()))
        if events and LAUNCH_BETWEEN_RE.search(text, m.end(), slots[events[0]].start):
            events = []
        if not events and WHERE_RE.match(text, max(sent.s, clause - 12), clause):
            events = sent.idx((EntityKind.EVENT,), sent.s, clause)[-1:]
        if not events:
            continue
        event = slots[events[0]].of((EntityKind.EVENT,))[0]
        who = sent.idx(ACT_PERSON, clause, m.start(), owner=False)
        rel = RELATIVE_RE.search(text, max(sent.s, clause - 12), clause)
        if not who and rel and text[rel.end() - 3 : rel.end()] == "who":
            # "Dr. A, an economist at the University of X, who chaired the summit's panel": A
            who = [n for n in sent.idx((EntityKind.PERSON,), sent.s, rel.start()) if not slots[n].coref][-1:]
        elif not who and rel:  # "A (X) and B (Y), which also sent delegations to the forum"
            who = listed_before(sent, rel.start(), comma=True)
        for n in who:
            if n in sent.employers:
                continue
            for i in slots[n].of(ACT_PERSON):
                yield i, RelationKind.PARTICIPATED_IN, event, None, 0.7
    yield from _delegations_and_speakers(sent)


def _delegations_and_speakers(sent: Sentence) -> Iterator[Found]:
    """ "… at the X Summit, alongside delegations from A and B": A and B took part; "Speaking at
    the forum, Dr. C, …": C took part."""
    text, slots, ev = sent.text, sent.slots, (EntityKind.EVENT,)
    events = sent.idx(ev, sent.s, sent.e)
    if not events:
        return
    for m in sent.finditer(DELEGATIONS_FROM_RE):
        pos = m.end()
        for n in range(len(slots)):
            if slots[n].start < pos:
                continue
            if not slots[n].of(ACT_PERSON) or not LIST_GAP_RE.fullmatch(text[pos : slots[n].start]):
                break
            for i in slots[n].of(ACT_PERSON):
                yield i, RelationKind.PARTICIPATED_IN, slots[events[0]].of(ev)[0], None, 0.6
            pos = slots[n].end
    for m in sent.finditer(SPEAKING_AT_RE):
        at = [n for n in events if m.end() <= slots[n].start <= m.end() + 4]
        people = [n for n in sent.idx((EntityKind.PERSON,), m.end(), sent.e) if not slots[n].coref]
        if at and people and text[slots[at[0]].end : slots[people[0]].start].strip() == ",":
            for i in slots[people[0]].of((EntityKind.PERSON,)):
                yield i, RelationKind.PARTICIPATED_IN, slots[at[0]].of(ev)[0], None, 0.65


def launch(sent: Sentence) -> Iterator[Found]:
    """An initiative or agreement launched_at an event."""
    slots, kinds = sent.slots, (EntityKind.INITIATIVE, EntityKind.AGREEMENT)
    for m in LAUNCH_OF_RE.finditer(sent.text, sent.s, sent.e):
        things = sent.idx(kinds, m.end(), min(sent.e, m.end() + 160), owner=False)
        if not things:
            continue
        after = sent.idx((EntityKind.EVENT,), slots[things[0]].end, sent.e)
        before = sent.idx((EntityKind.EVENT,), sent.s, m.start())
        event = after[0] if after else (before[-1] if before else None)
        if event is not None:
            yield (
                slots[things[0]].of(kinds)[0],
                RelationKind.LAUNCHED_AT,
                slots[event].of((EntityKind.EVENT,))[0],
                None,
                0.75,
            )
    for m in LAUNCHED_RE.finditer(sent.text, sent.s, sent.e):
        clause = sent.clause(m.start())
        subj = sent.idx(kinds, clause, m.start(), owner=False)
        passive = PASSIVE_END_RE.search(sent.text, max(sent.s, m.start() - 12), m.start())
        if not (subj and passive):
            subj = sent.idx(kinds, m.end(), min(sent.e, m.end() + 120), owner=False)[:1]
        if not subj:
            continue
        events = [
            n
            for n in sent.idx((EntityKind.EVENT,), m.end(), sent.clause_end(m.end()))
            if AT_END_RE.search(sent.text, max(sent.s, slots[n].start - 40), slots[n].start)
        ]
        if events:
            yield (
                slots[subj[-1]].of(kinds)[0],
                RelationKind.LAUNCHED_AT,
                slots[events[0]].of((EntityKind.EVENT,))[0],
                None,
                0.8,
            )
