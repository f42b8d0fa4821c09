"""Membership stated without a "join … Y" object: a list that "joined as full members" of the
network the sentence (or the document) is about, and "X, a member of Y since 2017," or "X is a
member of Y" in a clause. Each listed member gets its own ``member_of``."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import LIST_GAP_RE, RELATIVE_ASIDE_RE
from climatekg.loaders.text.patterns.forms import (
    ADMITTED_AS_RE,
    ADMITTED_RE,
    AND_VERB_RE,
    APPOSITION_RE,
    BRACKETED_RE,
    JOINED_AS_RE,
    MEMBER_OF_RE,
    MEMBER_SINCE_RE,
)
from climatekg.loaders.text.relations.sentence import ACT, Found, Sentence, Slot

GROUPS = (EntityKind.INITIATIVE, EntityKind.ORGANISATION)


def _role(text: str) -> str:
    words = text.casefold().split()
    last = {"members": "member", "signatories": "signatory", "observers": "observer"}
    words[-1] = last.get(words[-1], words[-1])
    return " ".join(words)


def listed_before(sent: Sentence, pos: int, *, comma: bool = False) -> list[int]:
    """The slots of the actor list ending right before ``pos`` ("A (X), B (Y) and C have …");
    ``comma``: the list may end with a comma ("Kigali, a member of …")."""
    text, end = sent.text, pos
    out: list[int] = []
    after_place = False
    for n in range(len(sent.slots) - 1, -1, -1):
        sl = sent.slots[n]
        if sl.end > end:
            continue
        if not sl.of(ACT):
            if sl.of((EntityKind.PLACE,)) and text[sl.start - 1 : sl.start] == "(":
                continue  # "Dakar (Senegal)": the place belongs to the item before it
            if (
                sl.of((EntityKind.PLACE,))
                and n > 0
                and sent.slots[n - 1].of(ACT)
                and text[sent.slots[n - 1].end : sl.start] == ", "
                and (
                    text[sl.end : end].strip() in ("", ",")
                    or out
                    and LIST_GAP_RE.fullmatch(text[sl.end : end])
                )
            ):
                end, after_place = sl.start, True  # "Turku, Finland, and Kalmar, Sweden, joined"
                continue
            break
        gap = BRACKETED_RE.sub("", text[sl.end : end])
        if after_place and gap.strip() == ",":
            gap, after_place = "", False
        if not (LIST_GAP_RE.fullmatch(gap) if out else not gap.strip() or (comma and gap.strip() == ",")):
            break
        out.append(n)
        end = sl.start
    return out[::-1]


def member_lists(sent: Sentence) -> Iterator[Found]:
    """Every actor of a list that "joined as full members" is a member of the network in question."""
    text, slots = sent.text, sent.slots
    for m in sent.finditer(JOINED_AS_RE):
        head = text[sent.s : m.start()].rstrip()
        for w in ("have", "has", "had", "were", "was"):
            if head.casefold().endswith(" " + w):
                head = head[: -len(w)].rstrip()
        members = listed_before(sent, sent.s + len(head))
        if not members:
            continue
        before = [n for n in sent.idx(GROUPS, sent.s, slots[members[0]].start) if n not in members]
        group = slots[before[0]].of(GROUPS)[0] if before else sent.main_group
        if group is None:
            continue
        for n in members:
            for i in slots[n].of(ACT):
                yield i, RelationKind.MEMBER_OF, group, _role(m.group("role")), 0.7


def member_clauses(sent: Sentence) -> Iterator[Found]:
    """ "X, a member of Y since 2017," and "X is (itself) a member of Y": X member_of Y."""
    text, slots = sent.text, sent.slots
    for n, sl in enumerate(slots):
        if not sl.of(GROUPS) or n == 0:
            continue
        cue = MEMBER_OF_RE.search(text, max(sent.s, sl.start - 60), sl.start)
        if cue is None:
            continue
        aside = RELATIVE_ASIDE_RE.search(text, max(sent.s, cue.start() - 100), cue.start())
        if aside:  # "BWCN, which is based in Riga, is itself a member of …": BWCN, not Riga
            members = listed_before(sent, aside.start())
        else:
            members = listed_before(sent, cue.start(), comma=True)
        if not members and AND_VERB_RE.search(text, max(sent.s, cue.start() - 6), cue.end()):
            # "Kisumu joined X in 2019 and is a member of Y": the clause's subject
            members = sent.subjects(ACT, cue.start())
            if members:
                yield from _members(sent, members, sl, cue.group("role"), 0.65)
            continue
        if not members:
            continue
        gap = text[slots[members[-1]].end : aside.start() if aside else cue.start()]
        if not APPOSITION_RE.fullmatch(BRACKETED_RE.sub("", gap)) and gap.strip():
            continue
        yield from _members(sent, members, sl, cue.group("role"), 0.7)


def _members(
    sent: Sentence, members: list[int], group: Slot, role: str, confidence: float
) -> Iterator[Found]:
    for k in members:
        for i in sent.slots[k].of(ACT):
            for g in group.of(GROUPS):
                yield i, RelationKind.MEMBER_OF, g, _role(role), confidence


def member_since(sent: Sentence) -> Iterator[Found]:
    """ "Cebu City, a signatory since 2019," (no "of Y"): a member of the network the document is about."""
    if sent.main_group is None:
        return
    for sl in sent.slots:
        m = MEMBER_SINCE_RE.match(sent.text, sl.end, sent.e)
        if m and not sl.coref:
            # "Stavanger and Luleå, which have been members since 2021": each listed member
            for k in listed_before(sent, sl.end) or [sent.slots.index(sl)]:
                for i in sent.slots[k].of(ACT):
                    yield i, RelationKind.MEMBER_OF, sent.main_group, _role(m.group("role")), 0.6


def admitted_as(sent: Sentence) -> Iterator[Found]:
    """ "X has admitted A (P), B (Q) and C as full members": each listed actor is a member of X."""
    text, slots = sent.text, sent.slots
    for cue in sent.finditer(ADMITTED_RE):
        role = ADMITTED_AS_RE.search(text, cue.end(), min(sent.e, cue.end() + 300))
        if role is None:
            continue
        members = listed_before(sent, role.start())
        members = [n for n in members if slots[n].start >= cue.end()]
        if not members or LIST_GAP_RE.fullmatch(text, cue.end(), slots[members[0]].start) is None:
            continue
        hosts = sent.idx(GROUPS, sent.s, cue.start(), owner=False)
        group = slots[hosts[0]].of(GROUPS)[0] if hosts else sent.main_group
        if group is None:
            continue
        for n in members:
            for i in slots[n].of(ACT):
                yield i, RelationKind.MEMBER_OF, group, _role(role.group("role")), 0.7
