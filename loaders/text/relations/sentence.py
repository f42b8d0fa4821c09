"""One sentence as the relation rules see it: its mentions in order (slots), each with the
entities it names, and where its clauses start and end."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from climatekg.graph.model import ACTOR_KINDS, EntityKind, RelationKind
from climatekg.loaders.text import scan
from climatekg.loaders.text.patterns.clauses import CLAUSE_START_RE, LIST_GAP_RE, RELATIVE_RE
from climatekg.loaders.text.words import after_locative, clause_start

#: What a rule finds: subject id, relation kind, object id, role, confidence.
Found = tuple[str, RelationKind, str, str | None, float]
ACT = tuple(ACTOR_KINDS)
ACT_PERSON = (*ACT, EntityKind.PERSON)


@dataclass
class Slot:
    """Entities mentioned at one span of a sentence (several for "the Parties")."""

    start: int
    end: int
    ids: tuple[str, ...]
    kinds: tuple[EntityKind, ...]
    possessive: bool
    coref: bool

    def of(self, kinds: Iterable[EntityKind]) -> list[str]:
        """The ids of the entities here of one of ``kinds``."""
        ks = set(kinds)
        return [i for i, k in zip(self.ids, self.kinds, strict=True) if k in ks]


class Sentence:
    """One sentence's mentions (slots), and where its clauses start and end."""

    def __init__(self, text: str, start: int, end: int, slots: list[Slot]) -> None:
        self.text, self.s, self.e, self.slots = text, start, end, slots
        self.employers: set[int] = set()  # slot indexes that are a person's employer
        self.main_group: str | None = None  # the network the document is about, if any

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The matches of ``pattern`` in the sentence (none at once when a word it needs is absent)."""
        return scan.finditer(pattern, self.text, self.s, self.e)

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern`` in the sentence, if any."""
        return scan.search(pattern, self.text, self.s, self.e)

    def idx(self, kinds: Iterable[EntityKind], lo: int, hi: int, *, owner: bool = True) -> list[int]:
        """Indexes of the slots in [lo, hi) with an entity of ``kinds`` (``owner=False``: no possessives)."""
        ks = tuple(kinds)
        return [
            n
            for n, sl in enumerate(self.slots)
            if lo <= sl.start < hi and sl.of(ks) and (owner or not sl.possessive)
        ]

    def clause(self, pos: int) -> int:
        """Where the clause containing ``pos`` starts."""
        return clause_start(self.text, self.s, pos)

    def clause_end(self, pos: int) -> int:
        """Where the clause containing ``pos`` ends."""
        m = CLAUSE_START_RE.search(self.text, pos, self.e)
        return m.start() if m else self.e

    def locative(self, n: int) -> bool:
        """True when the slot follows 'in'/'at'/'在': a place, not a party."""
        return after_locative(self.text, self.s, self.slots[n].start)

    def subjects(self, kinds: tuple[EntityKind, ...], cue: int) -> list[int]:
        """The actors a clause's verb at ``cue`` is said of: the list opening the clause, or
        the antecedent of a relative clause (", which operates …")."""
        clause = self.clause(cue)
        idx = [  # "a Bengaluru-based maker": the city describes, it is not the subject
            n
            for n in self.idx(kinds, clause, cue, owner=False)
            if self.text[self.slots[n].end : self.slots[n].end + 6] != "-based"
        ]
        if idx:
            return self.leading_subjects(idx)
        rel = RELATIVE_RE.search(self.text, max(self.s, clause - 12), clause)
        if rel:
            prev = [n for n, sl in enumerate(self.slots) if sl.end <= rel.start()]
            if (
                prev
                and not self.text[self.slots[prev[-1]].end : rel.start()].strip()
                and self.slots[prev[-1]].of(kinds)
            ):
                return prev[-1:]
        return []

    def leading_subjects(self, idx: list[int]) -> list[int]:
        """The subject of a clause: its first actors (``idx``, not empty), when they form a list at its start."""
        out = [idx[0]]
        for a, b in zip(idx, idx[1:], strict=False):
            if LIST_GAP_RE.fullmatch(self.text[self.slots[a].end : self.slots[b].start]):
                out.append(b)
            else:
                break
        return out
