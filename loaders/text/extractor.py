"""Candidate facts from press-release text: a deterministic, offline extractor.

``extract`` reads one document and proposes entities and relations marked ``extracted``, each
with the sentence that supports it (``locator="chars S-E"``, ``quote`` = that sentence). It knows
nothing beyond the text and a :class:`Gazetteer` of entities already in the graph:

1. names of known entities are found with a token trie (labels, aliases, other-language labels,
   technology plurals), case- and space-insensitively (``gazetteer``);
2. new names are found by patterns (``mentions``, ``candidates``): capitalised runs with a head
   word ("… Foundation", "… Summit", "… Collaborative"), acronyms defined in brackets, "the 21st
   meeting of …", people after an honorific, a title or a speech verb, cities after cues
   ("delegation from", "City of", "… in Paris");
3. each candidate is linked to a known entity if any of its names is known, else to a new
   entity proposed once per document (``linking``); later mentions, acronyms and co-references
   ("the Parties", "the initiative", "the MOU") link to it (``coreference``);
4. relations come from cue patterns within one sentence and must fit ``RELATION_SIGNATURE``
   (``relations``).

Nothing here guesses beyond the words: when a reference is unsure it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from climatekg.graph.model import Entity, EntityKind, Relation
from climatekg.loaders.text import scan
from climatekg.loaders.text.candidates import Candidate
from climatekg.loaders.text.coreference import resolve_coreference
from climatekg.loaders.text.gazetteer import Gazetteer, GazetteerEntry, GazetteerMatch
from climatekg.loaders.text.linking import choose, link, resolve_agreement
from climatekg.loaders.text.mentions import branch_candidates, find_candidates
from climatekg.loaders.text.patterns.forms import (
    INITIATIVE_OF_RE,
    LEGAL_FORM_OF_RE,
    OF_THE_RE,
    OPEN_BRACKET_RE,
    TRAILING_POSTS,
)
from climatekg.loaders.text.patterns.names import HEADS, ORG_CLASS
from climatekg.loaders.text.patterns.tables import layout_candidates, place_named_alone_before
from climatekg.loaders.text.relations import find_relations
from climatekg.loaders.text.state import ExtractionState
from climatekg.loaders.text.technologies import technology_candidates, technology_matches
from climatekg.loaders.text.typed_agreements import typed_agreement_candidates
from climatekg.loaders.text.world import world_candidates


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
    try:
        return _run(ExtractionState(text, gazetteer, source_id))
    finally:
        scan.forget()  # what the scan learnt about the text serves this extraction only


def _run(doc: ExtractionState) -> Extraction:
    """The stages in order: find names, link them, resolve references, find relations."""
    if not doc.text.strip():
        return Extraction()
    candidates = find_candidates(doc.text, doc.sentences)
    gaz_matches = doc.gaz.find_all(doc.text)
    variants = technology_matches(doc.text, doc.gaz)
    candidates += branch_candidates(doc.text, candidates, gaz_matches)
    _read_what_follows(doc.text, candidates)
    short = {a.casefold() for c in candidates for a in c.aliases if c.kind is EntityKind.ORGANISATION}
    candidates += [c for c in world_candidates(doc.text) if c.label.casefold() not in short]
    candidates += technology_candidates(doc.text) + typed_agreement_candidates(doc.text)
    candidates += layout_candidates(doc.text)
    spans: list[tuple[int, int, int, object]] = [(m.start, m.end, 10, m) for m in gaz_matches]
    spans += [(m.start, m.end, 9, m) for m in variants]
    winners = _select(
        spans + [(c.start, c.end, c.priority, c) for c in candidates],
        len(doc.text),
    )
    _bracketed_chinese_aliases(doc.text, winners)
    linked = link(doc, winners)
    doc_gaz = Gazetteer(
        GazetteerEntry(i, doc.kinds[i], tuple(names)) for i, names in doc.doc_names.items() if names
    )
    later: list[tuple[int, int, int, object]] = [(m.start, m.end, 1, m) for m in doc_gaz.find_all(doc.text)]
    final = _select([(s, e, 5, item) for s, e, item in linked] + later, len(doc.text))
    agreements: list[Candidate] = []
    for s, e, _, item in final:
        if isinstance(item, str):
            doc.mentions.append((s, e, item))
        elif isinstance(item, Candidate):
            agreements.append(item)
        else:
            assert isinstance(item, GazetteerMatch)
            chosen = choose(doc, item, s)
            if chosen:
                doc.mentions.append((s, e, chosen))
    doc.mentions.sort()
    if agreements:
        # generic agreements are named after their parties, so they come after every name
        resolved = [(c.start, c.end, resolve_agreement(doc, c)) for c in agreements]
        doc.mentions += [(s, e, i) for s, e, i in resolved if i]
        doc.mentions.sort()
    resolve_coreference(doc)
    relations = find_relations(doc)
    return Extraction(list(doc.new.values()), relations, _mention_records(doc))


def _mention_records(doc: ExtractionState) -> list[Mention]:
    """Every linked span, named or referred to, in text order."""
    out = [Mention(s, e, doc.text[s:e], i, i in doc.new, doc.kinds[i]) for s, e, i in doc.mentions]
    out += [
        Mention(s, e, doc.text[s:e], i, i in doc.new, doc.kinds[i]) for s, e, ids in doc.coref for i in ids
    ]
    out.sort(key=lambda m: (m.start, m.end, m.entity))
    return out


def _read_what_follows(text: str, candidates: list[Candidate]) -> None:
    """ "X Alliance, an initiative of Z": an Initiative; "X Council Chair": the body without the post."""
    extra: list[Candidate] = []
    for c in candidates:
        if c.kind is not EntityKind.ORGANISATION and c.kind is not EntityKind.INITIATIVE:
            continue
        words = c.label.split()
        if (
            len(words) > 2
            and words[-1].casefold() in TRAILING_POSTS
            and text[c.start : c.end].endswith(words[-1])
        ):
            c.end = c.start + len(text[c.start : c.end][: -len(words[-1])].rstrip())
            c.label = " ".join(words[:-1])
            c.aliases = tuple(a for a in c.aliases if a.casefold() != " ".join(words).casefold())
        legal = LEGAL_FORM_OF_RE.search(text, c.start, c.end)
        if legal and c.kind is EntityKind.ORGANISATION:
            c.end, c.label = legal.end(), " ".join(text[c.start : legal.end()].split())
            c.classification, words = "company", c.label.split()
            c.aliases = tuple(a for a in c.aliases if a in c.label)
        split = OF_THE_RE.search(text, c.start, c.end)
        if split and split.end() < c.end and text[c.end - 1 : c.end].isalpha():
            # "Mejillones and the Atacama Hydrogen Council", "Cool Cities Programme of the Flemish
            # Energy Agency": the name that ends the run is the body; a left part with its own head
            # word is a second name
            left = text[c.start : split.start()]
            if left.split()[-1].casefold() in HEADS:
                extra.append(
                    Candidate(
                        c.start, split.start(), HEADS[left.split()[-1].casefold()], left, c.confidence, 3
                    )
                )
            c.start, c.label = split.end(), " ".join(text[split.end() : c.end].split())
            c.aliases, words = (), c.label.split()
            c.kind = HEADS.get(words[-1].casefold(), c.kind)
            c.classification = (
                ORG_CLASS.get(words[-1].casefold()) if c.kind is EntityKind.ORGANISATION else None
            )
        if c.kind is EntityKind.ORGANISATION and INITIATIVE_OF_RE.match(text, c.end):
            c.kind, c.classification = EntityKind.INITIATIVE, None
        if (
            c.classification == "company"
            and len(words) >= 3
            and len(words[0]) >= 5
            and words[0].isalpha()
            and not place_named_alone_before(text, words, c.start)  # not "Xiamen" for "Xiamen Bus Group"
        ):
            c.aliases = (*c.aliases, words[0])  # "Meridian" for "Meridian Grid Group", later in the text
    candidates.extend(extra)


def _bracketed_chinese_aliases(text: str, winners: list[tuple[int, int, int, object]]) -> None:
    """ "Green Lake Foundation (绿湖基金会, …)": the Chinese name in brackets names the same entity."""
    for (_, a_end, _, a), (b_start, _, _, b) in zip(winners, winners[1:], strict=False):
        if (
            isinstance(a, Candidate)
            and isinstance(b, Candidate)
            and b.zh
            and not a.zh
            and a.kind is b.kind
            and OPEN_BRACKET_RE.fullmatch(text, a_end, b_start)
        ):
            b.aliases = (*b.aliases, b.label)
            b.label, b.zh, b.classification = a.label, False, a.classification


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
