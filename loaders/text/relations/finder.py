"""Relations: the rules run sentence by sentence over the linked mentions, in a fixed order (a
person's employer found by ``works_for`` is no party to a signing in the same sentence)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

from climatekg.graph.model import RELATION_SIGNATURE, Relation, RelationKind, normalise_name
from climatekg.loaders.text.patterns.forms import TRANSLATION_RE
from climatekg.loaders.text.relations.agreements import builds_on, parties_between, signing
from climatekg.loaders.text.relations.appositions import (
    concerns_in_sentence,
    located_by_position,
    posts,
    runs_with,
    sentence_subject_demonstrates,
)
from climatekg.loaders.text.relations.chinese import zh
from climatekg.loaders.text.relations.document import document_relations
from climatekg.loaders.text.relations.events import launch, participation
from climatekg.loaders.text.relations.groups import led_by, membership, partners
from climatekg.loaders.text.relations.members import admitted_as, member_clauses, member_lists, member_since
from climatekg.loaders.text.relations.people import works_for
from climatekg.loaders.text.relations.places import held_in, located_by_apposition, located_in
from climatekg.loaders.text.relations.sentence import Found, Sentence, Slot
from climatekg.loaders.text.relations.tables import main_group
from climatekg.loaders.text.relations.technology import possessive_demonstrates, technology
from climatekg.loaders.text.state import ExtractionState

#: The rules, in the order they run on a sentence.
RULES: tuple[Callable[[Sentence], Iterator[Found]], ...] = (
    works_for,
    posts,
    signing,
    parties_between,
    held_in,
    located_in,
    located_by_apposition,
    located_by_position,
    participation,
    builds_on,
    launch,
    led_by,
    runs_with,
    membership,
    member_lists,
    admitted_as,
    member_clauses,
    member_since,
    technology,
    possessive_demonstrates,
    sentence_subject_demonstrates,
    concerns_in_sentence,
    partners,
    zh,
)


def find_relations(doc: ExtractionState) -> list[Relation]:
    """The relations the rules find in each sentence with two or more mentions.

    A relation must fit ``RELATION_SIGNATURE``; each (subject, kind, object, role) is kept once,
    with the evidence of the sentence that first states it, and a relation stated both with and
    without a role is kept with its role only.
    """
    spans: dict[tuple[int, int], list[str]] = {}
    coref_spans = set()
    for s, e, i in doc.mentions:
        spans.setdefault((s, e), []).append(i)
    for s, e, ids in doc.coref:
        spans.setdefault((s, e), []).extend(ids)
        coref_spans.add((s, e))
    text = _blank_translations(doc.text)
    ordered = [sp for sp in sorted(spans) if text[sp[0] : sp[1]].strip()]
    starts = [s for s, _ in ordered]
    found: dict[tuple[str, RelationKind, str, str], Relation] = {}
    main_group = _main_group(doc)
    for s, e in doc.sentences:
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        if hi - lo < (2 if main_group is None else 1):  # one mention may join the document's network
            continue
        slots = []
        for span in ordered[lo:hi]:
            ids = tuple(dict.fromkeys(spans[span]))
            slots.append(
                Slot(
                    span[0],
                    span[1],
                    ids,
                    tuple(doc.kinds[i] for i in ids),
                    doc.possessive(span[1]),
                    span in coref_spans,
                )
            )
        sentence = Sentence(text, s, e, slots)
        sentence.main_group = main_group
        for subj, kind, obj, role, confidence in _found(sentence):
            if subj == obj:
                continue
            subjects, objects = RELATION_SIGNATURE[kind]
            if doc.kinds[subj] not in subjects or doc.kinds[obj] not in objects:
                continue
            role = " ".join(role.split()) if role else None
            key = (subj, kind, obj, normalise_name(role) if role else "")
            if key in found:
                continue
            found[key] = Relation(subj, kind, obj, doc.evidence(s, confidence), role=role)
    for subj, kind, obj, role, confidence, pos in document_relations(doc):
        key = (subj, kind, obj, normalise_name(role) if role else "")
        subjects, objects = RELATION_SIGNATURE[kind]
        if key not in found and doc.kinds[subj] in subjects and doc.kinds[obj] in objects:
            found[key] = Relation(subj, kind, obj, doc.evidence(pos, confidence), role=role)
    # one role per (subject, kind, object): the surest reading ("City Manager", not "said the City Manager")
    best: dict[tuple[str, RelationKind, str], tuple[str, RelationKind, str, str]] = {}
    for k, r in found.items():
        if k[3]:
            top = best.get(k[:3])
            if top is None or r.provenance.confidence > found[top].provenance.confidence:
                best[k[:3]] = k
    return [r for k, r in found.items() if (best.get(k[:3]) == k if k[:3] in best else not k[3])]


def _found(sentence: Sentence) -> Iterator[Found]:
    for rule in RULES:
        yield from rule(sentence)


def _blank_translations(text: str) -> str:
    """``text`` with bracketed translations blanked (same length), so "X (绿湖基金会), a charity
    based in Y" reads as "X, a charity based in Y" to the rules."""
    return TRANSLATION_RE.sub(lambda m: " " * len(m.group()), text)


def _main_group(doc: ExtractionState) -> str | None:
    """The network the document is about (see ``tables.main_group``)."""
    return main_group(doc)
