"""Groups: who leads an initiative, who joined or was welcomed into one (and in which cohort),
and who partners with whom."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import LIST_GAP_RE, LIST_INTRO_RE, STOP_PUNCT_RE
from climatekg.loaders.text.patterns.cues import (
    COHORT_OF_RE,
    COHORT_ROLE_RE,
    INITIATIVE_NOUNS_RE,
    JOIN_RE,
    LED_BY_RE,
    PARTNER_RE,
    ROLE_SINGULAR,
    WELCOME_RE,
)
from climatekg.loaders.text.relations.sentence import ACT, Found, Sentence


def led_by(sent: Sentence) -> Iterator[Found]:
    """An initiative led_by an actor ("CRCN's initiative …", "… led by CRCN")."""
    text, slots = sent.text, sent.slots
    for n, sl in enumerate(slots):
        if not (sl.possessive and sl.of(ACT)):
            continue
        for j in range(n + 1, len(slots)):
            if slots[j].start - sl.end > 90 or slots[j].of(ACT) and not slots[j].of((EntityKind.INITIATIVE,)):
                break
            if slots[j].of((EntityKind.INITIATIVE,)):
                between = text[sl.end : slots[j].start]
                if INITIATIVE_NOUNS_RE.search(between) and not STOP_PUNCT_RE.search(between):
                    for leader in sl.of(ACT):
                        yield (
                            slots[j].of((EntityKind.INITIATIVE,))[0],
                            RelationKind.LED_BY,
                            leader,
                            None,
                            0.75,
                        )
                break
    for m in LED_BY_RE.finditer(text, sent.s, sent.e):
        subj = sent.idx((EntityKind.INITIATIVE,), sent.s, m.start())
        obj = sent.idx(ACT, m.end(), min(sent.e, m.end() + 80), owner=True)
        if subj and obj and LIST_GAP_RE.fullmatch(text[m.end() : slots[obj[0]].start]):
            init = slots[subj[-1]].of((EntityKind.INITIATIVE,))[0]
            if text[slots[subj[-1]].end : m.start()].count(",") > 1:
                continue
            for leader in slots[obj[0]].of(ACT):
                yield init, RelationKind.LED_BY, leader, None, 0.75


def membership(sent: Sentence) -> Iterator[Found]:
    """Actors member_of a group they joined or were welcomed into, with the cohort as role."""
    text, slots = sent.text, sent.slots
    groups = (EntityKind.INITIATIVE, EntityKind.ORGANISATION)
    joined = False
    for m in JOIN_RE.finditer(text, sent.s, sent.e):
        obj = sent.idx(groups, m.end(), min(sent.e, m.end() + 80))
        if not obj:
            continue
        role_m = COHORT_ROLE_RE.search(text, slots[obj[0]].end, sent.e)
        role = _role(role_m.group("role")) if role_m else None
        group = slots[obj[0]].of(groups)[0]
        for n in sent.subjects(ACT, m.start()):
            for i in slots[n].of(ACT):
                joined = True
                yield i, RelationKind.MEMBER_OF, group, role, 0.75
    for m in WELCOME_RE.finditer(text, sent.s, sent.e):
        clause = sent.clause(m.start())
        hosts = sent.idx(groups, clause, m.start(), owner=False)
        if not hosts:
            continue
        group = slots[hosts[0]].of(groups)[0]
        role_m = COHORT_ROLE_RE.search(text, m.end(), sent.e)
        role = _role(role_m.group("role")) if role_m else None
        pos = m.end()
        for n in range(len(slots)):
            if slots[n].start < pos:
                continue
            if not LIST_GAP_RE.fullmatch(text[pos : slots[n].start]) and not LIST_INTRO_RE.fullmatch(
                text[pos : slots[n].start]
            ):
                break
            for i in slots[n].of(ACT):
                yield i, RelationKind.MEMBER_OF, group, role, 0.75
            pos = slots[n].end
    if joined:
        return
    for m in COHORT_OF_RE.finditer(text, sent.s, sent.e):
        obj = [n for n in sent.idx(groups, m.end(), min(sent.e, m.end() + 40))]
        if not obj:
            continue
        group = slots[obj[0]].of(groups)[0]
        rest = [n for n in sent.idx(ACT, slots[obj[0]].end, sent.e, owner=False) if group not in slots[n].ids]
        if rest:
            for i in slots[rest[0]].of(ACT):
                yield i, RelationKind.MEMBER_OF, group, _role(m.group("role")), 0.7


def partners(sent: Sentence) -> Iterator[Found]:
    """Actors partner_of the actors they partner with."""
    for m in PARTNER_RE.finditer(sent.text, sent.s, sent.e):
        subj = sent.subjects(ACT, m.start())
        pos, objs = m.end(), []
        for n in range(len(sent.slots)):
            if sent.slots[n].start < pos:
                continue
            if not LIST_GAP_RE.fullmatch(sent.text[pos : sent.slots[n].start]) or not sent.slots[n].of(ACT):
                break
            objs.append(n)
            pos = sent.slots[n].end
        for a in subj:
            for b in objs:
                for x in sent.slots[a].of(ACT):
                    for y in sent.slots[b].of(ACT):
                        yield x, RelationKind.PARTNER_OF, y, None, 0.7


def _role(text: str) -> str:
    """A cohort role as a relation's role: lower case, its last word singular ("new member")."""
    words = text.casefold().split()
    if words and words[-1] in ROLE_SINGULAR:
        words[-1] = ROLE_SINGULAR[words[-1]]
    return " ".join(words)
