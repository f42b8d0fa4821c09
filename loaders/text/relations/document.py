"""Relations a page states by its layout rather than in one sentence: the speakers listed under
a "Speakers" heading take part in the event the page is about; that event is held in the city on
the dated line under its title; an initiative "launched" on the page is launched at it."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text import scan
from climatekg.loaders.text.patterns.forms import (
    BOTH_CITIES_MEMBERS_RE,
    DATE_LINE_RE,
    LAUNCHED_RE,
    NEXT_HEADING_RE,
    SIGNED_ON_PAGE_RE,
    SPEAKERS_HEADING_RE,
)
from climatekg.loaders.text.relations.posts import (
    city_officials,
    possessive_posts,
    pronoun_led_by,
    signing_took_place,
)
from climatekg.loaders.text.relations.tables import labelled_lines, section_lines, table_relations
from climatekg.loaders.text.state import ExtractionState

#: What a layout rule finds: subject, kind, object, role, confidence, and where it is said.
Placed = tuple[str, RelationKind, str, str | None, float, int]
#: The page is about an event when one is named this close to its start (its title).
TITLE_SPAN = 400


def page_event(doc: ExtractionState) -> str | None:
    """The event a page is about: the first thing it names, if that is an event near the top."""
    for s, _, i in doc.mentions:
        if s > TITLE_SPAN:
            return None
        if doc.kinds[i] is EntityKind.EVENT:
            return i
        if doc.kinds[i] is not EntityKind.CITY and doc.kinds[i] is not EntityKind.PLACE:
            return None
    return None


def document_relations(doc: ExtractionState) -> Iterator[Placed]:
    """Relations that need more than one sentence: a page's layout, and "both cities"."""
    yield from both_cities(doc)
    yield from layout_relations(doc)
    yield from table_relations(doc)
    yield from labelled_lines(doc)
    yield from section_lines(doc)
    yield from possessive_posts(doc)
    yield from pronoun_led_by(doc)
    yield from signing_took_place(doc)
    yield from city_officials(doc)


def both_cities(doc: ExtractionState) -> Iterator[Placed]:
    """ "Both cities are also members of X": the last two cities named before are members of X."""
    for m in scan.finditer(BOTH_CITIES_MEMBERS_RE, doc.text):
        groups = [
            i
            for s, _, i in doc.mentions_in(m.end(), m.end() + 1)
            if doc.kinds[i] in (EntityKind.ORGANISATION, EntityKind.INITIATIVE)
        ]
        before = [i for s, _, i in doc.mentions if s < m.start() and doc.kinds[i] is EntityKind.CITY]
        cities = list(dict.fromkeys(reversed(before)))[:2]
        if groups and len(cities) == 2:
            for c in cities:
                yield c, RelationKind.MEMBER_OF, groups[0], None, 0.55, m.start()


def layout_relations(doc: ExtractionState) -> Iterator[Placed]:
    """Participation, venue and launches stated by a page's layout (see the module docstring)."""
    event = page_event(doc)
    if event is None:
        return
    text = doc.text
    for h in scan.finditer(SPEAKERS_HEADING_RE, text):
        nxt = NEXT_HEADING_RE.search(text, h.end() + 1)
        end = nxt.start() if nxt else len(text)
        line_starts = set()
        for s, _, i in doc.mentions_in(h.end(), end):
            line = text.rfind("\n", 0, s)
            if doc.kinds[i] is EntityKind.PERSON and line not in line_starts:
                line_starts.add(line)  # the first person of each list item is the speaker
                yield i, RelationKind.PARTICIPATED_IN, event, None, 0.55, s
    first = doc.first_seen.get(event, 0)
    line_end = text.find("\n", first)
    line_end = len(text) if line_end < 0 else line_end
    following = text.find("\n", line_end + 1)
    for _ in range(3):  # the dated line under the title (blank lines between are skipped)
        if text[line_end + 1 : following].strip():
            break
        line_end, following = following, text.find("\n", following + 1)
    following = len(text) if following < 0 else following
    if DATE_LINE_RE.search(text, line_end, following):
        cities = [
            (s, i) for s, _, i in doc.mentions_in(line_end, following) if doc.kinds[i] is EntityKind.CITY
        ]
        if cities:
            yield event, RelationKind.HELD_IN, cities[0][1], None, 0.55, cities[0][0]
    for m in scan.finditer(LAUNCHED_RE, text):
        sent = doc.sentences[doc.sentence_of(m.start())]
        inits = [(s, i) for s, _, i in doc.mentions_in(*sent) if doc.kinds[i] is EntityKind.INITIATIVE]
        events = [i for _, _, i in doc.mentions_in(*sent) if doc.kinds[i] is EntityKind.EVENT]
        if inits and not events:
            yield inits[0][1], RelationKind.LAUNCHED_AT, event, None, 0.5, inits[0][0]
    for m in scan.finditer(SIGNED_ON_PAGE_RE, text):
        # "Pärnu and Jūrmala signed a memorandum" in the report of a forum: signed at the forum
        sent = doc.sentences[doc.sentence_of(m.start())]
        named = doc.mentions_in(*sent)
        agreements = [(s, i) for s, _, i in named if doc.kinds[i] is EntityKind.AGREEMENT and s > m.start()]
        elsewhere = any(  # another event, or "in City", names where it was signed
            s > m.start()
            and (
                doc.kinds[i] is EntityKind.EVENT
                or (doc.kinds[i] is EntityKind.CITY and text[s - 4 : s] == " in ")
            )
            for s, _, i in named
        )
        if agreements and not elsewhere:
            yield agreements[0][1], RelationKind.SIGNED_AT, event, None, 0.5, agreements[0][0]
