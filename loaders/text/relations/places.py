"""Where things are: events held in a place, cities in a region, organisations based in a city."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.clauses import (
    APPOSITIVE_IN_RE,
    COMMA_ONLY_RE,
    DESCRIBED_BASED_RE,
    LIST_AFTER_RE,
    POSSESSIVE_GAP_RE,
    REGION_APPOSITION_RE,
)
from climatekg.loaders.text.patterns.cues import BASED_RE, HELD_IN_GAP_RE, LOCATED_RE
from climatekg.loaders.text.patterns.forms import IN_RE
from climatekg.loaders.text.relations.members import listed_before
from climatekg.loaders.text.relations.sentence import Found, Sentence


def held_in(sent: Sentence) -> Iterator[Found]:
    """An event held_in the city or place named right after it."""
    for n, sl in enumerate(sent.slots[:-1]):
        events = sl.of((EntityKind.EVENT,))
        nxt = sent.slots[n + 1]
        places = nxt.of((EntityKind.CITY, EntityKind.PLACE))
        if events and places and HELD_IN_GAP_RE.match(sent.text[sl.end : nxt.start]):
            yield events[0], RelationKind.HELD_IN, places[0], None, 0.8


def located_in(sent: Sentence) -> Iterator[Found]:
    """A city located_in a region; an organisation located_in (based in) a city."""
    text = sent.text
    for n, sl in enumerate(sent.slots[:-1]):
        nxt = sent.slots[n + 1]
        gap = text[sl.end : nxt.start]
        if sl.coref or nxt.coref:
            continue
        if sl.of((EntityKind.CITY,)) and nxt.of((EntityKind.PLACE,)) and APPOSITIVE_IN_RE.fullmatch(gap):
            yield (
                sl.of((EntityKind.CITY,))[0],
                RelationKind.LOCATED_IN,
                nxt.of((EntityKind.PLACE,))[0],
                None,
                0.7,
            )
        if (
            sl.of((EntityKind.CITY,))
            and nxt.of((EntityKind.PLACE,))
            and COMMA_ONLY_RE.fullmatch(gap)
            and not LIST_AFTER_RE.match(text, nxt.end, sent.e)
        ):
            yield (
                sl.of((EntityKind.CITY,))[0],
                RelationKind.LOCATED_IN,
                nxt.of((EntityKind.PLACE,))[0],
                None,
                0.7,
            )
        if (
            sl.of((EntityKind.ORGANISATION,))
            and nxt.of((EntityKind.CITY, EntityKind.PLACE))
            and LOCATED_RE.match(gap)
        ):
            yield (
                sl.of((EntityKind.ORGANISATION,))[0],
                RelationKind.LOCATED_IN,
                nxt.of((EntityKind.CITY, EntityKind.PLACE))[0],
                None,
                0.75,
            )
        if (
            sl.of((EntityKind.CITY, EntityKind.PLACE))
            and nxt.of((EntityKind.ORGANISATION,))
            and BASED_RE.fullmatch(gap)
        ):
            yield (
                nxt.of((EntityKind.ORGANISATION,))[0],
                RelationKind.LOCATED_IN,
                sl.of((EntityKind.CITY, EntityKind.PLACE))[0],
                None,
                0.7,
            )


def located_by_apposition(sent: Sentence) -> Iterator[Found]:
    """ "China's Guizhou", "Guiyang, the capital of China's Guizhou province", "Zunyi, also in
    Guizhou", "Lishui and Huzhou, two cities in the north of Zhejiang": located_in the region."""
    text, slots = sent.text, sent.slots
    places = (EntityKind.CITY, EntityKind.PLACE)
    for n, sl in enumerate(slots[:-1]):
        nxt = slots[n + 1]
        if sl.of((EntityKind.ORGANISATION,)):
            # "Qianlong Auto Group, a bus maker based in the city", "X Oy, a heat-pump company based in Kuopio"
            seat = next((k for k in range(n + 1, min(n + 4, len(slots))) if slots[k].of(places)), None)
            if seat is not None and DESCRIBED_BASED_RE.fullmatch(text, sl.end, slots[seat].start):
                yield (
                    sl.of((EntityKind.ORGANISATION,))[0],
                    RelationKind.LOCATED_IN,
                    slots[seat].of(places)[0],
                    None,
                    0.6,
                )
        if sl.coref or nxt.coref:
            continue
        if (
            sl.possessive
            and sl.of((EntityKind.PLACE,))
            and nxt.of(places)
            and POSSESSIVE_GAP_RE.fullmatch(text, sl.end, nxt.start)
        ):
            yield nxt.of(places)[0], RelationKind.LOCATED_IN, sl.of((EntityKind.PLACE,))[0], None, 0.7
        if not sl.of((EntityKind.CITY,)):
            continue
        m = REGION_APPOSITION_RE.match(text, sl.end, nxt.start)
        bare_in = IN_RE.fullmatch(text, sl.end, nxt.start)
        if m is None and bare_in and not nxt.possessive and nxt.of((EntityKind.PLACE,)):
            # "Hue and Quy Nhon in Viet Nam": each city of the list is in the country
            for k in listed_before(sent, sl.end) or [n]:
                for c in slots[k].of((EntityKind.CITY,)):
                    yield c, RelationKind.LOCATED_IN, nxt.of((EntityKind.PLACE,))[0], None, 0.6
            continue
        bare = m is None and nxt.possessive and bare_in
        if not bare and (m is None or m.end() != nxt.start):
            continue  # "Dali in China's Yunnan province" needs no comma: the country names the region
        target = nxt
        if (
            nxt.possessive
            and n + 2 < len(slots)
            and POSSESSIVE_GAP_RE.fullmatch(text, nxt.end, slots[n + 2].start)
        ):
            target = slots[n + 2]  # "the capital of China's Guizhou province": Guizhou
        if not target.of((EntityKind.PLACE,)):
            continue
        many = m is not None and (m.group("many") or "both" in m.group().casefold())
        members = listed_before(sent, sl.end) if many else [n]
        for k in members or [n]:
            for c in slots[k].of((EntityKind.CITY,)):
                yield c, RelationKind.LOCATED_IN, target.of((EntityKind.PLACE,))[0], None, 0.65
