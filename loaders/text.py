"""Candidate facts from press-release text: a deterministic, offline extractor.

``extract`` reads one document and proposes entities and relations marked ``extracted``, each
with the sentence that supports it (``locator="chars S-E"``, ``quote`` = that sentence). It knows
nothing beyond the text and a :class:`Gazetteer` of entities already in the graph:

1. names of known entities are found with a token trie (labels, aliases, other-language labels,
   technology plurals), case- and space-insensitively;
2. new names are found by patterns: capitalised runs with a head word ("… Foundation",
   "… Summit", "… Collaborative"), acronyms defined in brackets, "the 21st meeting of …",
   people after an honorific, a title or a speech verb, cities after cues ("delegation from",
   "City of", "… in Paris");
3. each candidate is linked to a known entity if any of its names is known, else to a new
   entity proposed once per document; later mentions, acronyms and co-references ("the
   Parties", "the initiative", "the MOU") link to it;
4. relations come from cue patterns within one sentence and must fit ``RELATION_SIGNATURE``.

Nothing here guesses beyond the words: when a reference is unsure it is left out.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from climatekg.graph.errors import LoadError
from climatekg.graph.model import (
    ACTOR_KINDS,
    RELATION_SIGNATURE,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    make_id,
    normalise_name,
    slugify,
)
from climatekg.loaders import text_patterns as P

LOADER = "text"
#: Capitalised runs longer than this are headlines, not names.
MAX_NAME_TOKENS = 24
#: Sentences longer than this are cut (at a space) so every pattern runs on bounded text.
MAX_SENTENCE = 1000

_CJK_RE = re.compile(f"[{P.CJK}]")
#: A token: one CJK character, or a run of letters and digits.
_TOKEN_RE = re.compile(rf"[{P.CJK}]|[^\W_{P.CJK}]+")
#: What may separate two tokens of one name ("Low-Carbon", "U.S.", "ICLEI – Local").
_NEXT_TOKEN_RE = re.compile(rf"[ \t\r\n\-‐‑–—'’.&/·・]{{0,4}}([{P.CJK}]|[^\W_{P.CJK}]+)")
_SQUASH_RE = re.compile(r"[\W_]+")
_KEEP, _CAPITAL, _EXACT = 0, 1, 2


class TextLoadError(LoadError):
    """A document that cannot be read as text (names the file and the reason)."""


# --- the gazetteer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity and every name it goes by."""

    id: str
    kind: EntityKind
    names: tuple[str, ...]
    classification: str | None = None


@dataclass(frozen=True)
class GazetteerMatch:
    """A span of text naming one or more entries (more than one id means ambiguous)."""

    start: int
    end: int
    entries: tuple[GazetteerEntry, ...]


def _plural_variants(name: str) -> list[str]:
    """'heat pump' → 'heat pumps'; 'battery' → 'batteries'; 'heat pumps' → 'heat pump'."""
    m = re.search(r"([^\W\d_]+)$", name)
    if not m or len(m.group(1)) < 3 or not m.group(1).islower():
        return []
    stem, word = name[: m.start()], m.group(1)
    if word.endswith("ies"):
        return [stem + word[:-3] + "y"]
    if word.endswith(("sses", "xes", "ches", "shes", "zes", "uses")):
        return [stem + word[:-2]]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [stem + word[:-1]]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [stem + word[:-1] + "ies"]
    if word.endswith(("s", "x", "ch", "sh", "z")):
        return [stem + word + "es"]
    return [stem + word + "s"]


def _singular(word: str) -> str:
    variants = _plural_variants(word) if word.endswith("s") else []
    return variants[0] if variants else word


def _is_acronym(name: str) -> bool:
    return bool(P.ACRONYM_RE.match(name)) and name.upper() == name and len(name) <= 8


class Gazetteer:
    """Entities already in the graph, looked up by name in a text in one linear pass.

    Names are split into tokens (a CJK character or a run of letters/digits) and stored in a
    trie, so a scan costs one dictionary probe per token of the text whatever the number of
    names. Matching ignores case, spacing and hyphens ("low-carbon" = "Low Carbon"), with two
    guards against common words: acronyms ("MOU", "EV") match only in capitals, and proper
    names (anything but a technology) only when the text spells them with a capital.

    Examples:
        >>> from climatekg.graph.model import Entity, EntityKind, Provenance
        >>> src = Provenance(source="demo", loader="curated")
        >>> gaz = Gazetteer.from_entities([
        ...     Entity("city/shenzhen", EntityKind.CITY, "Shenzhen", src, labels=(("zh", "深圳"),)),
        ...     Entity("tech/heat-pump", EntityKind.TECHNOLOGY, "Heat pump", src),
        ... ])
        >>> [(m.start, m.end, m.entries[0].id) for m in gaz.find_all("深圳 installs heat pumps.")]
        [(0, 2, 'city/shenzhen'), (12, 22, 'tech/heat-pump')]
        >>> [e.id for e in gaz.lookup("  SHENZHEN ")]
        ['city/shenzhen']
    """

    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self._entries: list[GazetteerEntry] = []
        self._index: dict[str, int] = {}
        self._by_name: dict[str, list[int]] = {}
        self._trie: dict = {}
        for entry in entries:
            self.add(entry)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> Gazetteer:
        """A gazetteer of ``entities`` (label, other-language labels and aliases of each)."""
        return cls(
            GazetteerEntry(
                e.id, e.kind, tuple(dict.fromkeys(n for n in e.names() if n.strip())), e.classification
            )
            for e in entities
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._index

    def get(self, entity_id: str) -> GazetteerEntry | None:
        """The entry with this id, if any."""
        i = self._index.get(entity_id)
        return None if i is None else self._entries[i]

    def add(self, entry: GazetteerEntry) -> None:
        """Add an entry; an id added again gains the new names."""
        if entry.id in self._index:
            i = self._index[entry.id]
            old = self._entries[i]
            new_names = tuple(n for n in entry.names if n not in old.names)
            self._entries[i] = GazetteerEntry(old.id, old.kind, old.names + new_names, old.classification)
        else:
            i = len(self._entries)
            self._index[entry.id] = i
            self._entries.append(entry)
            new_names = entry.names
        for name in new_names:
            variants = [name]
            if entry.kind is EntityKind.TECHNOLOGY:
                variants += _plural_variants(name)
            for variant in variants:
                self._insert(variant, i, entry.kind)

    def _insert(self, name: str, i: int, kind: EntityKind) -> None:
        tokens = [t.casefold() for t in _TOKEN_RE.findall(name)]
        if not tokens:
            return
        key = normalise_name(name)
        if i not in self._by_name.setdefault(key, []):
            self._by_name[key].append(i)
        if _is_acronym(name):
            rule = _EXACT
        elif kind is not EntityKind.TECHNOLOGY and name[:1].isupper():
            rule = _CAPITAL
        else:
            rule = _KEEP
        node = self._trie
        for t in tokens:
            node = node.setdefault(t, {})
        hits = node.setdefault("", [])
        hit = (i, rule, _SQUASH_RE.sub("", name))
        if hit not in hits:
            hits.append(hit)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries with exactly this name (case-, space- and Unicode-form-insensitive)."""
        return [self._entries[i] for i in self._by_name.get(normalise_name(name), [])]

    def find_all(self, text: str) -> list[GazetteerMatch]:
        """Leftmost-longest, non-overlapping matches of every name in ``text``."""
        out: list[GazetteerMatch] = []
        root, entries = self._trie, self._entries
        if not root:
            return out
        next_free = 0
        for m in _TOKEN_RE.finditer(text):
            start = m.start()
            if start < next_free:
                continue
            node = root.get(m.group().casefold())
            if node is None:
                continue
            end, best, best_end = m.end(), None, 0
            while True:
                hits = node.get("")
                if hits:
                    ok = [h[0] for h in hits if _accept(h[1], h[2], text, start, end)]
                    if ok:
                        best, best_end = ok, end
                nm = _NEXT_TOKEN_RE.match(text, end)
                if nm is None:
                    break
                child = node.get(nm.group(1).casefold())
                if child is None:
                    break
                node, end = child, nm.end()
            if best:
                chosen = tuple(entries[i] for i in dict.fromkeys(best))
                out.append(GazetteerMatch(start, best_end, chosen))
                next_free = best_end
        return out


def _accept(rule: int, squashed: str, text: str, start: int, end: int) -> bool:
    if rule == _KEEP:
        return True
    if rule == _CAPITAL:
        return not text[start].islower()
    return _SQUASH_RE.sub("", text[start:end]) == squashed


# --- reading documents -----------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "title",
        "dd",
        "dt",
        "dl",
        "figure",
        "figcaption",
        "main",
        "nav",
        "aside",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


class _HTMLText(HTMLParser):
    """Collects the visible text of an HTML page; blocks become paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document: no tags, scripts, styles or comments."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.parts)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", body))
    return "\n\n".join(p for p in paragraphs if p)


_MD_LINK_RE = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_MARK_RE = re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+)|\*\*|__|`")


def markdown_to_text(markup: str) -> str:
    """Markdown with links, emphasis and heading marks removed (the words stay)."""
    return _MD_MARK_RE.sub("", _MD_LINK_RE.sub(r"\1", markup))


_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MD_SUFFIXES = (".md", ".markdown")
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([A-Za-z0-9_\-]{2,30})""", re.IGNORECASE)


def read_document(path: str | Path) -> str:
    """The text of a .txt, .md or .html file (HTML: visible text only; Markdown: marks removed).

    Text is decoded as UTF-8; an HTML page that declares another charset is decoded with it. An
    empty file gives ``""``. A binary or undecodable file raises :class:`TextLoadError` naming it.

    Examples:
        >>> import pathlib, tempfile
        >>> page = pathlib.Path(tempfile.mkdtemp()) / "news.html"
        >>> _ = page.write_text("<p>Hi <b>Paris</b></p><script>var x = 'Oslo';</script>")
        >>> read_document(page)
        'Hi Paris'
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TextLoadError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise TextLoadError(str(path), "binary file, not text (found NUL bytes)")
    suffix = path.suffix.lower()
    is_html = suffix in _HTML_SUFFIXES or (
        suffix not in _MD_SUFFIXES and re.match(rb"\s*<(?:!doctype\s+html|html)", data[:512], re.IGNORECASE)
    )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _CHARSET_RE.search(data[:4096]) if is_html else None
        try:
            if declared is None:
                raise LookupError
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            line = data[: exc.start].count(b"\n") + 1
            raise TextLoadError(
                str(path), "not valid UTF-8 text (re-save it as UTF-8, or it is a binary file)", line=line
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_html:
        return html_to_text(text)
    if suffix in _MD_SUFFIXES:
        return markdown_to_text(text)
    return text


# --- what extract returns --------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A span of the text linked to an entity (``new``: proposed by this document)."""

    start: int
    end: int
    text: str
    entity: str
    new: bool
    kind: EntityKind


@dataclass
class Extraction:
    """The candidates one document yields: new entities, relations, and every linked span."""

    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def candidate_key(record: Entity | Relation) -> str:
    """A key that names a candidate across runs (kind, ids and role; never offsets).

    Examples:
        >>> from climatekg.graph.model import Provenance, Relation, RelationKind
        >>> prov = Provenance(source="a", loader="text", locator="chars 0-9")
        >>> candidate_key(Relation("person/x", RelationKind.WORKS_FOR, "city/y", prov, role="Mayor"))
        'relation|works_for|person/x|city/y|mayor'
    """
    if isinstance(record, Relation):
        role = normalise_name(record.role) if record.role else ""
        return f"relation|{record.kind.value}|{record.subject}|{record.object}|{role}"
    return f"entity|{record.kind.value}|{record.id}"


# --- the extractor ---------------------------------------------------------------------------


@dataclass
class _Candidate:
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


@dataclass
class _Slot:
    """Entities mentioned at one span of a sentence (several for "the Parties")."""

    start: int
    end: int
    ids: tuple[str, ...]
    kinds: tuple[EntityKind, ...]
    possessive: bool
    coref: bool

    def of(self, kinds: Iterable[EntityKind]) -> list[str]:
        ks = set(kinds)
        return [i for i, k in zip(self.ids, self.kinds, strict=True) if k in ks]


_ACT = tuple(ACTOR_KINDS)
_ACT_PERSON = (*_ACT, EntityKind.PERSON)
_CONNECTORS = frozenset(P.CONNECTORS)
_ORG_CLASS = {
    "foundation": "foundation",
    "trust": "foundation",
    "university": "research_institute",
    "institute": "research_institute",
    "institution": "research_institute",
    "laboratory": "research_institute",
    "laboratories": "research_institute",
    "lab": "research_institute",
    "labs": "research_institute",
    "academy": "research_institute",
    "college": "research_institute",
    "ministry": "government_body",
    "department": "government_body",
    "bureau": "government_body",
    "authority": "government_body",
    "agency": "government_body",
    "commission": "government_body",
    "government": "government_body",
    "municipality": "government_body",
    "administration": "government_body",
    "company": "company",
    "corporation": "company",
    "corp": "company",
    "inc": "company",
    "ltd": "company",
    "llc": "company",
    "gmbh": "company",
    "ag": "company",
    "plc": "company",
    "bv": "company",
    "group": "company",
    "utility": "company",
}
_CITY_NETWORK_WORDS = frozenset({"cities", "local", "mayors", "municipalities", "towns", "urban"})
_GENERIC_TITLE = {"mou": "Memorandum of Understanding", "memorandum": "Memorandum of Understanding"}


def extract(text: str, gazetteer: Gazetteer, *, source_id: str) -> Extraction:
    """Propose the entities and relations ``text`` states, linked to ``gazetteer`` where known.

    Every relation and new entity carries ``Provenance(status="extracted", loader="text",
    locator="chars S-E", quote=<the sentence>)`` with ``text[S:E] == quote``.

    Examples:
        >>> gaz = Gazetteer([GazetteerEntry("city/paris", EntityKind.CITY, ("Paris", "巴黎"))])
        >>> ex = extract(
        ...     "The Green Harbour Foundation and the City of Northbridge (the Parties) signed a "
        ...     "Memorandum of Understanding (MOU) at the Clean Cities Summit in Paris.",
        ...     gaz, source_id="demo")
        >>> sorted(e.label for e in ex.entities)  # doctest: +NORMALIZE_WHITESPACE
        ['Clean Cities Summit', 'Green Harbour Foundation',
         'Memorandum of Understanding between Green Harbour Foundation and Northbridge', 'Northbridge']
        >>> sorted((r.subject, r.kind.value, r.object) for r in ex.relations)  # doctest: +NORMALIZE_WHITESPACE
        [('agreement/memorandum-of-understanding-between-green-harbour-foundation-and-northbridge',
          'signed_at', 'event/clean-cities-summit'),
         ('city/northbridge', 'party_to',
          'agreement/memorandum-of-understanding-between-green-harbour-foundation-and-northbridge'),
         ('event/clean-cities-summit', 'held_in', 'city/paris'),
         ('org/green-harbour-foundation', 'party_to',
          'agreement/memorandum-of-understanding-between-green-harbour-foundation-and-northbridge')]
    """
    return _Document(text, gazetteer, source_id).run()


class _Document:
    """The state of one extraction; ``run`` goes through the stages in order."""

    def __init__(self, text: str, gazetteer: Gazetteer, source_id: str) -> None:
        self.text = text
        self.gaz = gazetteer
        self.source = source_id
        self.sentences = _split_sentences(text)
        self.starts = [s for s, _ in self.sentences]
        self.has_cjk = _CJK_RE.search(text) is not None
        self.new: dict[str, Entity] = {}  # new entities by id, in order of first mention
        self.kinds: dict[str, EntityKind] = {}
        self.classes: dict[str, str | None] = {}
        self.doc_names: dict[str, list[str]] = {}  # entity id → names to find again in this text
        self.first_seen: dict[str, int] = {}
        self.local: dict[str, str] = {}  # normalised name → id, for names proposed in this text
        self.surnames: dict[str, str] = {}
        self.mentions: list[tuple[int, int, str]] = []  # (start, end, id), sorted, non-overlapping
        self.coref: list[tuple[int, int, tuple[str, ...]]] = []
        self.tech_heads: dict[str, set[str]] = {}  # technology id → head words it was named by

    # -- stages --

    def run(self) -> Extraction:
        if not self.text.strip():
            return Extraction()
        runs = [(m.start(), m.end()) for m in P.NAME_RUN_RE.finditer(self.text)]
        candidates = self._find_candidates(runs)
        gaz_matches = self.gaz.find_all(self.text)
        candidates += self._branch_candidates(candidates, gaz_matches)
        spans: list[tuple[int, int, int, object]] = [(m.start, m.end, 10, m) for m in gaz_matches]
        winners = _select(
            spans + [(c.start, c.end, c.priority, c) for c in candidates],
            len(self.text),
        )
        linked = self._link(winners)
        doc_gaz = Gazetteer(
            GazetteerEntry(i, self.kinds[i], tuple(names)) for i, names in self.doc_names.items() if names
        )
        later: list[tuple[int, int, int, object]] = [
            (m.start, m.end, 1, m) for m in doc_gaz.find_all(self.text)
        ]
        final = _select([(s, e, 5, item) for s, e, item in linked] + later, len(self.text))
        agreements: list[_Candidate] = []
        for s, e, _, item in final:
            if isinstance(item, str):
                self.mentions.append((s, e, item))
            elif isinstance(item, _Candidate):
                agreements.append(item)
            else:
                assert isinstance(item, GazetteerMatch)
                chosen = self._choose(item, s)
                if chosen:
                    self.mentions.append((s, e, chosen))
        self.mentions.sort()
        if agreements:
            # generic agreements are named after their parties, so they come after every name
            resolved = [(c.start, c.end, self._resolve_agreement(c)) for c in agreements]
            self.mentions += [(s, e, i) for s, e, i in resolved if i]
            self.mentions.sort()
        self._resolve_coreference()
        relations = self._relations()
        return Extraction(list(self.new.values()), relations, self._mention_records())

    # -- candidates --

    def _find_candidates(self, runs: list[tuple[int, int]]) -> list[_Candidate]:
        text = self.text
        out: list[_Candidate] = []
        by_start = {s: e for s, e in runs}
        by_end = {e: s for s, e in runs}
        for s, e in runs:
            out += self._run_candidates(_tokens(text, s, e))
        out += self._acronym_candidates(by_end)
        out += self._event_candidates()
        out += self._person_candidates()
        out += self._place_candidates(runs, by_start)
        if self.has_cjk:
            out += self._zh_candidates()
        return out

    def _run_candidates(self, toks: list[tuple[int, int, str]]) -> list[_Candidate]:
        toks = _trim(toks)
        if len(toks) > MAX_NAME_TOKENS:  # a title-cased headline, not a name (known names are still found)
            return []
        out: list[_Candidate] = []
        part: list[tuple[int, int, str]] = []
        for t in toks:
            w = t[2]
            if w.endswith(("'s", "’s")) and len(w) > 2:
                part.append((t[0], t[1] - 2, w[:-2]))
                for chunk in self._split_run(part):
                    out += self._classify(chunk)
                part = []
            else:
                part.append(t)
        for chunk in self._split_run(part):
            out += self._classify(chunk)
        return out

    def _split_run(self, toks: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
        """Split a run at spaced dashes and at 'and' between two complete names."""
        while toks and toks[-1][2].casefold() in _CONNECTORS:
            toks = toks[:-1]
        if not toks:
            return []
        pieces: list[list[tuple[int, int, str]]] = [[toks[0]]]
        for prev, t in zip(toks, toks[1:], strict=False):
            gap = self.text[prev[1] : t[0]]
            dash = any(d in gap for d in "–—") or " - " in gap
            lone_acronym = len(pieces[-1]) == 1 and _is_acronym(pieces[-1][0][2])
            if dash and not lone_acronym:
                pieces.append([t])
            else:
                pieces[-1].append(t)
        chunks: list[list[tuple[int, int, str]]] = []
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
                if merged and merged[-1][-1][2].casefold() not in _CONNECTORS:
                    left, lh, rh = merged[-1], _has_head(merged[-1]), _has_head(p)
                    inner_of = any(w[2].casefold() in ("of", "for") for w in left)
                    if (not lh and rh and not _all_place_like(left)) or (lh and not rh and inner_of):
                        between = [x for x in piece if left[-1][1] <= x[0] < p[0][0]]
                        merged[-1] = left + between + p
                        continue
                merged.append(p)
            chunks += merged
        return [c for c in chunks if c]

    def _classify(self, sub: list[tuple[int, int, str]]) -> list[_Candidate]:
        text = self.text
        sub = _trim(sub)
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
            and all(w in P.TITLE_WORDS or w in P.TITLE_MODIFIERS for w in prefix)
            and any(w in P.TITLE_WORDS for w in prefix)
        ):
            if any(w in P.CITY_TITLES for w in prefix) and not _has_head(rest) and len(rest) <= 3:
                return [self._place(rest, 0.6)]
            return self._classify(rest)
        if (
            rest
            and prefix in (["city"], ["town"], ["municipality"])
            and not _has_head(rest)
            and len(rest) <= 4
        ):
            label = _span_text(text, rest)
            return [
                _Candidate(
                    sub[0][0], sub[-1][1], EntityKind.CITY, label, 0.8, 3, aliases=(_span_text(text, sub),)
                )
            ]
        head = next((i for i in range(c - 1, -1, -1) if low[i] in P.HEADS), None)
        if head is not None:
            kind = P.HEADS[low[head]]
            label = _span_text(text, sub)
            generic = (
                P.GENERIC_AGREEMENTS.get(normalise_name(label)) if kind is EntityKind.AGREEMENT else None
            )
            if len(sub) == 1 and generic is None:
                return []
            if generic is None and kind is EntityKind.AGREEMENT and low[head] == "agreement" and head == 0:
                return []
            aliases: tuple[str, ...] = ()
            if (
                kind in (EntityKind.ORGANISATION, EntityKind.INITIATIVE)
                and len(sub) >= 3
                and _is_acronym(sub[0][2])
            ):
                aliases = (sub[0][2],)
            end = sub[-1][1]
            if low[-1] in _LEGAL_SUFFIXES and len(sub) >= 2:
                aliases += (_span_text(text, sub[:-1]).rstrip(","),)
                if low[-1] in P.ABBREVIATIONS and text[end : end + 1] == ".":
                    end += 1
                    label += "."
            cls = _classification(kind, low, head)
            return [_Candidate(sub[0][0], end, kind, label, 0.8, 3, aliases, cls, generic=generic)]
        return self._title_person(sub, low)

    def _title_person(self, sub: list[tuple[int, int, str]], low: list[str]) -> list[_Candidate]:
        """'Port Alder Mayor Tomas Reyes', 'Mayor Helen Varga of Northbridge', 'Angie Fyfe, Director'."""
        text = self.text
        out: list[_Candidate] = []
        t = next((i for i, w in enumerate(low) if w in P.TITLE_WORDS and sub[i][2][:1].isupper()), None)
        if t is not None:
            j = t + 1
            while j < len(sub) and _namelike(sub[j][2]) and j - t <= 3:
                j += 1
            name = sub[t + 1 : j]
            if name and (j == len(sub) or low[j] in _CONNECTORS):
                out.append(self._person(name, sub[t][2], 0.75))
                left = sub[:t]
                while left and left[-1][2].casefold() in P.TITLE_MODIFIERS:
                    left = left[:-1]
                city_title = low[t] in P.CITY_TITLES
                if city_title and left and len(left) <= 3 and all(_namelike(w) for _, _, w in left):
                    out.append(self._place(left, 0.6))
                after = sub[j + 1 :]
                if (
                    city_title
                    and j < len(sub)
                    and low[j] == "of"
                    and 0 < len(after) <= 3
                    and not _has_head(after)
                ):
                    out.append(self._place(after, 0.6))
            return out
        if 2 <= len(sub) <= 3 and all(_namelike(w) for _, _, w in sub):
            following = text[sub[-1][1] : sub[-1][1] + 60]
            before = text[max(0, sub[0][0] - 40) : sub[0][0]]
            role = _ROLE_BEFORE_RE.search(before)
            if (
                _APPOSITIVE_TITLE_RE.match(following)
                or _SPEECH_AFTER_RE.match(following)
                or _SPEECH_BEFORE_RE.search(before)
                or (role and _is_title(role.group("role")))
            ):
                out.append(self._person(sub, None, 0.7))
        return out

    def _person(self, name: list[tuple[int, int, str]], title: str | None, confidence: float) -> _Candidate:
        label = _span_text(self.text, name)
        if len(name) == 1:
            return _Candidate(
                name[0][0], name[0][1], EntityKind.PERSON, f"{title} {label}", confidence, 3, surname=label
            )
        return _Candidate(name[0][0], name[-1][1], EntityKind.PERSON, label, confidence, 3)

    def _place(self, toks: list[tuple[int, int, str]], confidence: float) -> _Candidate:
        label = _span_text(self.text, toks)
        kind = EntityKind.PLACE if normalise_name(label) in P.PLACES else EntityKind.CITY
        return _Candidate(toks[0][0], toks[-1][1], kind, label, confidence, 2)

    def _acronym_candidates(self, by_end: dict[int, int]) -> list[_Candidate]:
        text = self.text
        out: list[_Candidate] = []
        for m in P.ACRONYM_DEF_RE.finditer(text):
            acr = m.group(1)
            if sum(ch.isupper() for ch in acr) < 2:
                continue
            end = m.start()
            while end > 0 and text[end - 1] in " \t":
                end -= 1
            start = by_end.get(end)
            if start is None:
                continue
            toks = _trim(_tokens(text, start, end))[-MAX_NAME_TOKENS:]
            for i in range(len(toks)):
                sub = toks[i:]
                if sub[0][2].casefold() in _CONNECTORS or not _acronym_fits(acr, [w for _, _, w in sub]):
                    continue
                found = [c for c in self._classify(sub) if c.start == sub[0][0] and c.end == sub[-1][1]]
                if found:
                    cand = found[0]
                    cand.aliases = (*cand.aliases, acr)
                    cand.priority, cand.confidence = 4, max(cand.confidence, 0.85)
                else:
                    generic = P.GENERIC_AGREEMENTS.get(acr.casefold())
                    kind = EntityKind.AGREEMENT if generic else EntityKind.ORGANISATION
                    cand = _Candidate(
                        sub[0][0],
                        sub[-1][1],
                        kind,
                        _span_text(text, sub),
                        0.6,
                        4,
                        (acr,),
                        None,
                        generic=generic,
                    )
                out.append(cand)
                break
        return out

    def _event_candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        for m in P.ORDINAL_EVENT_RE.finditer(self.text):
            ordinal = m.group("ord").casefold()
            number = int(re.sub(r"\D", "", ordinal)) if ordinal[0].isdigit() else P.ORDINAL_WORDS[ordinal]
            name_toks = _tokens(self.text, m.start("name"), m.end("name"))
            if not name_toks or not all(
                w[:1].isupper() or w.casefold() in _CONNECTORS for _, _, w in name_toks
            ):
                continue
            start = m.start("ord")
            alias = " ".join(self.text[start : m.end("name")].split())
            acr = m.group("acr")
            label = f"{acr}{number}" if acr and acr.isupper() else alias
            out.append(_Candidate(start, m.end("name"), EntityKind.EVENT, label, 0.85, 5, (alias,)))
        for m in P.NUMBERED_EVENT_RE.finditer(self.text):
            label = f"{m.group(1)}{int(m.group(2))}"
            out.append(_Candidate(m.start(), m.end(), EntityKind.EVENT, label, 0.85, 5, (m.group(),)))
        return out

    def _person_candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        for m in P.HONORIFIC_RE.finditer(self.text):
            name = _tokens(self.text, m.start(1), m.end(1))
            while name and not _namelike(name[-1][2]):
                name = name[:-1]
            if not name or not _namelike(name[0][2]):
                continue
            honorific = self.text[m.start() : m.start(1)].strip().rstrip(".") + "."
            if len(name) == 1:
                label = f"{honorific} {name[0][2]}"
                out.append(
                    _Candidate(m.start(), name[0][1], EntityKind.PERSON, label, 0.85, 4, surname=name[0][2])
                )
            else:
                out.append(
                    _Candidate(
                        m.start(), name[-1][1], EntityKind.PERSON, _span_text(self.text, name), 0.85, 4
                    )
                )
        return out

    def _place_candidates(self, runs: list[tuple[int, int]], by_start: dict[int, int]) -> list[_Candidate]:
        text = self.text
        out: list[_Candidate] = []

        def place_at(pos: int, confidence: float) -> _Candidate | None:
            end = by_start.get(pos)
            if end is None:
                return None
            toks = _tokens(text, pos, end)
            if _has_head(toks):
                return None
            cut = next((i for i, (_, _, w) in enumerate(toks) if w.casefold() in _CONNECTORS), len(toks))
            toks = toks[:cut]
            if not toks or len(toks) > 3 or not all(_namelike(w) or w.isupper() for _, _, w in toks):
                return None
            return self._place(toks, confidence)

        for cue_re, confidence in ((P.PLACE_CUE_RE, 0.6), (P.EVENT_IN_RE, 0.6)):
            for m in cue_re.finditer(text):
                cand = place_at(m.end(), confidence)
                if cand:
                    out.append(cand)
        for m in P.CITY_LIST_RE.finditer(text):
            pos = m.end()
            for _ in range(50):  # a list of at most 50 runs: "A, B, C and D"
                end = by_start.get(pos)
                if end is None:
                    break
                items: list[list[tuple[int, int, str]]] = [[]]
                for t in _tokens(text, pos, end):
                    if t[2].casefold() in ("and", "&"):
                        items.append([])
                    else:
                        items[-1].append(t)
                good = [
                    it
                    for it in items
                    if it and len(it) <= 3 and not _has_head(it) and all(_namelike(w) for _, _, w in it)
                ]
                out += [self._place(it, 0.65) for it in good]
                sep = _LIST_SEP_RE.match(text, end)
                if len(good) < len(items) or sep is None:
                    break
                pos = sep.end()
        for s, e in runs:
            label = " ".join(text[s:e].split())
            if normalise_name(label) in P.PLACES:
                out.append(_Candidate(s, e, EntityKind.PLACE, label, 0.7, 2))
                continue
            sep = _COMMA_RE.match(text, e)
            nxt = by_start.get(sep.end()) if sep else None
            if sep and nxt is not None and normalise_name(text[sep.end() : nxt]) in P.PLACES:
                cand = place_at(s, 0.6)
                if cand and cand.end == e and cand.kind is EntityKind.CITY:
                    out.append(cand)
        for m in _DATELINE_RE.finditer(text):
            label = m.group(1).title()
            if normalise_name(label) not in P.PLACES:
                out.append(_Candidate(m.start(1), m.end(1), EntityKind.CITY, label, 0.6, 2))
        return out

    def _zh_candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        for s, e in self.sentences:
            if not _CJK_RE.search(self.text, s, e):
                continue
            for m in P.ZH_NAME_RE.finditer(self.text, s, e):
                name = m.group()
                head = next(h for h in sorted(P.ZH_HEADS, key=len, reverse=True) if name.endswith(h))
                if len(name) <= len(head) + 1:
                    continue
                out.append(_Candidate(m.start(), m.end(), P.ZH_HEADS[head], name, 0.7, 3, zh=True))
            sign = P.ZH_SIGN_RE.search(self.text, s, e)
            if sign:
                for m in P.ZH_AGREEMENT_RE.finditer(self.text, sign.end(), e):
                    out.append(
                        _Candidate(
                            m.start(),
                            m.end(),
                            EntityKind.AGREEMENT,
                            m.group(),
                            0.7,
                            3,
                            generic=P.GENERIC_AGREEMENTS[m.group()],
                            zh=True,
                        )
                    )
                    break
        return out

    def _branch_candidates(self, candidates: list[_Candidate], gaz: list[GazetteerMatch]) -> list[_Candidate]:
        """'ICLEI USA', 'ICLEIUSA': a national branch of an organisation named in the text."""
        short = {
            a for c in candidates if c.kind is EntityKind.ORGANISATION for a in c.aliases if _is_acronym(a)
        }
        for m in gaz:
            for entry in m.entries:
                if entry.kind is EntityKind.ORGANISATION:
                    short.update(n for n in entry.names if _is_acronym(n))
        if not short:
            return []
        branch_re = re.compile(
            rf"(?<![\w])({'|'.join(map(re.escape, sorted(short, key=len, reverse=True)))})[ \t-]?"
            rf"({'|'.join(P.COUNTRY_SUFFIXES)})(?![\w])"
        )
        out = []
        for b in branch_re.finditer(self.text):
            label = f"{b.group(1)} {b.group(2)}"
            aliases = (b.group(),) if b.group() != label else ()
            out.append(_Candidate(b.start(), b.end(), EntityKind.ORGANISATION, label, 0.75, 4, aliases))
        return out

    # -- linking --

    def _link(self, winners: list[tuple[int, int, int, object]]) -> list[tuple[int, int, object]]:
        """Give each winning span an entity id: a known one if any of its names is known, else new.

        Generic agreements stay candidates (they are resolved once every party is linked).
        """
        linked: list[tuple[int, int, object]] = []
        deferred: list[tuple[int, int, int, _Candidate]] = []
        for s, e, _, item in winners:
            if isinstance(item, GazetteerMatch):
                ids = {x.id for x in item.entries}
                if len(ids) == 1:
                    entry = item.entries[0]
                    self._known(entry)
                    linked.append((s, e, entry.id))
                    if entry.kind is EntityKind.PERSON:
                        self.surnames.setdefault(entry.names[0].split()[-1].casefold(), entry.id)
                continue
            assert isinstance(item, _Candidate)
            if item.generic:
                linked.append((s, e, item))
                continue
            if item.surname:
                deferred.append((s, e, 0, item))
                continue
            entity_id = self._resolve(item)
            if entity_id:
                linked.append((s, e, entity_id))
                if item.kind is EntityKind.PERSON and self.kinds.get(entity_id) is EntityKind.PERSON:
                    self.surnames.setdefault(item.label.split()[-1].casefold(), entity_id)
        for s, e, _, cand in sorted(deferred, key=lambda d: d[0]):
            assert cand.surname is not None
            known = self.surnames.get(cand.surname.casefold())
            entity_id = known or self._resolve(cand)
            if known:
                self._add_names(known, [self.text[s:e]])
            if entity_id:
                linked.append((s, e, entity_id))
        for s, _, found in linked:
            if isinstance(found, str):
                self.first_seen[found] = min(self.first_seen.get(found, s), s)
        return linked

    def _known(self, entry: GazetteerEntry) -> None:
        self.kinds.setdefault(entry.id, entry.kind)
        self.classes.setdefault(entry.id, entry.classification)

    def _resolve(self, cand: _Candidate) -> str | None:
        names = [cand.label, *cand.aliases, self.text[cand.start : cand.end]]
        ids: dict[str, GazetteerEntry] = {}
        for name in names:
            for entry in self.gaz.lookup(name):
                ids[entry.id] = entry
        if len(ids) > 1:
            return None  # two known entities answer to this name: unsure, leave it out
        if ids:
            entry = next(iter(ids.values()))
            self._known(entry)
            self._add_names(entry.id, [n for n in names if not self.gaz.lookup(n)])
            return entry.id
        for name in names:
            local = self.local.get(normalise_name(name))
            if local:
                self._add_names(local, names)
                return local
        entity_id = make_id(cand.kind, cand.label)
        known = self.gaz.get(entity_id)
        if known is not None:
            self._known(known)
            return entity_id
        if entity_id not in self.new:
            if cand.kind is EntityKind.AGREEMENT and not cand.generic and cand.classification is None:
                cand.classification = "other"
            self.new[entity_id] = Entity(
                id=entity_id,
                kind=cand.kind,
                label=cand.label,
                provenance=self._evidence(cand.start, cand.confidence),
                labels=(("zh", cand.label),) if cand.zh else (),
                aliases=tuple(
                    a for a in dict.fromkeys(cand.aliases) if normalise_name(a) != normalise_name(cand.label)
                ),
                classification=cand.classification,
                date=self._date_near(cand.start) if cand.kind is EntityKind.AGREEMENT else None,
            )
            self.kinds[entity_id] = cand.kind
            self.classes[entity_id] = cand.classification
        self._add_names(entity_id, names)
        return entity_id

    def _add_names(self, entity_id: str, names: Iterable[str]) -> None:
        bucket = self.doc_names.setdefault(entity_id, [])
        for name in names:
            key = normalise_name(name)
            if not key or key in ("mr.", "ms."):
                continue
            self.local.setdefault(key, entity_id)
            if name not in bucket:
                bucket.append(name)

    def _resolve_agreement(self, cand: _Candidate) -> str | None:
        """A generic agreement ("an MOU") is named after its parties; its generic names stay local.

        A generic name opens a new agreement only where the sentence signs it ("signed an MOU");
        elsewhere it refers to the agreement last named so in this text.
        """
        surface = " ".join(self.text[cand.start : cand.end].split())
        local_names = [surface, *cand.aliases]
        if not self._signed_before(cand.start):
            local = self.local.get(normalise_name(surface))
            if local and self.kinds.get(local) is EntityKind.AGREEMENT:
                return local
        parties = self._parties_for(cand.start, cand.end)
        title = _GENERIC_TITLE.get(cand.generic or "", surface[:1].upper() + surface[1:])
        if not cand.zh and cand.generic != "mou":
            title = surface[:1].upper() + surface[1:]
        labels = [self._label_of(i) for i in parties]
        if len(labels) >= 2:
            label = f"{title} between {', '.join(labels[:-1])} and {labels[-1]}"
        elif labels:
            label = f"{title} of {labels[0]}"
        else:
            label = f"{title} ({self.source})"
        found = {e.id for e in self.gaz.lookup(label)}
        if len(found) == 1:
            entity_id = found.pop()
            self._known(self.gaz.get(entity_id))  # type: ignore[arg-type]
        else:
            entity_id = self.local.get(normalise_name(label)) or make_id(EntityKind.AGREEMENT, label)
            if entity_id not in self.new and entity_id not in self.gaz:
                self.new[entity_id] = Entity(
                    id=entity_id,
                    kind=EntityKind.AGREEMENT,
                    label=label,
                    provenance=self._evidence(cand.start, cand.confidence),
                    labels=(("zh", surface),) if cand.zh else (),
                    classification=cand.generic,
                    date=self._date_near(cand.start),
                )
                self.kinds[entity_id] = EntityKind.AGREEMENT
                self.classes[entity_id] = cand.generic
            elif entity_id in self.gaz:
                self._known(self.gaz.get(entity_id))  # type: ignore[arg-type]
            self.local.setdefault(normalise_name(label), entity_id)
        for name in local_names:
            self.local[normalise_name(name)] = entity_id  # the latest agreement owns the generic name
        self.first_seen.setdefault(entity_id, cand.start)
        return entity_id

    def _signed_before(self, pos: int) -> bool:
        s, _ = self.sentences[self._sentence_of(pos)]
        for m in P.SIGN_RE.finditer(self.text, max(s, pos - 100), pos):
            if not _ADJECTIVAL_RE.search(self.text, max(s, m.start() - 20), m.start()):
                return True
        return bool(P.ZH_SIGN_RE.search(self.text, s, pos))

    def _parties_for(self, start: int, end: int) -> list[str]:
        """Who signs the agreement named at [start, end): the actors before the signing verb,
        and those listed after "with"/"between"."""
        s, e = self.sentences[self._sentence_of(start)]
        actors = [(ms, me, i) for ms, me, i in self._mentions_in(s, e) if self.kinds.get(i) in ACTOR_KINDS]
        cue: re.Match[str] | None = None
        for m in P.SIGN_RE.finditer(self.text, s, start):
            cue = m
        cue = cue or P.ZH_SIGN_RE.search(self.text, s, start)
        parties: list[str] = []
        if cue:
            clause = self._clause_start(s, cue.start())
            parties = [
                i
                for ms, me, i in actors
                if clause <= ms < cue.start()
                and not self._possessive(me)
                and not _LOCATIVE_RE.search(self.text, max(s, ms - 8), ms)
            ]
        tail = _WITH_RE.match(self.text, _skip_brackets(self.text, end))
        if tail:
            parties += self._listed(tail.end(), [x for x in actors if x[0] >= tail.end()])
        return list(dict.fromkeys(parties))

    def _listed(self, pos: int, items: list[tuple[int, int, str]]) -> list[str]:
        """The ids of the items that follow ``pos`` as a list ("A, B and C")."""
        out: list[str] = []
        for ms, me, i in sorted(items):
            gap = self.text[pos:ms]
            if not _LIST_GAP_RE.fullmatch(gap):
                break
            out.append(i)
            pos = me
        return out

    def _label_of(self, entity_id: str) -> str:
        if entity_id in self.new:
            return self.new[entity_id].label
        entry = self.gaz.get(entity_id)
        return entry.names[0] if entry else entity_id

    def _choose(self, match: GazetteerMatch, pos: int) -> str | None:
        """Among doc-local entities sharing a name, the one defined last before ``pos``."""
        ids = [e.id for e in match.entries]
        if len(ids) == 1:
            return ids[0]
        before = [(self.first_seen.get(i, 1 << 62), i) for i in ids if self.first_seen.get(i, 1 << 62) <= pos]
        return max(before)[1] if before else min((self.first_seen.get(i, 1 << 62), i) for i in ids)[1]

    # -- co-reference --

    def _resolve_coreference(self) -> None:
        """'the Parties', 'the initiative', 'the MOU', 'the six cities' → what the text named before.

        A reference resolves to the only entity of its kind named so far, or else to the latest
        one if that was named in the same or the previous sentence; otherwise it is left out.
        """
        text = self.text
        claimed = bytearray(len(text))
        for s, e, _ in self.mentions:
            claimed[s:e] = b"\x01" * (e - s)
        for s, e, i in self.mentions:
            if self.kinds[i] is EntityKind.TECHNOLOGY:
                words = re.sub(r"[\W_]+", " ", text[s:e]).split()
                if words:
                    self.tech_heads.setdefault(i, set()).add(_singular(words[-1].casefold()))
        heads = set().union(*self.tech_heads.values()) if self.tech_heads else set()
        events: list[tuple[int, int, str, re.Match[str]]] = []
        for what, pattern in (
            ("def", P.PARTIES_DEF_RE),
            ("parties", P.PARTIES_REF_RE),
            ("noun", P.COREF_RE),
            ("plural", _PLURAL_RE),
        ):
            events += [(m.start(), m.end(), what, m) for m in pattern.finditer(text)]
        if heads:
            events += [
                (m.start(), m.end(), "tech", m)
                for m in _THE_NOUN_RE.finditer(text)
                if _singular(m.group(1).casefold()) in heads
            ]
        if not events:
            return
        events.sort(key=lambda x: x[0])
        mentions = self.mentions
        # kind → {entity id: sentence it was last named in}, the most recent last
        recent: dict[EntityKind, dict[str, int]] = {}

        def seen(entity_id: str, sentence: int) -> None:
            bucket = recent.setdefault(self.kinds[entity_id], {})
            bucket.pop(entity_id, None)
            bucket[entity_id] = sentence

        parties: tuple[str, ...] = ()
        party_def_end = -1
        mi = 0
        for s, e, what, m in events:
            while mi < len(mentions) and mentions[mi][0] < s:
                seen(mentions[mi][2], self._sentence_of(mentions[mi][0]))
                mi += 1
            if what == "def":
                sent_start = self.sentences[self._sentence_of(s)][0]
                ids = [i for _, _, i in self._mentions_in(sent_start, s) if self.kinds[i] in ACTOR_KINDS]
                if len(set(ids)) >= 2:
                    parties, party_def_end = tuple(dict.fromkeys(ids)), e
                continue
            if claimed.find(1, s, e) != -1:
                continue
            if what == "parties":
                if parties and s >= party_def_end:
                    self.coref.append((m.start(1), m.end(1), parties))
                continue
            if what == "plural":
                group = self._counted_group(m, s)
                if group:
                    self.coref.append((s, e, group))
                continue
            noun = m.group(1).casefold()
            if what == "tech":
                head = _singular(noun)
                kinds: tuple[EntityKind, ...] = (EntityKind.TECHNOLOGY,)
                fits = lambda i, head=head: head in self.tech_heads.get(i, ())  # noqa: E731
            else:
                kinds = self._coref_kinds(P.COREF_NOUNS[noun], noun)
                fits = lambda i, noun=noun: self._class_fits(noun, i)  # noqa: E731
            k = self._sentence_of(s)
            best, best_k, count = None, -1, 0
            for kind in kinds:
                found = 0
                for i, sk in reversed(recent.get(kind, {}).items()):
                    if fits(i):
                        found += 1
                        if found == 1 and sk > best_k:
                            best, best_k = i, sk
                        if found == 2:
                            break
                count += found
            if best is not None and (count == 1 or best_k >= k - 1):
                self.coref.append((m.start(), m.end(), (best,)))
                seen(best, k)

    def _mentions_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The mentions that start in [start, end) (``self.mentions`` is sorted)."""
        lo = bisect.bisect_left(self.mentions, (start,))
        hi = bisect.bisect_left(self.mentions, (end,), lo)
        return self.mentions[lo:hi]

    def _counted_group(self, m: re.Match[str], pos: int) -> tuple[str, ...]:
        """'the six cities' → the six cities one of the last three sentences named (else nothing)."""
        word = m.group(1).casefold()
        count = int(word) if word.isdigit() else _NUMBERS.get(word, 0)
        kinds = (EntityKind.CITY,) if m.group(2).casefold() != "members" else tuple(ACTOR_KINDS)
        k = self._sentence_of(pos)
        for back in range(k, max(-1, k - 4), -1):
            s, e = self.sentences[back]
            ids = list(
                dict.fromkeys(i for _, _, i in self._mentions_in(s, min(e, pos)) if self.kinds[i] in kinds)
            )
            if len(ids) == count:
                return tuple(ids)
        return ()

    @staticmethod
    def _coref_kinds(kind: EntityKind, noun: str) -> tuple[EntityKind, ...]:
        if noun in ("network", "alliance"):
            return (EntityKind.ORGANISATION, EntityKind.INITIATIVE)
        return (kind,)

    def _class_fits(self, noun: str, entity_id: str) -> bool:
        cls = self.classes.get(entity_id)
        if noun in ("network", "alliance"):
            return self.kinds[entity_id] is EntityKind.INITIATIVE or cls == "city_network"
        if noun == "foundation":
            return cls == "foundation"
        if noun == "company":
            return cls == "company"
        return True

    # -- relations --

    def _relations(self) -> list[Relation]:
        spans: dict[tuple[int, int], list[str]] = {}
        coref_spans = set()
        for s, e, i in self.mentions:
            spans.setdefault((s, e), []).append(i)
        for s, e, ids in self.coref:
            spans.setdefault((s, e), []).extend(ids)
            coref_spans.add((s, e))
        ordered = sorted(spans)
        starts = [s for s, _ in ordered]
        found: dict[tuple[str, RelationKind, str, str], Relation] = {}
        for s, e in self.sentences:
            lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
            if hi - lo < 2:
                continue
            slots = []
            for span in ordered[lo:hi]:
                ids = tuple(dict.fromkeys(spans[span]))
                slots.append(
                    _Slot(
                        span[0],
                        span[1],
                        ids,
                        tuple(self.kinds[i] for i in ids),
                        self._possessive(span[1]),
                        span in coref_spans,
                    )
                )
            sentence = _Sentence(self.text, s, e, slots)
            for subj, kind, obj, role, confidence in sentence.relations():
                if subj == obj:
                    continue
                subjects, objects = RELATION_SIGNATURE[kind]
                if self.kinds[subj] not in subjects or self.kinds[obj] not in objects:
                    continue
                role = " ".join(role.split()) if role else None
                key = (subj, kind, obj, normalise_name(role) if role else "")
                if key in found:
                    continue
                found[key] = Relation(subj, kind, obj, self._evidence(s, confidence), role=role)
        with_role = {(k[0], k[1], k[2]) for k in found if k[3]}
        return [r for k, r in found.items() if k[3] or (k[0], k[1], k[2]) not in with_role]

    # -- helpers --

    def _sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def _clause_start(self, sentence_start: int, pos: int) -> int:
        start = sentence_start
        for m in _CLAUSE_START_RE.finditer(self.text, sentence_start, pos):
            start = m.end()
        return start

    def _possessive(self, end: int) -> bool:
        nxt = self.text[end : end + 2]
        return nxt in ("'s", "’s") or (nxt[:1] in ("'", "’") and self.text[end - 1 : end] == "s")

    def _evidence(self, pos: int, confidence: float) -> Provenance:
        s, e = self.sentences[self._sentence_of(pos)]
        return Provenance(
            source=self.source,
            loader=LOADER,
            locator=f"chars {s}-{e}",
            quote=self.text[s:e],
            confidence=round(confidence, 2),
            status="extracted",
        )

    def _date_near(self, pos: int) -> str | None:
        s, e = self.sentences[self._sentence_of(pos)]
        m = P.DATE_RE.search(self.text, s, e)
        if not m:
            return None
        day, month, year = (
            (m.group("d1"), m.group("m1"), m.group("y1"))
            if m.group("d1")
            else (
                m.group("d2"),
                m.group("m2"),
                m.group("y2"),
            )
        )
        number = P.MONTHS.get(month.casefold())
        if number is None or not 1 <= int(day) <= 31:
            return None
        return f"{year}-{number:02d}-{int(day):02d}"

    def _mention_records(self) -> list[Mention]:
        out = [Mention(s, e, self.text[s:e], i, i in self.new, self.kinds[i]) for s, e, i in self.mentions]
        out += [
            Mention(s, e, self.text[s:e], i, i in self.new, self.kinds[i])
            for s, e, ids in self.coref
            for i in ids
        ]
        out.sort(key=lambda m: (m.start, m.end, m.entity))
        return out


class _Sentence:
    """The relation patterns, run on one sentence's mentions."""

    def __init__(self, text: str, start: int, end: int, slots: list[_Slot]) -> None:
        self.text, self.s, self.e, self.slots = text, start, end, slots
        self.employers: set[int] = set()  # slot indexes that are a person's employer

    def relations(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        yield from self.works_for()
        yield from self.signing()
        yield from self.held_in()
        yield from self.located_in()
        yield from self.participation()
        yield from self.builds_on()
        yield from self.launch()
        yield from self.led_by()
        yield from self.membership()
        yield from self.technology()
        yield from self.partners()
        yield from self.zh()

    # slot helpers
    def _idx(self, kinds: Iterable[EntityKind], lo: int, hi: int, *, owner: bool = True) -> list[int]:
        ks = tuple(kinds)
        return [
            n
            for n, sl in enumerate(self.slots)
            if lo <= sl.start < hi and sl.of(ks) and (owner or not sl.possessive)
        ]

    def _clause(self, pos: int) -> int:
        start = self.s
        for m in _CLAUSE_START_RE.finditer(self.text, self.s, pos):
            start = m.end()
        return start

    def _clause_end(self, pos: int) -> int:
        m = _CLAUSE_START_RE.search(self.text, pos, self.e)
        return m.start() if m else self.e

    def _locative(self, n: int) -> bool:
        """True when the slot follows 'in'/'at'/'在': a place, not a party."""
        return bool(_LOCATIVE_RE.search(self.text, max(self.s, self.slots[n].start - 8), self.slots[n].start))

    def _subjects(self, kinds: tuple[EntityKind, ...], cue: int) -> list[int]:
        """The actors a clause's verb at ``cue`` is said of: the list opening the clause, or
        the antecedent of a relative clause (", which operates …")."""
        clause = self._clause(cue)
        idx = self._idx(kinds, clause, cue, owner=False)
        if idx:
            return self._leading_subjects(idx, clause)
        rel = _RELATIVE_RE.search(self.text, max(self.s, clause - 12), clause)
        if rel:
            prev = [n for n, sl in enumerate(self.slots) if sl.end <= rel.start()]
            if (
                prev
                and not self.text[self.slots[prev[-1]].end : rel.start()].strip()
                and self.slots[prev[-1]].of(kinds)
            ):
                return prev[-1:]
        return []

    # patterns
    def works_for(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots = self.text, self.slots
        for n, sl in enumerate(slots):
            if EntityKind.PERSON not in sl.kinds or sl.coref:
                continue
            person = sl.of((EntityKind.PERSON,))[0]
            after = _APPOSITIVE_RE.match(text, sl.end, self.e)
            if after:
                nxt = [j for j in range(n + 1, len(slots)) if slots[j].start - sl.end <= 160]
                emp = next((j for j in nxt if slots[j].of(_ACT)), None)
                blocked = any(slots[j].of((EntityKind.PERSON,)) for j in nxt if emp is not None and j < emp)
                if emp is not None and not blocked:
                    role_text = text[after.end() : slots[emp].start]
                    poss_role = ""
                    if not _ROLE_GAP_BAD_RE.search(role_text):
                        role = _TRAILING_PREP_RE.sub("", role_text).strip(" ,")
                        if role == "" and slots[emp].possessive:
                            tail = _ROLE_AFTER_POSS_RE.match(text, slots[emp].end, self.e)
                            poss_role = tail.group(1) if tail else ""
                            role = poss_role
                        if _is_title(role):
                            self.employers.add(emp)
                            for org in slots[emp].of(_ACT):
                                yield person, RelationKind.WORKS_FOR, org, role, 0.8
                            continue
            before = _ROLE_BEFORE_RE.search(text, max(self.s, sl.start - 80), sl.start)
            if before and _is_title(before.group("role")):
                role = before.group("role")
                emp = None
                prev = [j for j in range(n) if slots[j].end <= before.start("role")]
                if (
                    prev
                    and _ADJACENT_RE.fullmatch(text, slots[prev[-1]].end, before.start("role"))
                    and slots[prev[-1]].of(_ACT)
                ):
                    emp = prev[-1]
                if emp is None:
                    of = _OF_RE.match(text, sl.end, self.e)
                    if of:
                        emp = next(
                            (
                                j
                                for j in range(n + 1, len(slots))
                                if slots[j].start == of.end() and slots[j].of(_ACT)
                            ),
                            None,
                        )
                confidence = 0.75
                if emp is None:
                    for d in _DELEGATION_RE.finditer(text, self.s, sl.start):
                        cands = [j for j in range(n) if slots[j].start == d.end() and slots[j].of(_ACT)]
                        if cands and _INCLUDING_RE.search(text, slots[cands[0]].end, sl.start):
                            emp, confidence = cands[0], 0.6
                if emp is not None:
                    if confidence > 0.6:  # a delegation's city also took part itself
                        self.employers.add(emp)
                    for org in slots[emp].of(_ACT):
                        yield person, RelationKind.WORKS_FOR, org, role, confidence
                    continue
            # "the Executive Director of CRCN, Dana Whitlock"
            prev_slots = [j for j in range(n) if slots[j].end <= sl.start]
            if prev_slots:
                j = prev_slots[-1]
                if slots[j].of(_ACT) and _COMMA_ONLY_RE.fullmatch(text, slots[j].end, sl.start):
                    pre = _ROLE_OF_RE.search(text, max(self.s, slots[j].start - 80), slots[j].start)
                    if pre and _is_title(pre.group("role")):
                        self.employers.add(j)
                        for org in slots[j].of(_ACT):
                            yield person, RelationKind.WORKS_FOR, org, pre.group("role"), 0.75

    def signing(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots = self.text, self.slots
        for m in P.PASSIVE_SIGN_RE.finditer(text, self.s, self.e):
            agr = [n for n in self._idx((EntityKind.AGREEMENT,), self.s, m.start())]
            if not agr:
                continue
            agreement = slots[agr[-1]].of((EntityKind.AGREEMENT,))[0]
            for n in self._idx(_ACT_PERSON, m.end(), self._clause_end(m.end()), owner=False):
                for i in slots[n].of(_ACT_PERSON):
                    yield i, RelationKind.PARTY_TO, agreement, None, 0.75
        for m in P.SIGN_RE.finditer(text, self.s, self.e):
            if P.PASSIVE_SIGN_RE.search(text, max(self.s, m.start() - 20), min(self.e, m.end() + 5)):
                continue
            if _ADJECTIVAL_RE.search(text, max(self.s, m.start() - 20), m.start()):
                continue
            agr = [n for n in self._idx((EntityKind.AGREEMENT,), m.end(), min(self.e, m.end() + 120))]
            if not agr:
                continue
            a = agr[0]
            agreement = slots[a].of((EntityKind.AGREEMENT,))[0]
            clause = self._clause(m.start())
            for n in self._idx(_ACT, clause, m.start(), owner=False):
                if n in self.employers or self._locative(n):
                    continue
                for i in slots[n].of(_ACT):
                    yield i, RelationKind.PARTY_TO, agreement, None, 0.85
            pos = _skip_brackets(text, slots[a].end)
            tail = _WITH_RE.match(text, pos, self.e)
            if tail:
                pos = tail.end()
                for n in range(a + 1, len(slots)):
                    if not _LIST_GAP_RE.fullmatch(text[pos : slots[n].start]) or not slots[n].of(_ACT):
                        break
                    for i in slots[n].of(_ACT):
                        yield i, RelationKind.PARTY_TO, agreement, None, 0.8
                    pos = slots[n].end
            end = self._clause_end(slots[a].end)
            place = None
            for n in range(a + 1, len(slots)):
                if slots[n].start >= end:
                    break
                gap_before = text[max(self.s, slots[n].start - 40) : slots[n].start]
                if slots[n].of((EntityKind.EVENT,)) and _AT_END_RE.search(gap_before):
                    yield agreement, RelationKind.SIGNED_AT, slots[n].of((EntityKind.EVENT,))[0], None, 0.8
                    place = None
                    break
                if (
                    place is None
                    and slots[n].of((EntityKind.CITY, EntityKind.PLACE))
                    and _IN_END_RE.search(gap_before)
                ):
                    place = slots[n].of((EntityKind.CITY, EntityKind.PLACE))[0]
            if place:
                yield agreement, RelationKind.SIGNED_AT, place, None, 0.7

    def held_in(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        for n, sl in enumerate(self.slots[:-1]):
            events = sl.of((EntityKind.EVENT,))
            nxt = self.slots[n + 1]
            places = nxt.of((EntityKind.CITY, EntityKind.PLACE))
            if events and places and P.HELD_IN_GAP_RE.match(self.text[sl.end : nxt.start]):
                yield events[0], RelationKind.HELD_IN, places[0], None, 0.8

    def located_in(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text = self.text
        for n, sl in enumerate(self.slots[:-1]):
            nxt = self.slots[n + 1]
            gap = text[sl.end : nxt.start]
            if sl.coref or nxt.coref:
                continue
            if sl.of((EntityKind.CITY,)) and nxt.of((EntityKind.PLACE,)) and _APPOSITIVE_IN_RE.fullmatch(gap):
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
                and _COMMA_ONLY_RE.fullmatch(gap)
                and not _LIST_AFTER_RE.match(text, nxt.end, self.e)
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
                and P.LOCATED_RE.match(gap)
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
                and _BASED_RE.fullmatch(gap)
            ):
                yield (
                    nxt.of((EntityKind.ORGANISATION,))[0],
                    RelationKind.LOCATED_IN,
                    sl.of((EntityKind.CITY, EntityKind.PLACE))[0],
                    None,
                    0.7,
                )

    def participation(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots = self.text, self.slots
        for m in P.PARTICIPATE_RE.finditer(text, self.s, self.e):
            clause = self._clause(m.start())
            events = self._idx((EntityKind.EVENT,), m.end(), self._clause_end(m.end()))
            if events and _LAUNCH_BETWEEN_RE.search(text, m.end(), slots[events[0]].start):
                events = []
            if not events and _WHERE_RE.match(text, max(self.s, clause - 12), clause):
                events = self._idx((EntityKind.EVENT,), self.s, clause)[-1:]
            if not events:
                continue
            event = slots[events[0]].of((EntityKind.EVENT,))[0]
            for n in self._idx(_ACT_PERSON, clause, m.start(), owner=False):
                if n in self.employers:
                    continue
                for i in slots[n].of(_ACT_PERSON):
                    yield i, RelationKind.PARTICIPATED_IN, event, None, 0.7

    def builds_on(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        for m in P.BUILDS_ON_RE.finditer(self.text, self.s, self.e):
            subj = self._idx((EntityKind.AGREEMENT, EntityKind.INITIATIVE), self.s, m.start(), owner=False)
            obj = self._idx((EntityKind.EVENT, EntityKind.AGREEMENT), m.end(), self.e)
            if subj and obj:
                s_id = self.slots[subj[-1]].of((EntityKind.AGREEMENT, EntityKind.INITIATIVE))[0]
                for o in self.slots[obj[0]].of((EntityKind.EVENT, EntityKind.AGREEMENT)):
                    yield s_id, RelationKind.BUILDS_ON, o, None, 0.75

    def launch(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        slots, kinds = self.slots, (EntityKind.INITIATIVE, EntityKind.AGREEMENT)
        for m in P.LAUNCH_OF_RE.finditer(self.text, self.s, self.e):
            things = self._idx(kinds, m.end(), min(self.e, m.end() + 160), owner=False)
            if not things:
                continue
            after = self._idx((EntityKind.EVENT,), slots[things[0]].end, self.e)
            before = self._idx((EntityKind.EVENT,), self.s, m.start())
            event = after[0] if after else (before[-1] if before else None)
            if event is not None:
                yield (
                    slots[things[0]].of(kinds)[0],
                    RelationKind.LAUNCHED_AT,
                    slots[event].of((EntityKind.EVENT,))[0],
                    None,
                    0.75,
                )
        for m in P.LAUNCHED_RE.finditer(self.text, self.s, self.e):
            clause = self._clause(m.start())
            subj = self._idx(kinds, clause, m.start(), owner=False)
            passive = _PASSIVE_END_RE.search(self.text, max(self.s, m.start() - 12), m.start())
            if not (subj and passive):
                subj = self._idx(kinds, m.end(), min(self.e, m.end() + 120), owner=False)[:1]
            if not subj:
                continue
            events = [
                n
                for n in self._idx((EntityKind.EVENT,), m.end(), self._clause_end(m.end()))
                if _AT_END_RE.search(self.text, max(self.s, slots[n].start - 40), slots[n].start)
            ]
            if events:
                yield (
                    slots[subj[-1]].of(kinds)[0],
                    RelationKind.LAUNCHED_AT,
                    slots[events[0]].of((EntityKind.EVENT,))[0],
                    None,
                    0.8,
                )

    def led_by(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots = self.text, self.slots
        for n, sl in enumerate(slots):
            if not (sl.possessive and sl.of(_ACT)):
                continue
            for j in range(n + 1, len(slots)):
                if (
                    slots[j].start - sl.end > 90
                    or slots[j].of(_ACT)
                    and not slots[j].of((EntityKind.INITIATIVE,))
                ):
                    break
                if slots[j].of((EntityKind.INITIATIVE,)):
                    between = text[sl.end : slots[j].start]
                    if P.INITIATIVE_NOUNS_RE.search(between) and not re.search(r"[.;]", between):
                        for leader in sl.of(_ACT):
                            yield (
                                slots[j].of((EntityKind.INITIATIVE,))[0],
                                RelationKind.LED_BY,
                                leader,
                                None,
                                0.75,
                            )
                    break
        for m in P.LED_BY_RE.finditer(text, self.s, self.e):
            subj = self._idx((EntityKind.INITIATIVE,), self.s, m.start())
            obj = self._idx(_ACT, m.end(), min(self.e, m.end() + 80), owner=True)
            if subj and obj and _LIST_GAP_RE.fullmatch(text[m.end() : slots[obj[0]].start]):
                init = slots[subj[-1]].of((EntityKind.INITIATIVE,))[0]
                if text[slots[subj[-1]].end : m.start()].count(",") > 1:
                    continue
                for leader in slots[obj[0]].of(_ACT):
                    yield init, RelationKind.LED_BY, leader, None, 0.75

    def membership(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots = self.text, self.slots
        groups = (EntityKind.INITIATIVE, EntityKind.ORGANISATION)
        joined = False
        for m in P.JOIN_RE.finditer(text, self.s, self.e):
            obj = self._idx(groups, m.end(), min(self.e, m.end() + 80))
            if not obj:
                continue
            role_m = P.COHORT_ROLE_RE.search(text, slots[obj[0]].end, self.e)
            role = _role(role_m.group("role")) if role_m else None
            group = slots[obj[0]].of(groups)[0]
            for n in self._subjects(_ACT, m.start()):
                for i in slots[n].of(_ACT):
                    joined = True
                    yield i, RelationKind.MEMBER_OF, group, role, 0.75
        for m in P.WELCOME_RE.finditer(text, self.s, self.e):
            clause = self._clause(m.start())
            hosts = self._idx(groups, clause, m.start(), owner=False)
            if not hosts:
                continue
            group = slots[hosts[0]].of(groups)[0]
            role_m = P.COHORT_ROLE_RE.search(text, m.end(), self.e)
            role = _role(role_m.group("role")) if role_m else None
            pos = m.end()
            for n in range(len(slots)):
                if slots[n].start < pos:
                    continue
                if not _LIST_GAP_RE.fullmatch(text[pos : slots[n].start]) and not _LIST_INTRO_RE.fullmatch(
                    text[pos : slots[n].start]
                ):
                    break
                for i in slots[n].of(_ACT):
                    yield i, RelationKind.MEMBER_OF, group, role, 0.75
                pos = slots[n].end
        if joined:
            return
        for m in P.COHORT_OF_RE.finditer(text, self.s, self.e):
            obj = [n for n in self._idx(groups, m.end(), min(self.e, m.end() + 40))]
            if not obj:
                continue
            group = slots[obj[0]].of(groups)[0]
            rest = [
                n
                for n in self._idx(_ACT, slots[obj[0]].end, self.e, owner=False)
                if group not in slots[n].ids
            ]
            if rest:
                for i in slots[rest[0]].of(_ACT):
                    yield i, RelationKind.MEMBER_OF, group, _role(m.group("role")), 0.7

    def _leading_subjects(self, idx: list[int], clause: int) -> list[int]:
        """The subject of a clause: its first actors, when they form a list at its start."""
        if not idx:
            return []
        out = [idx[0]]
        for a, b in zip(idx, idx[1:], strict=False):
            if _LIST_GAP_RE.fullmatch(self.text[self.slots[a].end : self.slots[b].start]):
                out.append(b)
            else:
                break
        return out

    def technology(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots, tech = self.text, self.slots, (EntityKind.TECHNOLOGY,)
        for m in P.DEMONSTRATE_RE.finditer(text, self.s, self.e):
            techs = self._idx(tech, m.end(), self._clause_end(m.end()))
            for n in self._subjects(_ACT, m.start()):
                for t in techs:
                    for a in slots[n].of(_ACT):
                        yield a, RelationKind.DEMONSTRATES, slots[t].of(tech)[0], None, 0.7
        for m in P.PROVIDED_BY_RE.finditer(text, self.s, self.e):
            clause = self._clause(m.start())
            techs = self._idx(tech, clause, m.start())
            orgs = self._idx((EntityKind.ORGANISATION,), m.end(), min(self.e, m.end() + 80))
            if orgs and _LIST_GAP_RE.fullmatch(text[m.end() : slots[orgs[0]].start]):
                for t in techs:
                    for o in slots[orgs[0]].of((EntityKind.ORGANISATION,)):
                        yield o, RelationKind.PROVIDES, slots[t].of(tech)[0], None, 0.75
        for m in P.PROVIDE_RE.finditer(text, self.s, self.e):
            if P.PROVIDED_BY_RE.match(text, m.start()):
                continue
            end = self._clause_end(m.end())
            for n in self._subjects((EntityKind.ORGANISATION,), m.start()):
                for t in self._idx(tech, m.end(), end):
                    for o in slots[n].of((EntityKind.ORGANISATION,)):
                        yield o, RelationKind.PROVIDES, slots[t].of(tech)[0], None, 0.7
        kinds = (EntityKind.AGREEMENT, EntityKind.INITIATIVE)
        for m in P.CONCERNS_RE.finditer(text, self.s, self.e):
            clause, end = self._clause(m.start()), self._clause_end(m.end())
            subj = (
                self._idx(kinds, clause, m.start(), owner=False)[-1:]
                or self._idx(kinds, m.end(), min(end, m.end() + 60), owner=False)[:1]
            )
            if not subj:
                continue
            for t in self._idx(tech, max(m.end(), slots[subj[0]].end), end):
                for s_id in slots[subj[0]].of(kinds):
                    yield s_id, RelationKind.CONCERNS, slots[t].of(tech)[0], None, 0.7

    def partners(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        for m in P.PARTNER_RE.finditer(self.text, self.s, self.e):
            subj = self._subjects(_ACT, m.start())
            pos, objs = m.end(), []
            for n in range(len(self.slots)):
                if self.slots[n].start < pos:
                    continue
                if not _LIST_GAP_RE.fullmatch(self.text[pos : self.slots[n].start]) or not self.slots[n].of(
                    _ACT
                ):
                    break
                objs.append(n)
                pos = self.slots[n].end
            for a in subj:
                for b in objs:
                    for x in self.slots[a].of(_ACT):
                        for y in self.slots[b].of(_ACT):
                            yield x, RelationKind.PARTNER_OF, y, None, 0.7

    def zh(self) -> Iterator[tuple[str, RelationKind, str, str | None, float]]:
        text, slots = self.text, self.slots
        sign = P.ZH_SIGN_RE.search(text, self.s, self.e)
        if sign:
            agr = self._idx((EntityKind.AGREEMENT,), sign.end(), self.e)
            if agr:
                agreement = slots[agr[0]].of((EntityKind.AGREEMENT,))[0]
                for n in self._idx(_ACT, self.s, sign.start()):
                    if self._locative(n):
                        continue
                    for i in slots[n].of(_ACT):
                        yield i, RelationKind.PARTY_TO, agreement, None, 0.7
                for n in self._idx(
                    (EntityKind.EVENT, EntityKind.CITY, EntityKind.PLACE), self.s, sign.start()
                ):
                    if text[max(self.s, slots[n].start - 1) : slots[n].start] == "在":
                        yield agreement, RelationKind.SIGNED_AT, slots[n].ids[0], None, 0.65
        for m in P.ZH_JOIN_RE.finditer(text, self.s, self.e):
            subj = self._idx(_ACT, self.s, m.start(), owner=False)
            obj = self._idx(
                (EntityKind.INITIATIVE, EntityKind.ORGANISATION), m.end(), min(self.e, m.end() + 4)
            )
            if subj and obj:
                role = "first cohort" if "首批" in text[m.end() : self.e] else None
                for i in slots[subj[0]].of(_ACT):
                    yield (
                        i,
                        RelationKind.MEMBER_OF,
                        slots[obj[0]].of((EntityKind.INITIATIVE, EntityKind.ORGANISATION))[0],
                        role,
                        0.65,
                    )


# --- small patterns used above ---------------------------------------------------------------

_TITLE_ALT = "|".join(sorted(P.TITLE_WORDS | P.TITLE_MODIFIERS, key=len, reverse=True))
_APPOSITIVE_TITLE_RE = re.compile(
    rf"[ \t]*,[ \t]*(?:the[ \t]+|a[ \t]+|an[ \t]+)?(?:{_TITLE_ALT})\b", re.IGNORECASE
)
_APPOSITIVE_RE = re.compile(r"[ \t]*,[ \t]*(?:the[ \t]+|a[ \t]+|an[ \t]+|who[ \t]+is[ \t]+(?:the[ \t]+)?)?")
_SPEECH_VERBS = "said|says|stated|states|explained|added|noted|commented|remarked|according[ \t]+to|announced"
_SPEECH_AFTER_RE = re.compile(rf"[ \t]*,?[ \t]+(?:{_SPEECH_VERBS})\b")
_SPEECH_BEFORE_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})[ \t]+$")
_ROLE_BEFORE_RE = re.compile(
    rf"(?P<role>(?:\b(?:{_TITLE_ALT})[ \t-]+){{1,5}})(?:(?:{'|'.join(P.HONORIFICS)})\.?[ \t]+)?$",
    re.IGNORECASE,
)
_ROLE_OF_RE = re.compile(
    rf"(?P<role>\b(?:(?:{_TITLE_ALT})[ \t]+){{0,4}}(?:{_TITLE_ALT}))[ \t]+(?:of|at)[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
_ROLE_GAP_BAD_RE = re.compile(r"[.;!?\"“”]|\b(?:said|says|who|which)\b")
_ROLE_AFTER_POSS_RE = re.compile(rf"['’]s[ \t]+((?:(?:{_TITLE_ALT})[ \t]*)+)", re.IGNORECASE)
_TRAILING_PREP_RE = re.compile(
    r"[ \t,]+(?:at|of|with|for|from|in)(?:[ \t]+the)?[ \t]*$|[ \t]+the[ \t]*$", re.IGNORECASE
)
_ADJACENT_RE = re.compile(r"(?:['’]s)?[ \t]+")
_OF_RE = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?")
_DELEGATION_RE = re.compile(r"\bdelegations?[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
_INCLUDING_RE = re.compile(r"\b(?:including|led[ \t]+by|headed[ \t]+by|comprising|with)\b", re.IGNORECASE)
_COMMA_ONLY_RE = re.compile(r"[ \t]*,[ \t]*")
_COMMA_RE = re.compile(r",[ \t]+")
_LIST_GAP_RE = re.compile(
    r"[ \t]*(?:,[ \t]*(?:and[ \t]+|&[ \t]*)?|and[ \t]+|&[ \t]*|)(?:the[ \t]+)?(?:city[ \t]+of[ \t]+)?",
    re.IGNORECASE,
)
_LIST_INTRO_RE = re.compile(
    r"[^.;]{0,40}?(?::|,|\bincluding|\bnamely|\bare|\bwere|\binclude)[ \t]*(?:the[ \t]+)?", re.IGNORECASE
)
_LIST_SEP_RE = re.compile(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*)(?=[A-Z])")
_LIST_AFTER_RE = re.compile(r"[ \t]*,[ \t]*[A-Z]")
_WITH_RE = re.compile(r"[ \t]*,?[ \t]*(?:with|between)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)
_AT_END_RE = re.compile(
    r"\b(?:at|during|on[ \t]+the[ \t]+sidelines[ \t]+of)[ \t]+(?:the[ \t]+)?(?:\w+[ \t]+)?$", re.IGNORECASE
)
_IN_END_RE = re.compile(r"\bin[ \t]+(?:the[ \t]+city[ \t]+of[ \t]+)?$", re.IGNORECASE)
_ADJECTIVAL_RE = re.compile(
    r"\b(?:newly|recently|previously|already|jointly|the|a|an|its|their)[ \t]+$", re.IGNORECASE
)
_LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|at|from)[ \t]+(?:the[ \t]+)?(?:city[ \t]+of[ \t]+)?|在)$", re.IGNORECASE
)
_RELATIVE_RE = re.compile(r",[ \t]*(?:which|who)$")
_APPOSITIVE_IN_RE = re.compile(r"[ \t]*,[ \t]*(?:a|an|the)[ \t]+[^,.;()]{0,40}?\bin[ \t]+(?:the[ \t]+)?")
_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"], start=2
    )
}
_PLURAL_RE = re.compile(
    r"\b(?:[Tt]he|[Tt]hese|[Aa]ll|[Tt]hose)[ \t]+(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
    r"[ \t]+(?:new[ \t]+)?(cities|municipalities|members)\b"
)
_THE_NOUN_RE = re.compile(r"\b[Tt]he[ \t]+([a-z][a-z-]{2,30})\b(?![ \t]+(?:of|for)\b)")
_LEGAL_SUFFIXES = frozenset({"ltd", "inc", "llc", "gmbh", "ag", "plc", "bv", "sa", "corp", "co", "limited"})
_PASSIVE_END_RE = re.compile(r"\b(?:was|were|is|are|been|be)[ \t]+(?:\w+[ \t]+)?$")
_WHERE_RE = re.compile(r".*\b(?:where|when|during[ \t]+which|at[ \t]+which)\b", re.IGNORECASE)
_LAUNCH_BETWEEN_RE = re.compile(r"\blaunch\b", re.IGNORECASE)
_BASED_RE = re.compile(r"-based[ \t]+(?:the[ \t]+)?")
_CLAUSE_START_RE = re.compile(
    r",[ \t]*(?:where|when|which|who|while|whereas|and[ \t]+that)\b|;|[ \t]+where\b|[ \t]+that\b|:[ \t]|[“”\"]"
)
_DATELINE_RE = re.compile(
    rf"(?m)^[ \t]*([{P.UPPER}][{P.UPPER} .\-]{{2,30}}[{P.UPPER}]),[ \t]+(?=\d{{1,2}}[ \t]+[A-Z][a-z]|[A-Z][a-z]+\.?[ \t]+\d)"
)


def _trim(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop sentence-opening words ("The", "Subsequently") and trailing connectors."""
    i, j = 0, len(toks)
    while i < j and (toks[i][2].casefold() in P.LEADING_STOP or toks[i][2].casefold() in P.NOT_A_NAME):
        i += 1
    while j > i and toks[j - 1][2].casefold() in _CONNECTORS:
        j -= 1
    return toks[i:j]


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in P.NAME_TOKEN_RE.finditer(text, start, end)]


def _span_text(text: str, toks: list[tuple[int, int, str]]) -> str:
    return " ".join(text[toks[0][0] : toks[-1][1]].split())


def _has_head(toks: list[tuple[int, int, str]]) -> bool:
    return any(w.casefold() in P.HEADS for _, _, w in toks)


def _all_place_like(toks: list[tuple[int, int, str]]) -> bool:
    return (
        len(toks) <= 2
        and all(_namelike(w) for _, _, w in toks)
        and normalise_name(" ".join(w for _, _, w in toks)) in P.PLACES
    )


def _namelike(word: str) -> bool:
    low = word.casefold()
    return (
        len(word) >= 2
        and word[:1].isupper()
        and not word.isupper()
        and low not in P.HEADS
        and low not in P.TITLE_WORDS
        and low not in P.NOT_A_NAME
        and low not in P.LEADING_STOP
        and low not in P.PLACES
    )


def _is_title(role: str) -> bool:
    words = re.findall(r"[\w-]+", role.casefold())
    return 0 < len(words) <= 14 and any(w in P.TITLE_WORDS for w in words)


def _role(text: str) -> str:
    words = text.casefold().split()
    if words and words[-1] in ("members", "partners", "signatories", "cities"):
        words[-1] = {
            "members": "member",
            "partners": "partner",
            "signatories": "signatory",
            "cities": "city",
        }[words[-1]]
    return " ".join(words)


def _classification(kind: EntityKind, low: list[str], head: int) -> str | None:
    if kind is not EntityKind.ORGANISATION:
        return None
    if set(low) & _CITY_NETWORK_WORDS and low[head] in (
        "network",
        "alliance",
        "governments",
        "association",
        "council",
        "league",
        "coalition",
        "group",
        "federation",
        "union",
    ):
        return "city_network"
    for w in reversed(low):
        if w in _ORG_CLASS:
            return _ORG_CLASS[w]
    return None


def _acronym_fits(acr: str, words: list[str]) -> bool:
    letters = [c for c in acr.casefold() if c.isalnum()]
    parts = [p for w in words for p in re.split(r"[-‐'’.]", w) if p]
    if not letters or not parts or parts[0][0].casefold() != letters[0]:
        return False
    joined = " ".join(parts).casefold()
    pos = 0
    for ch in letters:
        pos = joined.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    initials = sum(1 for p in parts if p[0].isupper())
    return initials <= len(letters) + 2


def _skip_brackets(text: str, pos: int) -> int:
    m = re.compile(r"[ \t]*\([^()]{0,60}\)").match(text, pos)
    return m.end() if m else pos


def _select(items: list[tuple[int, int, int, object]], size: int) -> list[tuple[int, int, int, object]]:
    """Longest spans first (then higher priority, then leftmost); no two kept spans overlap."""
    claimed = bytearray(size)
    kept = []
    for item in sorted(items, key=lambda x: (x[0] - x[1], -x[2], x[0])):
        s, e = item[0], item[1]
        if e <= s or claimed.find(1, s, e) != -1:
            continue
        claimed[s:e] = b"\x01" * (e - s)
        kept.append(item)
    kept.sort(key=lambda x: x[0])
    return kept


_BOUNDARY_RE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)|[。！？]+[”’」』)）]*|\n")
_WORD_BEFORE_RE = re.compile(r"([^\s(\"“']+)$")


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (whitespace trimmed); 'Mr.', 'U.S.' and initials do not end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        end = m.end()
        g = m.group()
        nxt = text[end : end + 40].lstrip()[:1]
        if g == "\n":
            if nxt.islower():
                continue
        elif g[0] == "." and len(g.rstrip("\"”’')]")) == 1:
            word = _WORD_BEFORE_RE.search(text, max(0, m.start() - 20), m.start())
            w = word.group(1).casefold() if word else ""
            if w in P.ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or nxt.islower() or nxt.isdigit():
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > MAX_SENTENCE:
            cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
            cut = cut if cut > s else s + MAX_SENTENCE
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out or [(0, len(text))]


# --- loading and review memory ---------------------------------------------------------------


REVIEWED = "text-review:"  # digest prefix of a source whose candidates a person accepted


def text_source(path: Path) -> Source:
    """The source a document's facts live in: one named graph per document, candidates or reviewed."""
    return Source(id=f"text-{slugify(path.stem)}", title=path.name, loader=LOADER, path=str(path))


class Rejections:
    """Candidate keys a person rejected, kept beside the store so later runs do not propose them."""

    def __init__(self, home: Path):
        self.path = Path(home) / "rejected-candidates.json"

    def keys(self) -> set[str]:
        try:
            return set(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return set()
        except (OSError, ValueError) as exc:
            raise LoadError(str(self.path), f"unreadable review memory ({exc})") from None

    def add(self, keys: Iterable[str]) -> None:
        merged = sorted(self.keys() | set(keys))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)  # atomic: a crash never leaves half a file


def without(extraction: Extraction, rejected: set[str]) -> Extraction:
    """``extraction`` minus rejected candidates, and minus relations to a rejected new entity."""
    entities = [e for e in extraction.entities if candidate_key(e) not in rejected]
    dropped = {e.id for e in extraction.entities} - {e.id for e in entities}
    relations = [
        r
        for r in extraction.relations
        if candidate_key(r) not in rejected and r.subject not in dropped and r.object not in dropped
    ]
    mentions = [m for m in extraction.mentions if m.entity not in dropped]
    return Extraction(entities, relations, mentions)


def extract_file(path: Path, store: Any, rejections: Rejections | None = None) -> tuple[Source, Extraction]:
    """Read ``path`` and extract its candidates against ``store``'s entities, minus rejected ones."""
    from climatekg.loaders.common import check_file

    check_file(path)
    source = text_source(path)
    text = read_document(path)
    # entities this document proposed earlier are candidates again, not known names: a reload
    # replaces them, so linking to them would leave relations pointing at nothing
    known = (e for e in store.entities() if e.provenance.source != source.id)
    extraction = extract(text, Gazetteer.from_entities(known), source_id=source.id)
    return source, without(extraction, rejections.keys() if rejections else set())


def load_text(path: Path, store: Any = None) -> Batch:
    """The text loader: a document's candidates as facts with status ``extracted``, to review later."""
    from climatekg.loaders.common import check_batch, file_digest, known_kinds

    home = getattr(store, "home", None)
    source = text_source(path)
    stored = {info.id: info.digest for info in store.sources()} if store is not None else {}
    if stored.get(source.id, "").startswith(REVIEWED):
        raise LoadError(
            str(path),
            f"source {source.id} holds reviewed facts (climatekg extract --accept); loading the "
            "document again would replace them with unreviewed candidates",
        )
    source, extraction = extract_file(path, store, Rejections(home) if home else None)
    if not extraction.entities and not extraction.relations:
        raise LoadError(str(path), "no candidate facts in the document (none found, or all rejected)")
    keys = sorted(map(candidate_key, [*extraction.entities, *extraction.relations]))
    digest = file_digest(path, LOADER, hashlib.sha256("\n".join(keys).encode()).hexdigest())
    batch = Batch(source, extraction.entities, extraction.relations, digest=digest)
    return check_batch(batch, path, known_kinds(store))
