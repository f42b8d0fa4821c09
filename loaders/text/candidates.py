"""Candidate names: what a run of capitalised words names (an organisation, initiative, event or
agreement by its head word, a city after "City of", a person next to a post), before linking."""

from __future__ import annotations

from dataclasses import dataclass

from climatekg.graph.model import EntityKind, normalise_name
from climatekg.loaders.text.patterns.forms import TRAILING_POSTS
from climatekg.loaders.text.patterns.names import (
    CITY_NETWORK_HEADS,
    CITY_NETWORK_WORDS,
    CONNECTORS,
    GENERIC_AGREEMENTS,
    HEADS,
    LEGAL_SUFFIXES,
    NAME_TOKEN_RE,
    ORG_CLASS,
)
from climatekg.loaders.text.patterns.people import (
    APPOSITIVE_TITLE_RE,
    CITY_TITLES,
    POST_AFTER_NAME_RE,
    POST_BEFORE_NAME_RE,
    ROLE_BEFORE_RE,
    SPEECH_AFTER_RE,
    SPEECH_BEFORE_RE,
    TITLE_MODIFIERS,
    TITLE_WORDS,
)
from climatekg.loaders.text.patterns.places import PLACES
from climatekg.loaders.text.patterns.stopwords import ABBREVIATIONS, LEADING_STOP, NOT_A_NAME
from climatekg.loaders.text.words import is_acronym, is_title

#: Capitalised runs longer than this are headlines, not names.
MAX_NAME_TOKENS = 24


@dataclass
class Candidate:
    """A name a pattern found, before it is linked to an entity."""

    start: int
    end: int
    kind: EntityKind
    label: str
    confidence: float
    priority: int
    aliases: tuple[str, ...] = ()
    classification: str | None = None
    surname: str | None = None  # a person named by honorific or title + surname only
    generic: str | None = None  # agreement type, when the name is generic ("MOU")
    zh: bool = False
    #: from the maintained gazetteer (``world``): country, latitude, longitude, where they come from
    geo: tuple[str | None, float | None, float | None, str] | None = None


class NameClassifier:
    """Reads runs of capitalised words of one text as candidate names."""

    def __init__(self, text: str) -> None:
        self.text = text

    def run_candidates(self, toks: list[tuple[int, int, str]]) -> list[Candidate]:
        """The names in one capitalised run (split at possessives, dashes and "and")."""
        toks = trim(toks)
        if len(toks) > MAX_NAME_TOKENS:  # a title-cased headline, not a name (known names are still found)
            return []
        out: list[Candidate] = []
        part: list[tuple[int, int, str]] = []
        for t in toks:
            w = t[2]
            if w.endswith(("'s", "’s")) and len(w) > 2:
                part.append((t[0], t[1] - 2, w[:-2]))
                for chunk in self._split_run(part):
                    out += self.classify(chunk)
                part = []
            else:
                part.append(t)
        for chunk in self._split_run(part):
            out += self.classify(chunk)
        return out

    def _split_run(self, toks: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
        """Split a run at spaced dashes and at 'and' between two complete names (a piece of five
        words in capitals is a heading, not a name: "STATEMENT FROM THE OFFICE OF THE LORD MAYOR")."""
        while toks and toks[-1][2].casefold() in CONNECTORS:
            toks = toks[:-1]
        if not toks:
            return []
        pieces: list[list[tuple[int, int, str]]] = [[toks[0]]]
        for prev, t in zip(toks, toks[1:], strict=False):
            gap = self.text[prev[1] : t[0]]
            # "NAIROBI — The …" splits; "Durban–Maputo Clean Ports Partnership" is one name
            dash = (any(d in gap for d in "–—") and gap != gap.strip()) or " - " in gap or "—" in gap
            lone_acronym = len(pieces[-1]) == 1 and is_acronym(pieces[-1][0][2])
            if dash and not lone_acronym:
                pieces.append([t])
            else:
                pieces[-1].append(t)
        chunks: list[list[tuple[int, int, str]]] = []
        pieces = [p for p in pieces if sum(1 for t in p if len(t[2]) > 1 and t[2].isupper()) < 5]
        for piece in pieces:
            cur: list[tuple[int, int, str]] = []
            parts: list[list[tuple[int, int, str]]] = []
            for t in piece:
                if t[2].casefold() in ("and", "&"):
                    parts.append(cur)
                    cur = []
                else:
                    cur.append(t)
            parts.append(cur)
            merged: list[list[tuple[int, int, str]]] = []
            for p in parts:
                if not p:
                    continue
                if merged and merged[-1][-1][2].casefold() not in CONNECTORS:
                    left, lh, rh = merged[-1], has_head(merged[-1]), has_head(p)
                    inner_of = any(w[2].casefold() in ("of", "for") for w in left)
                    if (not lh and rh and not _all_place_like(left)) or (lh and not rh and inner_of):
                        between = [x for x in piece if left[-1][1] <= x[0] < p[0][0]]
                        merged[-1] = left + between + p
                        continue
                merged.append(p)
            chunks += merged
        return [c for c in chunks if c]

    def classify(self, sub: list[tuple[int, int, str]]) -> list[Candidate]:
        """What a run of name tokens names: a body by its head word, a city, a person by a title."""
        text = self.text
        sub = trim(sub)
        if not sub:
            return []
        low = [w.casefold() for _, _, w in sub]
        c = next((i for i, w in enumerate(low) if w in ("of", "for")), len(low))
        prefix = low[:c]
        rest = sub[c + 1 :]
        while rest and rest[0][2].casefold() == "the":
            rest = rest[1:]
        if (
            rest
            and prefix
            and all(w in TITLE_WORDS or w in TITLE_MODIFIERS for w in prefix)
            and any(w in TITLE_WORDS for w in prefix)
        ):
            if any(w in CITY_TITLES for w in prefix) and not has_head(rest) and len(rest) <= 3:
                return [self.place(rest, 0.6)]
            return self.classify(rest)
        if rest and prefix in CITY_GOVERNMENT_PREFIXES and not has_head(rest) and len(rest) <= 4:
            label = span_text(text, rest)
            return [
                Candidate(
                    sub[0][0], sub[-1][1], EntityKind.CITY, label, 0.8, 3, aliases=(span_text(text, sub),)
                )
            ]
        if len(low) == 2 and low[0] in HEADS and low[1] in TRAILING_POSTS:
            return []  # "Council Chair": a post in an unnamed body, not a body's name
        gov = city_government(low)
        if gov and c == len(low):
            # "Gothenburg Municipality", "Pune Municipal Corporation": the city by its government;
            # "Qanat Thermal and Al Wakrah Municipality": a second name before "and"
            cut = max((i for i, w in enumerate(low) if w in ("and", "&")), default=-1)
            city = sub[cut + 1 : len(sub) - gov]
            if 1 <= len(city) <= 3 and not has_head(city):
                first = self.classify(sub[:cut]) if cut > 0 else []
                span = sub[cut + 1 :]
                return [
                    *first,
                    Candidate(
                        span[0][0],
                        span[-1][1],
                        EntityKind.CITY,
                        span_text(text, city),
                        0.75,
                        3,
                        aliases=(span_text(text, span),),
                    ),
                ]
        head = next((i for i in range(c - 1, -1, -1) if low[i] in HEADS), None)
        if head is None and len(prefix) >= 2 and c < len(low) and low[c] == "for" and low[-1] in HEADS:
            head = len(low) - 1  # "Shore Power for Islands Programme": the head ends the name
        if (
            head is None
            and len(prefix) == 1
            and prefix[0] not in ("city", "town", "municipality")
            and rest
            and has_head(rest)
            and not any(w[2].casefold() in ("and", "&") for w in rest)
        ):
            return self.classify(rest)  # "Launch of the Andean Electric Mobility Initiative"
        if head is not None:
            kind = HEADS[low[head]]
            label = span_text(text, sub)
            generic = GENERIC_AGREEMENTS.get(normalise_name(label)) if kind is EntityKind.AGREEMENT else None
            if len(sub) == 1 and generic is None:
                return []
            if generic is None and kind is EntityKind.AGREEMENT and low[head] == "agreement" and head == 0:
                return []
            aliases: tuple[str, ...] = ()
            if (
                kind in (EntityKind.ORGANISATION, EntityKind.INITIATIVE)
                and len(sub) >= 3
                and is_acronym(sub[0][2])
            ):
                aliases = (sub[0][2],)
            end = sub[-1][1]
            if low[-1] in LEGAL_SUFFIXES and len(sub) >= 2:
                aliases += (span_text(text, sub[:-1]).rstrip(","),)
                if low[-1] in ABBREVIATIONS and text[end : end + 1] == ".":
                    end += 1
                    label += "."
            cls = _classification(kind, low, head)
            return [Candidate(sub[0][0], end, kind, label, 0.8, 3, aliases, cls, generic=generic)]
        return self._title_person(sub, low)

    def _title_person(self, sub: list[tuple[int, int, str]], low: list[str]) -> list[Candidate]:
        """'Port Alder Mayor Tomas Reyes', 'Mayor Helen Varga of Northbridge', 'Angie Fyfe, Director'."""
        text = self.text
        out: list[Candidate] = []
        t = next((i for i, w in enumerate(low) if w in TITLE_WORDS and sub[i][2][:1].isupper()), None)
        if t is not None:
            j = t + 1
            while j < len(sub) and namelike(sub[j][2]) and j - t <= 3:
                j += 1
            name = sub[t + 1 : j]
            if name and (j == len(sub) or low[j] in CONNECTORS):
                out.append(self.person(name, sub[t][2], 0.75))
                left = sub[:t]
                while left and left[-1][2].casefold() in TITLE_MODIFIERS:
                    left = left[:-1]
                city_title = low[t] in CITY_TITLES
                if city_title and left and len(left) <= 3 and all(namelike(w) for _, _, w in left):
                    out.append(self.place(left, 0.6))
                after = sub[j + 1 :]
                if (
                    city_title
                    and j < len(sub)
                    and low[j] == "of"
                    and 0 < len(after) <= 3
                    and not has_head(after)
                ):
                    out.append(self.place(after, 0.6))
            return out
        if 2 <= len(sub) <= 3 and all(namelike(w) for _, _, w in sub):
            following = text[sub[-1][1] : sub[-1][1] + 60]
            before = text[max(0, sub[0][0] - 40) : sub[0][0]]
            role = ROLE_BEFORE_RE.search(before)
            if (
                APPOSITIVE_TITLE_RE.match(following)
                or SPEECH_AFTER_RE.match(following)
                or SPEECH_BEFORE_RE.search(before)
                or (role and is_title(role.group("role")))
                or POST_AFTER_NAME_RE.match(following)
                or POST_BEFORE_NAME_RE.search(before)
            ):
                out.append(self.person(sub, None, 0.7))
        return out

    def person(self, name: list[tuple[int, int, str]], title: str | None, confidence: float) -> Candidate:
        """A person named by ``name`` (a surname alone is labelled with its ``title``)."""
        label = span_text(self.text, name)
        if len(name) == 1:
            return Candidate(
                name[0][0], name[0][1], EntityKind.PERSON, f"{title} {label}", confidence, 3, surname=label
            )
        return Candidate(name[0][0], name[-1][1], EntityKind.PERSON, label, confidence, 3)

    def place(self, toks: list[tuple[int, int, str]], confidence: float) -> Candidate:
        """A city, or a place when the name is a country or region."""
        label = span_text(self.text, toks)
        kind = EntityKind.PLACE if normalise_name(label) in PLACES else EntityKind.CITY
        return Candidate(toks[0][0], toks[-1][1], kind, label, confidence, 2)


def trim(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop sentence-opening words ("The", "Subsequently") and trailing connectors."""
    i, j = 0, len(toks)
    while i < j and (toks[i][2].casefold() in LEADING_STOP or toks[i][2].casefold() in NOT_A_NAME):
        i += 1
    while j > i and toks[j - 1][2].casefold() in CONNECTORS:
        j -= 1
    return toks[i:j]


def name_tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` as (start, end, word)."""
    return [(m.start(), m.end(), m.group()) for m in NAME_TOKEN_RE.finditer(text, start, end)]


def span_text(text: str, toks: list[tuple[int, int, str]]) -> str:
    """The text from the first token to the last, spaces collapsed."""
    return " ".join(text[toks[0][0] : toks[-1][1]].split())


def has_head(toks: list[tuple[int, int, str]]) -> bool:
    """True when a token is a head word (the name names a body, an initiative, an event …)."""
    return any(w.casefold() in HEADS for _, _, w in toks)


def _all_place_like(toks: list[tuple[int, int, str]]) -> bool:
    return (
        len(toks) <= 2
        and all(namelike(w) for _, _, w in toks)
        and normalise_name(" ".join(w for _, _, w in toks)) in PLACES
    )


def namelike(word: str) -> bool:
    """True for a capitalised word that may be part of a person's or a place's own name."""
    low = word.casefold()
    return (
        len(word) >= 2
        and word[:1].isupper()
        and not word.isupper()
        and low not in HEADS
        and low not in TITLE_WORDS
        and low not in NOT_A_NAME
        and low not in LEADING_STOP
        and low not in PLACES
    )


def _classification(kind: EntityKind, low: list[str], head: int) -> str | None:
    if kind is not EntityKind.ORGANISATION:
        return None
    if set(low) & CITY_NETWORK_WORDS and low[head] in CITY_NETWORK_HEADS:
        return "city_network"
    for w in reversed(low):
        if w in ORG_CLASS:
            return ORG_CLASS[w]
    return None


#: The last words of a city's government's name: "X Municipality", "X City Council".
CITY_GOVERNMENTS = (
    ("municipality",),
    ("municipal", "corporation"),
    ("city", "council"),
    ("municipal", "council"),
    ("city", "government"),
    ("metropolitan", "government"),
)


def city_government(low: list[str]) -> int:
    """How many of the last words of ``low`` name a city's government (0: none)."""
    for words in CITY_GOVERNMENTS:
        if len(low) > len(words) and tuple(low[-len(words) :]) == words:
            return len(words)
    return 0


#: A city's government named before the city: "Municipality of Valparaíso", "County Government of Mombasa".
CITY_GOVERNMENT_PREFIXES = (
    ["city"],
    ["town"],
    ["municipality"],
    ["county", "government"],
    ["city", "council"],
    ["municipal", "council"],
    ["city", "government"],
    ["metropolitan", "municipality"],
)
