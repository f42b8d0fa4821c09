"""A post written as a possessive before a name: "Its energy officer, Ingrid Solberg, …" (the
actor the sentence before is about) and "Aalborg's deputy mayor for climate, Mads Kristensen"
(the actor before "'s"). Rules that need the sentence before, so they read the whole document."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import ACTOR_KINDS, EntityKind, RelationKind
from climatekg.loaders.text.patterns.people import (
    CITY_TITLES,
    IT_IS_RUN_BY_RE,
    POSS_POST_BEFORE_RE,
    ROLE_BEFORE_RE,
    SIGNING_PLACE_RE,
)
from climatekg.loaders.text.state import ExtractionState
from climatekg.loaders.text.words import is_title

#: A document's own city is named this close to its start (a heading, a dateline).
HOME_SPAN = 120
#: subject, kind, object, role, confidence, and where it is said.
Placed = tuple[str, RelationKind, str, str | None, float, int]


def possessive_posts(doc: ExtractionState) -> Iterator[Placed]:
    """Person works_for the owner of the possessive post before their name."""
    text, mentions = doc.text, doc.mentions
    for k, (s, _, person) in enumerate(mentions):
        if doc.kinds[person] is not EntityKind.PERSON:
            continue
        sent_start, _ = doc.sentences[doc.sentence_of(s)]
        m = POSS_POST_BEFORE_RE.search(text, max(sent_start, s - 90), s)
        if m is None or not is_title(m.group("role")):
            continue
        role = " ".join(m.group("role").split())
        if m.group("poss"):
            owner = [i for b, e, i in mentions[:k] if e == m.start("poss") and doc.kinds[i] in ACTOR_KINDS]
            owner += [
                i
                for b, e, ids in doc.coref
                if e == m.start("poss")
                for i in ids
                if doc.kinds[i] in ACTOR_KINDS
            ]
            if owner:
                yield person, RelationKind.WORKS_FOR, owner[-1], role, 0.65, s
            continue
        if m.start() > sent_start and text[sent_start : m.start()].strip():
            # "…, and its director, A": the nearest actor before it in the sentence
            before = [
                i for b, _, i in mentions[:k] if sent_start <= b < m.start() and doc.kinds[i] in ACTOR_KINDS
            ]
            if before:
                yield person, RelationKind.WORKS_FOR, before[-1], role, 0.5, s
            continue
        # "Its energy officer, A": the actor the sentence before is about (the first it names)
        n = doc.sentence_of(s)
        if n == 0:
            continue
        prev = doc.mentions_in(*doc.sentences[n - 1])
        actors = [i for _, _, i in prev if doc.kinds[i] in ACTOR_KINDS]
        if actors:
            yield person, RelationKind.WORKS_FOR, actors[0], role, 0.55, s


def pronoun_led_by(doc: ExtractionState) -> Iterator[Placed]:
    """ "The X Compact is a pledge by … . It is run by the Y Institute": X led_by Y (the initiative
    the sentence before names first)."""
    for m in IT_IS_RUN_BY_RE.finditer(doc.text):
        n = doc.sentence_of(m.start())
        if n == 0 or doc.sentences[n][0] != m.start():
            continue
        prev = [
            i for _, _, i in doc.mentions_in(*doc.sentences[n - 1]) if doc.kinds[i] is EntityKind.INITIATIVE
        ]
        leaders = [i for s, _, i in doc.mentions_in(m.end(), m.end() + 3) if doc.kinds[i] in ACTOR_KINDS]
        if prev and leaders:
            yield prev[0], RelationKind.LED_BY, leaders[0], None, 0.55, m.start()


def signing_took_place(doc: ExtractionState) -> Iterator[Placed]:
    """ "… signed a cooperation agreement. The signing took place … during the X Days": the agreement
    named last before is signed at the event."""
    for m in SIGNING_PLACE_RE.finditer(doc.text):
        n = doc.sentence_of(m.start())
        events = [
            i for _, _, i in doc.mentions_in(m.end(), doc.sentences[n][1]) if doc.kinds[i] is EntityKind.EVENT
        ]
        agreements = [i for _, _, i in doc.mentions_in(0, m.start()) if doc.kinds[i] is EntityKind.AGREEMENT]
        if events and agreements:
            yield agreements[-1], RelationKind.SIGNED_AT, events[0], None, 0.6, m.start()


def city_officials(doc: ExtractionState) -> Iterator[Placed]:
    """ "Deputy Mayor Judith Steiner said …" in a statement headed "CITY OF GRAZ": a city post with no
    city in its sentence is a post of the city the document is from (its heading or dateline)."""
    home = [i for s, _, i in doc.mentions_in(0, HOME_SPAN) if doc.kinds[i] is EntityKind.CITY][:1]
    if not home:
        return
    for s, _, person in doc.mentions:
        if doc.kinds[person] is not EntityKind.PERSON:
            continue
        sent = doc.sentences[doc.sentence_of(s)]
        m = ROLE_BEFORE_RE.search(doc.text, max(sent[0], s - 40), s)
        if m is None or not set(m.group("role").casefold().replace("-", " ").split()) & CITY_TITLES:
            continue
        if any(doc.kinds[i] in ACTOR_KINDS for _, _, i in doc.mentions_in(*sent)):
            continue  # the sentence names the city (or another employer): the sentence rules read it
        yield person, RelationKind.WORKS_FOR, home[0], " ".join(m.group("role").split()), 0.5, s
