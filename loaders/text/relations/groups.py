"""Groups: who leads an initiative, who joined or was welcomed into one (and in which cohort),
and who partners with whom."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import (
    LIST_GAP_RE,
    LIST_INTRO_RE,
    PASSIVE_END_RE,
    PLACE_GAP_RE,
    STOP_PUNCT_RE,
    SUBLIST_RE,
)
from climatekg.loaders.text.patterns.cues import (
    COHORT_OF_RE,
    COHORT_ROLE_RE,
    INITIATIVE_NOUNS_RE,
    INITIATIVE_OF_THE_RE,
    ITS_END_RE,
    JOIN_RE,
    LAUNCHED_OBJECT_RE,
    LAUNCHED_RE,
    LED_BY_RE,
    PARTNER_RE,
    ROLE_SINGULAR,
    TAKE_PART_RE,
    WELCOME_RE,
)
from climatekg.loaders.text.relations.sentence import ACT, Found, Sentence

ORG = (EntityKind.ORGANISATION,)
PLACE = (EntityKind.PLACE,)


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
    yield from _led_by_position(sent)
    for m in sent.finditer(LED_BY_RE):
        subj = sent.idx((EntityKind.INITIATIVE,), sent.s, m.start())
        obj = sent.idx(ACT, m.end(), min(sent.e, m.end() + 80), owner=True)
        if subj and obj and LIST_GAP_RE.fullmatch(text[m.end() : slots[obj[0]].start]):
            init = slots[subj[-1]].of((EntityKind.INITIATIVE,))[0]
            if text[slots[subj[-1]].end : m.start()].count(",") > 1:
                continue
            for leader in slots[obj[0]].of(ACT):
                yield init, RelationKind.LED_BY, leader, None, 0.75


def _led_by_position(sent: Sentence) -> Iterator[Found]:
    """ "the X Programme of the Y Agency"; "Y … said that its X Programme"; "Y launched the X
    Programme": the initiative is led by Y (lower confidence than "led by")."""
    text, slots, init = sent.text, sent.slots, (EntityKind.INITIATIVE,)
    for n, sl in enumerate(slots):
        if not sl.of(init) or sl.coref:
            continue
        nxt = slots[n + 1] if n + 1 < len(slots) else None
        if nxt and nxt.of(ORG) and INITIATIVE_OF_THE_RE.fullmatch(text, sl.end, nxt.start):
            yield sl.of(init)[0], RelationKind.LED_BY, nxt.of(ORG)[0], None, 0.65
        body = max(sent.s, text.rfind("—", sent.s, sl.start) + 1)  # after a dateline
        first = next((f for f in slots if f.start >= body), sl)
        if (
            first is not sl
            and ITS_END_RE.search(text, max(sent.s, sl.start - 5), sl.start)
            and first.of(ACT)
            and not first.of(init)
            and not first.possessive
            and text[body : first.start].strip() in ("", "The", "the")
        ):
            yield sl.of(init)[0], RelationKind.LED_BY, first.of(ACT)[0], None, 0.6
    for m in sent.finditer(LAUNCHED_RE):
        if PASSIVE_END_RE.search(text, max(sent.s, m.start() - 12), m.start()):
            continue
        obj = [n for n, sl in enumerate(slots) if sl.start >= m.end()][:1]
        if (
            not obj
            or not slots[obj[0]].of(init)
            or not LAUNCHED_OBJECT_RE.fullmatch(text, m.end(), slots[obj[0]].start)
        ):
            continue
        for n in sent.subjects(ACT, m.start()):
            for leader in slots[n].of(ACT):
                if leader not in slots[n].of(init):
                    yield slots[obj[0]].of(init)[0], RelationKind.LED_BY, leader, None, 0.6


def membership(sent: Sentence) -> Iterator[Found]:
    """Actors member_of a group they joined or were welcomed into, with the cohort as role."""
    text, slots = sent.text, sent.slots
    groups = (EntityKind.INITIATIVE, EntityKind.ORGANISATION)
    joined = False
    for m in sent.finditer(JOIN_RE):
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
    for m in sent.finditer(WELCOME_RE):
        clause = sent.clause(m.start())
        hosts = sent.idx(groups, clause, m.start(), owner=False)
        if not hosts and sent.text[clause : m.start()].lstrip().startswith(("its ", "the network")):
            # "X said that its General Assembly had welcomed …": the sentence's group
            hosts = sent.idx(groups, sent.s, clause, owner=False)[:1]
        if not hosts:
            continue
        group = slots[hosts[0]].of(groups)[0]
        role_m = COHORT_ROLE_RE.search(text, m.end(), sent.e)
        role = _role(role_m.group("role")) if role_m else None
        pos = m.end()
        for n in range(len(slots)):
            if slots[n].start < pos:
                continue
            gap = text[pos : slots[n].start]
            if slots[n].of(PLACE) and not slots[n].of(ACT) and PLACE_GAP_RE.fullmatch(gap):
                pos = slots[n].end  # "A and B in the Philippines; C, India": the places belong to the items
                continue
            gap = SUBLIST_RE.sub(",", gap)
            if gap.lstrip().startswith(")"):  # "Liepāja (Latvia) and Gdynia": the item before had a place
                gap = gap.lstrip()[1:]
            if not LIST_GAP_RE.fullmatch(gap) and not LIST_INTRO_RE.fullmatch(gap):
                break
            for i in slots[n].of(ACT):
                yield i, RelationKind.MEMBER_OF, group, role, 0.75
            pos = slots[n].end
    for m in sent.finditer(TAKE_PART_RE):
        # "The three new full members will take part in the X Programme"
        obj = sent.idx((EntityKind.INITIATIVE,), m.end(), min(sent.e, m.end() + 12))
        if obj:
            for n in sent.subjects(ACT, m.start()):
                for i in slots[n].of(ACT):
                    yield i, RelationKind.MEMBER_OF, slots[obj[0]].of((EntityKind.INITIATIVE,))[0], None, 0.6
    if joined:
        return
    for m in sent.finditer(COHORT_OF_RE):
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
