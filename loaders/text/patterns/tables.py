"""Tables and labelled lines: a Markdown table (``| Town | Country | Member since |``), an HTML
table read as one (``html_to_text`` writes its rows so), and "Director: Dr. A" lines under a heading.

A table states facts by its columns: the header says which column names the members, their
country, when they joined and in what status. These helpers only read the layout; what it means
is said in ``relations/tables.py`` and the name candidates here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from climatekg.graph.model import EntityKind
from climatekg.loaders.text.candidates import Candidate
from climatekg.loaders.text.patterns.places import PLACES
from climatekg.loaders.text.words import is_title
from climatekg.loaders.text.world import world_places

ROW_RE = re.compile(r"(?m)^[ \t]*\|(.*)\|[ \t]*$")
RULE_CELL_RE = re.compile(r"\s*:?-{2,}:?\s*")
#: What a header cell says its column holds.
COLUMN_RES = {
    "member": re.compile(
        r"(?i)\b(?:city|cities|town|towns|municipalit(?:y|ies)|members?|local government)\b"
    ),
    "place": re.compile(r"(?i)\b(?:country|countries|state|province|region|nation)\b"),
    "since": re.compile(r"(?i)\b(?:since|joined|year)\b"),
    "role": re.compile(r"(?i)\b(?:status|membership|role|tier|category|type)\b"),
}
#: A header saying its column names cities (so a plain name in it is a city).
CITY_HEADER_RE = re.compile(r"(?i)\b(?:city|cities|town|towns|municipalit(?:y|ies))\b")
#: A cell that is one plain name (a candidate city under a "Town" header).
NAME_CELL_RE = re.compile(r"[A-ZÀ-Þ][^\W\d_]+(?:[ '\-][A-ZÀ-Þ][^\W\d_]+){0,3}")
#: A cell that is a person's name: two or three capitalised words.
PERSON_CELL_RE = re.compile(
    r"(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[ \t]+)?[A-ZÀ-Þ][^\W\d_]+(?:[ \t\-][A-ZÀ-Þ][^\W\d_]+){1,2}"
)
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: A cell's status that reads as a membership role.
ROLE_CELL_RE = re.compile(
    r"(?i)^(?:(?:founding|full|associate|observer|affiliate|honorary|new|regular)\s+)?"
    r"(?:members?|observers?|signatory|signatories|partners?)$|^observer$"
)
#: "Director: Dr. A" — a labelled line (Markdown bold already removed).
LABEL_LINE_RE = re.compile(r"(?m)^[ \t]*(?P<role>[A-Z][A-Za-z][A-Za-z \-&/]{0,40}?)[ \t]*:[ \t]+(?=\S)")
#: A person's name after a labelled line's post: "Director: Dr. Katharina Berger".
LINE_PERSON_RE = re.compile(
    r"(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[ \t]+)?(?P<name>[A-ZÀ-Þ][^\W\d_]+(?:[ \t\-][A-ZÀ-Þ][^\W\d_]+){1,2})(?=[ \t]*(?:$|[,(]))",
    re.MULTILINE,
)
#: ", an initiative of Z", ", a programme run by Z" after a name (a bracketed translation may come between).
INITIATIVE_AFTER_RE = re.compile(
    r"(?P<name>(?:[A-ZÀ-Þ][\w’'\-–]*[ \t]+){0,5}[A-ZÀ-Þ][\w’'\-–]*)(?:[ \t]*\([^()\n]{1,40}\))?"
    r"[ \t]*,[ \t]*an?[ \t]+(?:initiative|programme|program|project|campaign)[ \t]+(?:of|run[ \t]+by|led[ \t]+by)\b"
)
#: Posts a labelled line names that are not titles elsewhere.
LINE_POSTS = frozenset(
    [
        "officer",
        "lead",
        "manager",
        "coordinator",
        "communications",
        "secretary",
        "adviser",
        "advisor",
        "contact",
        "treasurer",
    ]
)
#: A company by its legal form: "Nordjysk Cement A/S", "Sundar Electric Mobility Pvt. Ltd.".
LEGAL_NAME_RE = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-ZÀ-Þ][\w&’'\-]*[ \t]+){1,4}?)"
    r"(?P<form>\(Pty\)[ \t]+Ltd\.?|Pte\.?[ \t]+Ltd\.?|Sdn\.?[ \t]+Bhd\.?|A/S|ASA|AS|OÜ|ApS|SIA|S\.L\.|SRL|S\.r\.l\.|SAS|AG|Pvt\.?[ \t]+Ltd\.?|Private[ \t]+Limited|Pty\.?[ \t]+Ltd\.?|Co\.,?[ \t]+Ltd\.?"
    r"|Ltd\.?|Inc\.?|GmbH|AB|Oyj?|S\.A\.|SpA|S\.p\.A\.|NV|BV|LLC|plc|K\.K\.)(?![\w/])"
)
#: A region by its kind: "Zhejiang province", "Western Cape Province", "Ashanti Region".
REGION_RE = re.compile(
    r"(?<![\w’'])(?P<name>[A-ZÀ-Þ][\w\-]+(?:[ \t][A-ZÀ-Þ][\w\-]+)?)[ \t]+"
    r"(?P<kind>[Pp]rovince|Prefecture|State|Region|Oblast|County|Autonomous[ \t]+Region)\b"
)
#: "China's Yunnan", "China's Guizhou province": a region named by its country's possessive.
COUNTRY_REGION_RE = re.compile(
    r"(?P<country>[A-Z][\w]+(?:[ \t][A-Z][\w]+)?)['’]s[ \t]+(?P<name>[A-ZÀ-Þ][\w’'\-]+(?:[ \t][A-ZÀ-Þ][\w’'\-]+)?)"
)
#: The suffixes ISO 3166-2 adds to a region's own name ("Guizhou Sheng").
REGION_SUFFIXES = frozenset(["sheng", "shi", "zizhiqu", "zhuangzu", "huizu", "uygur"])
#: Kinds of ISO 3166-2 subdivisions that are regions a text names (not districts or wards).
REGION_TYPES = frozenset(
    ["province", "state", "region", "autonomous region", "autonomous community", "land", "canton", "oblast"]
)
#: A person named after a possessive post: "Aalborg's deputy mayor for climate, Mads Kristensen".
POSS_POST_NAME_RE = re.compile(
    r"(?:['’]s|\b[Ii]ts|\b[Tt]heir)[ \t]+(?P<role>[^,.;:!?()\"“”\n]{2,50}?),[ \t]+(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[ \t]+)?"
    r"(?P<name>[A-ZÀ-Þ][^\W\d_]+(?:[ \t\-][A-ZÀ-Þ][^\W\d_]+){1,2})(?=[ \t]*[,.;(]|[ \t]+(?:said|says|told|added)\b)"
)
#: A label saying the line is about membership: "Member since", "Joined", "Status".
MEMBERSHIP_LABEL_RE = re.compile(r"(?i)\b(?:member(?:ship)?|joined|signatory|status)\b")
#: A membership status in a line's value: "2020, founding member".
MEMBER_ROLE_RE = re.compile(
    r"(?i)\b(?:(?:founding|full|associate|affiliate|honorary)[ \t]+member|observer|signatory)\b"
)
#: A city by its government's name in its own language: "Alcaldía de Medellín", "Prefeitura de Curitiba".
GOVERNMENT_OF_RE = re.compile(
    r"\b(?:Alcald[íi]a|Ayuntamiento|Municipalidad|Intendencia|Prefeitura|C[âa]mara[ \t]+Municipal|Mairie|Ville"
    r"|Comune|Stadt|Gemeente|Kommune|Concello)[ \t]+(?:Municipal[ \t]+)?(?:de[ \t]+la|de|do|da|di|del|von|van)[ \t]+"
    r"(?P<city>[A-ZÀ-Þ][\w\-]+(?:[ \t](?:de[ \t]+)?[A-ZÀ-Þ][\w\-]+){0,2})"
)
#: A company whose legal form comes first: "PT Surya Cerah Energi", "UAB Vilniaus Šiluma".
PREFIX_LEGAL_RE = re.compile(
    r"\b(?P<form>PT|UAB|OOO|TOV|SIA)[ \t]+(?P<name>[A-ZÀ-Þ][\w&’'\-]*(?:[ \t][A-ZÀ-Þ][\w&’'\-]*){0,3})"
)
#: Cheap tests run before the costlier patterns above (most texts have none of these words).
INITIATIVE_TAIL_RE = re.compile(r",[ \t]*an?[ \t]+(?:initiative|programme|program|project|campaign)[ \t]")
LEGAL_FORM_WORDS = (
    "A/S",
    " AS",
    " Pvt",
    " Pty",
    " Pte",
    " Sdn",
    " Ltd",
    " Inc",
    "GmbH",
    " AB",
    " Oy",
    "S.A.",
    " SpA",
    "S.p.A",
    " NV",
    " BV",
    " LLC",
    " plc",
    "K.K.",
    "OÜ",
    " ApS",
    " SIA",
    "S.L.",
    " SRL",
    "S.r.l",
    " SAS",
    " AG",
    " Co.",
)
REGION_WORD_RE = re.compile(r"\b(?:[Pp]rovince|Prefecture|State|Region|Oblast|County)\b")
PREFIX_FORMS = ("PT", "UAB", "OOO", "TOV", "SIA")
GOVERNMENT_WORDS = (
    "Alcald",
    "Ayuntamiento",
    "Municipalidad",
    "Intendencia",
    "Prefeitura",
    "mara Municipal",
    "Mairie",
    "Ville ",
    "Comune",
    "Stadt ",
    "Gemeente",
    "Kommune",
    "Concello",
)
POSSESSIVE_START_RE = re.compile(r"['’]s[ \t]|\b(?:[Ii]ts|[Tt]heir)[ \t]")
#: "in " right before a name: where someone is, not who employs them ("(based in Bolzano)").
IN_BEFORE_RE = re.compile(r"\bin[ \t]+$")
#: A heading: a short line on its own, without a full stop, after a blank line.
HEADING_RE = re.compile(r"(?m)(?:\A|\n[ \t]*\n)(?P<h>[^\n.:|]{2,80})(?=\n)")


@dataclass(frozen=True)
class Cell:
    """One cell of a table row: where its text is, and the text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Table:
    """A table: its header cells and its data rows (each a list of cells)."""

    header: list[Cell]
    rows: list[list[Cell]]

    def person_column(self) -> int | None:
        """The first column whose header is a post ("Mayor", "Contact"): it names people."""
        for n, cell in enumerate(self.header):
            if is_title(cell.text) or cell.text.casefold() in ("contact", "lead contact", "name of mayor"):
                return n
        return None

    def column(self, what: str) -> int | None:
        """The first column whose header names ``what`` ("member", "place", "since", "role")."""
        pattern = COLUMN_RES[what]
        for n, cell in enumerate(self.header):
            if pattern.search(cell.text):
                if what == "member" and COLUMN_RES["since"].search(cell.text):
                    continue  # "Member since" says when, not who
                return n
        return None


def _cells(text: str, m: re.Match[str]) -> list[Cell]:
    out, pos = [], m.start(1)
    for part in m.group(1).split("|"):
        lead = len(part) - len(part.lstrip())
        out.append(Cell(pos + lead, pos + len(part.rstrip()), part.strip()))
        pos += len(part) + 1
    return out


def tables(text: str) -> Iterator[Table]:
    """The tables of ``text``: runs of ``| … |`` rows (blank lines between rows allowed)."""
    if "|" not in text:
        return
    rows: list[list[Cell]] = []
    last_end = -1
    for m in ROW_RE.finditer(text):
        if rows and text[last_end : m.start()].strip():
            yield from _table(rows)
            rows = []
        cells = _cells(text, m)
        if not all(RULE_CELL_RE.fullmatch(c.text) or not c.text for c in cells):
            rows.append(cells)
        last_end = m.end()
    yield from _table(rows)


def _table(rows: list[list[Cell]]) -> Iterator[Table]:
    if len(rows) >= 2:
        yield Table(rows[0], [r for r in rows[1:] if len(r) == len(rows[0])])


def layout_candidates(text: str) -> list[Candidate]:
    """Names a page's layout or an apposition shows (lower confidence): a plain name in the column
    of a table headed "City" or "Town" is a city; the name after "Director: " on a labelled line
    is a person; the capitalised name before ", an initiative of Z" is an initiative."""
    out = _initiative_names(text) + _labelled_people(text) + _legal_names(text) + _regions(text)
    for m in PREFIX_LEGAL_RE.finditer(text) if any(f + " " in text for f in PREFIX_FORMS) else ():
        out.append(
            Candidate(
                m.start(), m.end(), EntityKind.ORGANISATION, m.group(), 0.7, 3, (m.group("name"),), "company"
            )
        )
    for m in GOVERNMENT_OF_RE.finditer(text) if any(w in text for w in GOVERNMENT_WORDS) else ():
        out.append(Candidate(m.start(), m.end(), EntityKind.CITY, m.group("city"), 0.75, 4, (m.group(),)))
    for p in POSSESSIVE_START_RE.finditer(text):
        post = POSS_POST_NAME_RE.match(text, p.start())
        if post is not None and is_title(post.group("role")):
            out.append(
                Candidate(post.start("name"), post.end("name"), EntityKind.PERSON, post.group("name"), 0.6, 2)
            )
    for table in tables(text):
        col = table.column("member")
        if col is None:
            continue
        place, person = table.column("place"), table.person_column()
        for row in table.rows:
            cell = row[col]
            if NAME_CELL_RE.fullmatch(cell.text) and CITY_HEADER_RE.search(table.header[col].text):
                out.append(Candidate(cell.start, cell.end, EntityKind.CITY, cell.text, 0.6, 2))
            if place is not None and NAME_CELL_RE.fullmatch(row[place].text):
                c = row[place]  # a plain name under "Country" or "State" is a place
                out.append(Candidate(c.start, c.end, EntityKind.PLACE, c.text, 0.6, 5))
            if person is not None and PERSON_CELL_RE.fullmatch(row[person].text):
                c = row[person]
                out.append(Candidate(c.start, c.end, EntityKind.PERSON, c.text, 0.6, 2))
    return out


def headings(text: str) -> list[tuple[int, int]]:
    """The spans of the heading lines of ``text``, in order."""
    return [(m.start("h"), m.end("h")) for m in HEADING_RE.finditer(text) if len(m.group("h").split()) <= 10]


def _labelled_people(text: str) -> list[Candidate]:
    out = []
    for m in LABEL_LINE_RE.finditer(text):
        role = m.group("role").strip()
        if not (is_title(role) or role.split()[-1].casefold() in LINE_POSTS):
            continue
        p = LINE_PERSON_RE.match(text, m.end())
        if p:
            out.append(Candidate(p.start("name"), p.end("name"), EntityKind.PERSON, p.group("name"), 0.6, 2))
    return out


def _initiative_names(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    if not INITIATIVE_TAIL_RE.search(text):  # cheap test first: most texts have none
        return out
    for m in INITIATIVE_AFTER_RE.finditer(text):
        words = m.group("name").split()
        while words and words[0] in ("The", "A", "An", "Its", "Their"):
            words = words[1:]
        if len(words) < 2:
            continue
        start = m.end("name") - len(" ".join(words))
        if text[start : m.end("name")] == " ".join(words):
            out.append(Candidate(start, m.end("name"), EntityKind.INITIATIVE, " ".join(words), 0.6, 2))
    return out


def _legal_names(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    if not any(f in text for f in LEGAL_FORM_WORDS):
        return out
    for m in LEGAL_NAME_RE.finditer(text):
        words = m.group("name").split()
        while words and words[0] in ("The", "A", "An", "By", "With", "And", "From", "About"):
            words = words[1:]
        if not words or not any(any(ch.islower() for ch in w) for w in words):
            continue  # "NEW MEMBERS JOIN AS …": a headline in capitals, not a company
        start = m.start("form") - len(m.group("name")) + m.group("name").index(words[0])
        end = m.end("form")
        if (
            m.group("form").endswith(".")
            and text[end : end + 1] in ("", " ", "\n")
            and text[end:].lstrip()[:1].isupper()
        ):
            end -= 1  # the full stop ends the sentence too: keep "Ltd" (the name reads the same)
        label = text[start:end]
        aliases: tuple[str, ...] = (" ".join(words),)
        if (
            len(words) >= 2
            and len(words[0]) >= 5
            and words[0].isalpha()
            and not place_named_alone_before(text, words, start)
        ):
            aliases += (words[0],)  # "Sundar" for "Sundar Electric Mobility Pvt. Ltd.", later in the text
        out.append(Candidate(start, end, EntityKind.ORGANISATION, label, 0.75, 3, aliases, "company"))
    return out


@cache
def region_names() -> frozenset[str]:
    """The casefolded names of the world's provinces, states and regions (ISO 3166-2, via pycountry)."""
    import pycountry  # loaded on first use

    out = set()
    for sub in pycountry.subdivisions:
        if sub.type.casefold() in REGION_TYPES:
            words = [w for w in sub.name.split() if w.casefold() not in REGION_SUFFIXES]
            out.add(" ".join(words).casefold())
    return frozenset(out)


def _regions(text: str) -> list[Candidate]:
    out = []
    if "'s " in text or "’s " in text:
        for m in COUNTRY_REGION_RE.finditer(text):
            if m.group("country").casefold() not in PLACES:
                continue
            for name in (m.group("name"), m.group("name").split()[0]):
                if name.casefold() in region_names():
                    start = m.start("name")
                    out.append(Candidate(start, start + len(name), EntityKind.PLACE, name, 0.7, 3))
                    break
    for m in REGION_RE.finditer(text) if REGION_WORD_RE.search(text) else ():
        name = m.group("name")
        if name.casefold() in PLACES or (name.casefold() in region_names() or m.group("kind") == "province"):
            if name.split()[0] in ("The", "This", "Its", "A"):
                continue
            out.append(Candidate(m.start(), m.end(), EntityKind.PLACE, name, 0.7, 3, (m.group(),)))
    return out


def place_named_alone_before(text: str, words: list[str], start: int) -> bool:
    """True when the first of ``words`` (a company's name) is a world place the text names on its
    own before ``start``: "the cities of Xiamen … Xiamen Bus Group" (then "Xiamen" is the city)."""
    if not world_places()[0].lookup(words[0]):
        return False
    alone = re.compile(rf"\b{re.escape(words[0])}\b(?![ \t]+{re.escape(words[1])})")
    return alone.search(text, 0, start) is not None
