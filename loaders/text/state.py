"""The state of one extraction, shared by its stages: the text and its sentences, the entities
proposed so far, every linked mention, and the positions helpers the stages measure with."""

from __future__ import annotations

import bisect

from climatekg.graph.model import Entity, EntityKind, Provenance
from climatekg.loaders.text.documents import split_sentences
from climatekg.loaders.text.gazetteer import Gazetteer

#: The loader named in the provenance of every extracted fact.
LOADER = "text"


class ExtractionState:
    """One document being read: what the stages found so far, and where it was said."""

    def __init__(self, text: str, gazetteer: Gazetteer, source_id: str) -> None:
        self.text = text
        self.gaz = gazetteer
        self.source = source_id
        self.sentences = split_sentences(text)
        self.starts = [s for s, _ in self.sentences]
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

    def sentence_of(self, pos: int) -> int:
        """The index of the sentence ``pos`` falls in."""
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def possessive(self, end: int) -> bool:
        """True when the mention ending at ``end`` is a possessive ("Acme's", "the cities'")."""
        nxt = self.text[end : end + 2]
        return nxt in ("'s", "’s") or (nxt[:1] in ("'", "’") and self.text[end - 1 : end] == "s")

    def evidence(self, pos: int, confidence: float) -> Provenance:
        """Provenance citing the sentence at ``pos`` (its span as locator, its text as quote)."""
        s, e = self.sentences[self.sentence_of(pos)]
        return Provenance(
            source=self.source,
            loader=LOADER,
            locator=f"chars {s}-{e}",
            quote=self.text[s:e],
            confidence=round(confidence, 2),
            status="extracted",
        )

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The mentions that start in [start, end) (``self.mentions`` is sorted)."""
        lo = bisect.bisect_left(self.mentions, (start,))
        hi = bisect.bisect_left(self.mentions, (end,), lo)
        return self.mentions[lo:hi]
