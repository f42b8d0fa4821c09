"""An actor's context on the projection, which the partnership-gap questions compare.

*Context.* An actor's context is what it is directly tied to (other actors — cities,
organisations, initiatives — and technologies) plus the co-parties of every agreement it is
party to. Two actors are *tied* when either is in the other's context; an item's degree is the
size of its own context (for a technology: the actors tied to it).
"""

from __future__ import annotations

from climatekg.graph.model import ACTOR_KINDS, EntityKind, RelationKind
from climatekg.graph.projection import RELATIONS, Projection, kind_code

ACTORS = frozenset(kind_code(k) for k in ACTOR_KINDS)
CITY = kind_code(EntityKind.CITY)
ORGANISATION = kind_code(EntityKind.ORGANISATION)
TECHNOLOGY = kind_code(EntityKind.TECHNOLOGY)
AGREEMENT = kind_code(EntityKind.AGREEMENT)
DIRECT = -1  # a "via" meaning a direct relation (other vias are agreement ints)


def _bit(kind: RelationKind) -> int:
    return 1 << RELATIONS.index(kind)


PARTY_TO, MEMBER_OF = _bit(RelationKind.PARTY_TO), _bit(RelationKind.MEMBER_OF)
DEMONSTRATES, CONCERNS, PROVIDES = (
    _bit(RelationKind.DEMONSTRATES),
    _bit(RelationKind.CONCERNS),
    _bit(RelationKind.PROVIDES),
)


class Context:
    """Each entity's context (item int → how: ``DIRECT`` or agreement ints), computed once."""

    def __init__(self, proj: Projection):
        self.proj = proj
        self._cache: dict[int, dict[int, list[int]]] = {}

    def of(self, n: int) -> dict[int, list[int]]:
        """The context of an actor (actors and technologies) or of a technology (its actors)."""
        found = self._cache.get(n)
        if found is None:
            found = self._cache[n] = self._compute(n)
        return found

    def _compute(self, n: int) -> dict[int, list[int]]:
        p = self.proj
        out: dict[int, list[int]] = {}
        is_actor = p.kinds[n] in ACTORS
        for pos in p.positions(n):
            w, kind = p.indices[pos], p.kinds[p.indices[pos]]
            if kind in ACTORS or (is_actor and kind == TECHNOLOGY):
                out.setdefault(w, []).append(DIRECT)
            elif is_actor and kind == AGREEMENT and p.tie_bits(n, pos) & PARTY_TO:
                for ppos in p.positions(w):
                    party = p.indices[ppos]
                    if party != n and p.kinds[party] in ACTORS and p.tie_bits(w, ppos) & PARTY_TO:
                        out.setdefault(party, []).append(w)
        return out

    def tied(self, a: int, b: int) -> bool:
        """Whether two actors share a relation or an agreement."""
        return b in self.of(a)

    def vias(self, n: int, item: int) -> list[str]:
        """How ``n`` holds ``item``: "direct" or the ids of the agreements they are both party to."""
        return ["direct" if via == DIRECT else self.proj.ids[via] for via in self.of(n)[item]]


def members_of(proj: Projection, group: int) -> set[int]:
    """Actors that are members of ``group`` (an initiative or a network)."""
    return {
        proj.indices[pos]
        for pos in proj.positions(group)
        if proj.in_bits[pos] & MEMBER_OF and proj.kinds[proj.indices[pos]] in ACTORS
    }
