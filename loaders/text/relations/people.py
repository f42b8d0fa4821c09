"""Who works for whom: a person's post next to their name and employer ("Angie Fyfe, Executive
Director of …", "Northbridge Mayor Helen Varga", "the Executive Director of CRCN, Dana Whitlock")."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import COMMA_ONLY_RE
from climatekg.loaders.text.patterns.people import (
    ADJACENT_RE,
    APPOSITIVE_RE,
    DELEGATION_RE,
    INCLUDING_RE,
    OF_RE,
    ROLE_AFTER_POSS_RE,
    ROLE_BEFORE_RE,
    ROLE_GAP_BAD_RE,
    ROLE_OF_RE,
    TRAILING_PREP_RE,
)
from climatekg.loaders.text.relations.sentence import ACT, Found, Sentence
from climatekg.loaders.text.words import is_title


def works_for(sent: Sentence) -> Iterator[Found]:
    """Person works_for an employer, with the post as role."""
    text, slots = sent.text, sent.slots
    for n, sl in enumerate(slots):
        if EntityKind.PERSON not in sl.kinds or sl.coref:
            continue
        person = sl.of((EntityKind.PERSON,))[0]
        lead = text[sl.start : sl.end].split()[0]
        of = OF_RE.match(text, sl.end, sent.e)
        if of and is_title(lead) and lead[:1].isupper():
            # "Professor Huang Ming of the Guizhou Academy": the title is part of the name's span
            emp = next(
                (j for j in range(n + 1, len(slots)) if slots[j].start == of.end() and slots[j].of(ACT)), None
            )
            if emp is not None:
                sent.employers.add(emp)
                for org in slots[emp].of(ACT):
                    yield person, RelationKind.WORKS_FOR, org, lead, 0.7
                continue
        after = APPOSITIVE_RE.match(text, sl.end, sent.e)
        if after:
            nxt = [j for j in range(n + 1, len(slots)) if slots[j].start - sl.end <= 160]
            emp = next((j for j in nxt if slots[j].of(ACT)), None)
            blocked = any(slots[j].of((EntityKind.PERSON,)) for j in nxt if emp is not None and j < emp)
            if emp is not None and not blocked:
                role_text = text[after.end() : slots[emp].start]
                poss_role = ""
                if not ROLE_GAP_BAD_RE.search(role_text):
                    role = TRAILING_PREP_RE.sub("", role_text).strip(" ,")
                    if role == "" and slots[emp].possessive:
                        tail = ROLE_AFTER_POSS_RE.match(text, slots[emp].end, sent.e)
                        poss_role = tail.group(1) if tail else ""
                        role = poss_role
                    if is_title(role):
                        sent.employers.add(emp)
                        for org in slots[emp].of(ACT):
                            yield person, RelationKind.WORKS_FOR, org, role, 0.8
                        continue
        before = ROLE_BEFORE_RE.search(text, max(sent.s, sl.start - 80), sl.start)
        if before and is_title(before.group("role")):
            role = before.group("role")
            emp = None
            prev = [j for j in range(n) if slots[j].end <= before.start("role")]
            if (
                prev
                and ADJACENT_RE.fullmatch(text, slots[prev[-1]].end, before.start("role"))
                and slots[prev[-1]].of(ACT)
            ):
                emp = prev[-1]
            if emp is None:
                of = OF_RE.match(text, sl.end, sent.e)
                if of:
                    emp = next(
                        (
                            j
                            for j in range(n + 1, len(slots))
                            if slots[j].start == of.end() and slots[j].of(ACT)
                        ),
                        None,
                    )
            confidence = 0.75
            if emp is None:
                for d in DELEGATION_RE.finditer(text, sent.s, sl.start):
                    cands = [j for j in range(n) if slots[j].start == d.end() and slots[j].of(ACT)]
                    if cands and INCLUDING_RE.search(text, slots[cands[0]].end, sl.start):
                        emp, confidence = cands[0], 0.6
            if emp is not None:
                if confidence > 0.6:  # a delegation's city also took part itself
                    sent.employers.add(emp)
                for org in slots[emp].of(ACT):
                    yield person, RelationKind.WORKS_FOR, org, role, confidence
                continue
        # "the Executive Director of CRCN, Dana Whitlock"
        prev_slots = [j for j in range(n) if slots[j].end <= sl.start]
        if prev_slots:
            j = prev_slots[-1]
            if slots[j].of(ACT) and COMMA_ONLY_RE.fullmatch(text, slots[j].end, sl.start):
                pre = ROLE_OF_RE.search(text, max(sent.s, slots[j].start - 80), slots[j].start)
                if pre and is_title(pre.group("role")):
                    sent.employers.add(j)
                    for org in slots[j].of(ACT):
                        yield person, RelationKind.WORKS_FOR, org, pre.group("role"), 0.75
