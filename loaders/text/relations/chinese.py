"""Chinese sentences: signing (签署) an agreement, where it was signed (在 …), and joining (加入)."""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph.model import EntityKind, RelationKind
from climatekg.loaders.text.patterns.zh import ZH_JOIN_RE, ZH_SIGN_RE
from climatekg.loaders.text.relations.sentence import ACT, Found, Sentence


def zh(sent: Sentence) -> Iterator[Found]:
    """Chinese: party_to an agreement signed (签署), signed_at where (在 …), member_of a group joined (加入)."""
    text, slots = sent.text, sent.slots
    sign = sent.search(ZH_SIGN_RE)
    if sign:
        agr = sent.idx((EntityKind.AGREEMENT,), sign.end(), sent.e)
        if agr:
            agreement = slots[agr[0]].of((EntityKind.AGREEMENT,))[0]
            for n in sent.idx(ACT, sent.s, sign.start()):
                if sent.locative(n):
                    continue
                for i in slots[n].of(ACT):
                    yield i, RelationKind.PARTY_TO, agreement, None, 0.7
            for n in sent.idx((EntityKind.EVENT, EntityKind.CITY, EntityKind.PLACE), sent.s, sign.start()):
                if text[max(sent.s, slots[n].start - 1) : slots[n].start] == "在":
                    yield agreement, RelationKind.SIGNED_AT, slots[n].ids[0], None, 0.65
    for m in sent.finditer(ZH_JOIN_RE):
        subj = sent.idx(ACT, sent.s, m.start(), owner=False)
        obj = sent.idx((EntityKind.INITIATIVE, EntityKind.ORGANISATION), m.end(), min(sent.e, m.end() + 4))
        if subj and obj:
            role = "first cohort" if "首批" in text[m.end() : sent.e] else None
            for i in slots[subj[0]].of(ACT):
                yield (
                    i,
                    RelationKind.MEMBER_OF,
                    slots[obj[0]].of((EntityKind.INITIATIVE, EntityKind.ORGANISATION))[0],
                    role,
                    0.65,
                )
