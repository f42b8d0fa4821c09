"""Facts a page states by its layout: a table of members (each row's member is in its country and
a member of the network the page is about, with the row's status as role), and labelled lines
("Director: Dr. A") under a heading (the person works for the actor the heading names, else for
the page's network)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from climatekg.graph.model import ACTOR_KINDS, EntityKind, RelationKind
from climatekg.loaders.text.patterns.cues import DEMONSTRATE_RE
from climatekg.loaders.text.patterns.tables import (
    IN_BEFORE_RE,
    LABEL_LINE_RE,
    LINE_POSTS,
    MEMBER_ROLE_RE,
    MEMBERSHIP_LABEL_RE,
    ROLE_CELL_RE,
    headings,
    tables,
)
from climatekg.loaders.text.state import ExtractionState
from climatekg.loaders.text.words import is_title

#: What a layout rule finds: subject, kind, object, role, confidence, and where it is said.
Placed = tuple[str, RelationKind, str, str | None, float, int]
GROUP_KINDS = (EntityKind.INITIATIVE, EntityKind.ORGANISATION)

#: The head words of a body that is a network of members.
NETWORK_HEADS = frozenset(
    ["network", "alliance", "league", "coalition", "association", "federation", "union"]
)


def main_group(doc: ExtractionState) -> str | None:
    """The network the document is about: the first city network or initiative it names, or a body
    named as a network ("the Pacific Resilient Ports Alliance") if that comes first."""
    for _, _, i in doc.mentions:
        if doc.kinds[i] is EntityKind.INITIATIVE or doc.classes.get(i) == "city_network":
            return i
        if doc.kinds[i] is EntityKind.ORGANISATION and doc.classes.get(i) in (None, "other"):
            entry = doc.gaz.get(i)
            names = doc.doc_names.get(i, []) + list(entry.names if entry else ())
            if any(n.split()[-1:] and n.split()[-1].casefold() in NETWORK_HEADS for n in names):
                return i
    return None


def _in(doc: ExtractionState, start: int, end: int, kinds: tuple[EntityKind, ...]) -> list[str]:
    return [i for s, e, i in doc.mentions_in(start, end) if e <= end and doc.kinds[i] in kinds]


def table_relations(doc: ExtractionState) -> Iterator[Placed]:
    """Rows of member tables: located_in the row's country, member_of the page's network."""
    group = None
    for table in tables(doc.text):
        member, place, role = table.column("member"), table.column("place"), table.column("role")
        person, since = table.person_column(), table.column("since")
        if member is None:
            continue
        if group is None:
            group = main_group(doc)
        for row in table.rows:
            cell = row[member]
            members = _in(doc, cell.start, cell.end, tuple(ACTOR_KINDS))
            if not members:
                continue
            if place is not None:
                places = _in(doc, row[place].start, row[place].end, (EntityKind.PLACE,))
                for m in members:
                    for p in places[:1]:
                        yield m, RelationKind.LOCATED_IN, p, None, 0.6, cell.start
            if person is not None and person != member:
                for p in _in(doc, row[person].start, row[person].end, (EntityKind.PERSON,)):
                    for m in members:
                        yield p, RelationKind.WORKS_FOR, m, table.header[person].text, 0.6, row[person].start
            if group is not None:
                cell_role = row[role].text.casefold() if role is not None else ""
                status = cell_role if ROLE_CELL_RE.fullmatch(cell_role) else None
                if status is None and since is not None and "signator" in table.header[since].text.casefold():
                    status = "signatory"  # "Signatory since"
                for m in members:
                    if m != group:
                        yield m, RelationKind.MEMBER_OF, group, status, 0.55, cell.start


def labelled_lines(doc: ExtractionState) -> Iterator[Placed]:
    """ "Director: Dr. A": A works for the actor the heading above names, else the page's network."""
    text = doc.text
    heads: list[tuple[int, int]] | None = None
    group = None
    for m in LABEL_LINE_RE.finditer(text):
        role = m.group("role").strip()
        if not (is_title(role) or role.split()[-1].casefold() in LINE_POSTS):
            continue
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        first = doc.mentions_in(m.end(), line_end)
        if not first or first[0][0] != m.end() or doc.kinds[first[0][2]] is not EntityKind.PERSON:
            continue
        person = first[0][2]
        employers = [
            i
            for s, _, i in first[1:]
            if doc.kinds[i] in ACTOR_KINDS and not IN_BEFORE_RE.search(text, max(0, s - 12), s)
        ]  # "Luca Moretti (based in Bolzano)": a place, not an employer
        if employers:  # "Project manager: A, Department of Education, Surabaya City Government"
            for i in employers:
                yield person, RelationKind.WORKS_FOR, i, role, 0.5, m.start()
            continue
        if heads is None:
            heads, group = headings(text), main_group(doc)
        k = bisect.bisect_right(heads, (m.start(), m.start())) - 1
        employer = None
        if k >= 0:
            named = _in(doc, heads[k][0], heads[k][1], tuple(ACTOR_KINDS))
            employer = named[0] if named else None
        employer = employer or group
        if employer is not None:
            yield person, RelationKind.WORKS_FOR, employer, role, 0.55, m.start()


def section_lines(doc: ExtractionState) -> Iterator[Placed]:
    """Labelled lines under a heading that names an actor ("## Valparaíso (Chile)"): "Member since:
    2020, founding member" makes it a member of the page's network; "What it does: runs two
    electric tugboats" says it demonstrates them."""
    text = doc.text
    heads: list[tuple[int, int]] | None = None
    group = None
    for m in LABEL_LINE_RE.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        label = m.group("role")
        member = MEMBERSHIP_LABEL_RE.search(label)
        uses = DEMONSTRATE_RE.match(text, m.end(), line_end)
        if not member and not uses:
            continue
        if heads is None:
            heads, group = headings(text), main_group(doc)
        k = bisect.bisect_right(heads, (m.start(), m.start())) - 1
        if k < 0:
            continue
        named = _in(doc, heads[k][0], heads[k][1], tuple(ACTOR_KINDS))
        if not named or named[0] == group:
            continue
        if member and group is not None:
            role = MEMBER_ROLE_RE.search(text, m.end(), line_end)
            status = role.group().casefold() if role else None
            yield named[0], RelationKind.MEMBER_OF, group, status, 0.55, m.start()
        if uses:
            for t in _in(doc, uses.end(), line_end, (EntityKind.TECHNOLOGY,)):
                yield named[0], RelationKind.DEMONSTRATES, t, None, 0.5, m.start()
