"""Relations stated by apposition and position rather than by a verb: "A, B and C in the
Philippines" (each located_in it), "Volta Cells AB of Gothenburg" and "the Glasgow-based start-up"
(located_in), "Jane Doe, programme lead at the X Foundation" (works_for, with the post as role),
and the technologies a programme or agreement is said to put in place (concerns)."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import COMMA_ONLY_RE, LIST_GAP_RE
from climatekg.loaders.text.patterns.cues import DEMONSTRATE_RE
from climatekg.loaders.text.patterns.forms import (
    BASED_RE,
    BRACKETED_PLACE_GAP_RE,
    CHAIR_AND_RE,
    DESCRIBED_BASED_IN_RE,
    IN_RE,
    MAYOR_GAP_RE,
    OF_POST_RE,
    OF_RE,
    POST_BEFORE_RE,
    POST_RE,
    RUNS_WITH_RE,
)
from climatekg.loaders.text.relations.members import listed_before
from climatekg.loaders.text.relations.sentence import Found, Sentence

CITY, PLACE, ORG, PERSON = EntityKind.CITY, EntityKind.PLACE, EntityKind.ORGANISATION, EntityKind.PERSON
ACTORS = (CITY, ORG, EntityKind.INITIATIVE)
CONCERN_KINDS = (EntityKind.INITIATIVE, EntityKind.AGREEMENT)


def located_by_position(sent: Sentence) -> Iterator[Found]:
    """Cities listed "in Country"; organisations "of City" or "City-based"."""
    text, slots = sent.text, sent.slots
    for n, sl in enumerate(slots):
        if sl.coref:
            continue
        if sl.of((PLACE,)):
            m = IN_RE.search(text, max(sent.s, sl.start - 12), sl.start)
            if m:
                for k in listed_before(sent, m.start()):
                    for c in slots[k].of((CITY,)):
                        yield c, RelationKind.LOCATED_IN, sl.of((PLACE,))[0], None, 0.65
        after_city = n > 0 and slots[n - 1].of((CITY,))
        if (
            sl.of((PLACE,))
            and after_city
            and BRACKETED_PLACE_GAP_RE.fullmatch(text[slots[n - 1].end : sl.start])
        ):
            yield slots[n - 1].of((CITY,))[0], RelationKind.LOCATED_IN, sl.of((PLACE,))[0], None, 0.7
        after_org = n > 0 and slots[n - 1].of((ORG,))
        if (
            sl.of((CITY, PLACE))
            and after_org
            and DESCRIBED_BASED_IN_RE.fullmatch(text[slots[n - 1].end : sl.start])
        ):
            yield slots[n - 1].of((ORG,))[0], RelationKind.LOCATED_IN, sl.of((CITY, PLACE))[0], None, 0.65
        if sl.of((CITY,)) and n > 0 and slots[n - 1].of((ORG,)):
            gap = text[slots[n - 1].end : sl.start]
            if OF_RE.fullmatch(gap):
                yield slots[n - 1].of((ORG,))[0], RelationKind.LOCATED_IN, sl.of((CITY,))[0], None, 0.6
        if (
            sl.of((CITY,))
            and text[sl.end : sl.end + 6].casefold() == "-based"
            and n > 0
            and slots[n - 1].of((ORG,))
        ) and BASED_RE.fullmatch(text[slots[n - 1].end : sl.start]):
            yield slots[n - 1].of((ORG,))[0], RelationKind.LOCATED_IN, sl.of((CITY,))[0], None, 0.7


def posts(sent: Sentence) -> Iterator[Found]:
    """A person works_for the employer of the post written beside their name."""
    text, slots = sent.text, sent.slots
    employers = (ORG, CITY, EntityKind.INITIATIVE)
    for n, sl in enumerate(slots[:-1]):
        if not sl.of((PERSON,)):
            continue
        nxt = slots[n + 1]
        m = POST_RE.fullmatch(text[sl.end : nxt.start])
        if m and nxt.of(employers) and nxt.start - sl.end < 90:
            yield sl.of((PERSON,))[0], RelationKind.WORKS_FOR, nxt.of(employers)[0], m.group("role"), 0.6
    for n, sl in enumerate(slots[2:], start=2):
        # "Flemish Heat Network Council Chair and Kortrijk Mayor Ruth Vandenberghe": Chair of the Council
        body, city = slots[n - 2], slots[n - 1]
        chair = CHAIR_AND_RE.fullmatch(text, body.end, city.start)
        if (
            chair
            and sl.of((PERSON,))
            and body.of(employers)
            and city.of((CITY,))
            and MAYOR_GAP_RE.fullmatch(text, city.end, sl.start)
        ):
            yield (
                sl.of((PERSON,))[0],
                RelationKind.WORKS_FOR,
                body.of(employers)[0],
                chair.group("role"),
                0.65,
            )
    for n, sl in enumerate(slots[1:], start=1):
        if not sl.of((PERSON,)):
            continue
        prev = slots[n - 1]
        if not prev.of(employers):
            continue
        gap = text[prev.end : sl.start]
        m = POST_BEFORE_RE.fullmatch(gap)
        if m:
            yield sl.of((PERSON,))[0], RelationKind.WORKS_FOR, prev.of(employers)[0], m.group("role"), 0.6
        elif COMMA_ONLY_RE.fullmatch(gap):
            m = OF_POST_RE.search(text, max(sent.s, prev.start - 45), prev.start)
            if m and m.group("role").split()[-1][:1].isupper():
                yield (
                    sl.of((PERSON,))[0],
                    RelationKind.WORKS_FOR,
                    prev.of(employers)[0],
                    m.group("role"),
                    0.55,
                )


def concerns_in_sentence(sent: Sentence) -> Iterator[Found]:
    """A programme or agreement concerns the technologies named after it in its sentence (until
    another programme or agreement is named)."""
    slots, owner = sent.slots, None
    for sl in slots:
        if sl.of(CONCERN_KINDS):
            owner = sl.of(CONCERN_KINDS)[0]
        elif owner and sl.of((EntityKind.TECHNOLOGY,)):
            yield owner, RelationKind.CONCERNS, sl.of((EntityKind.TECHNOLOGY,))[0], None, 0.5


def runs_with(sent: Sentence) -> Iterator[Found]:
    """ "the X Programme, which A runs with B": X led_by A and B."""
    text, slots = sent.text, sent.slots
    for n in range(1, len(slots) - 1):
        m = RUNS_WITH_RE.fullmatch(text[slots[n].end : slots[n + 1].start])
        if m is None or not slots[n].of(ACTORS) or not slots[n + 1].of(ACTORS):
            continue
        inits = [k for k in range(n) if slots[k].of((EntityKind.INITIATIVE,))]
        if inits:
            init = slots[inits[-1]].of((EntityKind.INITIATIVE,))[0]
            leaders = [n, n + 1]
            for k in range(n + 2, len(slots)):  # "… with X and the Y Institute": Y too
                if not slots[k].of(ACTORS) or not LIST_GAP_RE.fullmatch(
                    text, slots[k - 1].end, slots[k].start
                ):
                    break
                leaders.append(k)
            for k in leaders:
                yield init, RelationKind.LED_BY, slots[k].of(ACTORS)[0], None, 0.6


def sentence_subject_demonstrates(sent: Sentence) -> Iterator[Found]:
    """ "Qanat Thermal Inc., a district-energy company headquartered in Doha, today began operating
    … district-cooling networks": the actors opening the sentence demonstrate what follows the verb,
    even past appositions (lower confidence than a plain clause)."""
    text, slots = sent.text, sent.slots
    if not slots or slots[0].possessive or not slots[0].of(ACTORS):
        return
    if text[sent.s : slots[0].start].strip() not in ("", "The", "the"):
        return
    for m in DEMONSTRATE_RE.finditer(text, slots[0].end, sent.e):
        actors = [
            n for n, sl in enumerate(slots) if sl.end <= m.start() and sl.of((ORG,)) and not sl.possessive
        ] or ([0] if slots[0].of((CITY,)) else [])
        techs = [
            sl.of((EntityKind.TECHNOLOGY,))[0]
            for sl in slots
            if sl.start >= m.end() and sl.of((EntityKind.TECHNOLOGY,))
        ]
        for n in actors:
            for t in techs:
                yield slots[n].of(ACTORS)[0], RelationKind.DEMONSTRATES, t, None, 0.5
        return
