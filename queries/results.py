"""What the questions answer: one result type per answer, the same whichever engine computed it.

Each type's ``to_dict`` gives the plain data the CLI prints as JSON and the explorer shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# ---- paths ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One step of a path: ``source`` → ``target`` in path order; ``direction`` is ``out`` when
    the relation's subject is ``source`` and ``in`` when it points back along the path."""

    source: str
    target: str
    relation: str
    direction: str
    start: str | None
    end: str | None
    role: str | None
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
            "direction": self.direction,
            "start": self.start,
            "end": self.end,
            "role": self.role,
            "evidence": [dict(e) for e in self.evidence],
        }


@dataclass(frozen=True)
class Path:
    """A simple path: its entity ids in order, the hops between them, and its length in hops."""

    nodes: list[str]
    hops: list[Hop]
    length: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"nodes": list(self.nodes), "length": self.length, "hops": [h.to_dict() for h in self.hops]}


class PathList(list[Path]):
    """Paths, best first; ``truncated`` is True when ``all_paths`` stopped at ``MAX_ALL_PATHS``."""

    truncated: bool = False


# ---- neighbourhood -------------------------------------------------------------------------


@dataclass
class Neighbourhood:
    """Entities within some hops of one entity (nearest first) and the ties among them.

    ``truncated`` is True when ``limit`` cut the result; ``left_out`` counts the entities
    found but not kept (a lower bound when the scan itself was bounded).
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = False
    left_out: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "truncated": self.truncated,
            "left_out": self.left_out,
        }


def edge_order(edge: dict[str, Any]) -> tuple[str, str, str]:
    """The order of a neighbourhood's edges: by subject, relation kind, object."""
    return edge["source"], edge["relation"], edge["target"]


# ---- centrality ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Central:
    """An entity and its score under one centrality measure."""

    id: str
    label: str
    kind: str
    score: float
    degree: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "score": self.score,
            "degree": self.degree,
        }


class Ranking(list[Central]):
    """Ranked entities; ``measure`` names the score and ``method`` says how it was computed."""

    measure: str = ""
    method: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"measure": self.measure, "method": self.method, "entities": [c.to_dict() for c in self]}


# ---- communities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """One group found by Louvain: its size, kinds, and its best-connected members."""

    index: int
    size: int
    kinds: dict[str, int]
    members: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"index": self.index, "size": self.size, "kinds": self.kinds, "members": self.members}


class Communities(list[Community]):
    """Communities, largest first; ``modularity`` of the whole partition and ``membership`` by id."""

    modularity: float = 0.0
    method: str = ""
    membership: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (without the full membership)."""
        return {
            "method": self.method,
            "modularity": self.modularity,
            "communities": [c.to_dict() for c in self],
        }


# ---- suggested partners --------------------------------------------------------------------


@dataclass(frozen=True)
class SharedItem:
    """Something both actors of a suggestion hold: ``via_a``/``via_b`` say how ("direct" or agreements).

    ``weight`` scales the item's part of the scores: 1 for an entity; for a shared country
    (kind ``Country``, see ``queries.country_signal``) the weight learned from the data.
    """

    id: str
    label: str
    kind: str
    degree: int
    via_a: list[str]
    via_b: list[str]
    weight: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class PartnerSuggestion:
    """Two actors without a tie, their shared context, and its scores (``score`` is Adamic-Adar)."""

    a: str
    a_label: str
    b: str
    b_label: str
    adamic_adar: float
    resource_allocation: float
    shared: list[SharedItem]
    preferential_attachment: int = 0
    ties: int = 1  # candidates (this one included) with the same Adamic-Adar score

    @property
    def score(self) -> float:
        """The ranking score: Adamic-Adar."""
        return self.adamic_adar

    def rarest(self, n: int) -> list[SharedItem]:
        """The ``n`` shared items held by the fewest (``shared`` is in that order)."""
        return self.shared[:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "a": self.a,
            "a_label": self.a_label,
            "b": self.b,
            "b_label": self.b_label,
            "score": self.score,
            "score_name": "adamic_adar",
            "adamic_adar": self.adamic_adar,
            "resource_allocation": self.resource_allocation,
            "preferential_attachment": self.preferential_attachment,
            "ties": self.ties,
            "shared_count": len(self.shared),
            "shared": [s.to_dict() for s in self.shared],
        }


class Suggestions(list[PartnerSuggestion]):
    """Suggestions, best first; ``notes`` say what bounded the search, ``pair`` which kinds were
    paired, ``tie_break`` how equal scores are ordered, ``candidates`` how many pairs were scored."""

    def __init__(
        self,
        items: Iterable[PartnerSuggestion] = (),
        notes: list[str] | None = None,
        *,
        pair: str = "",
        tie_break: str = "",
        candidates: int = 0,
    ):
        super().__init__(items)
        self.notes = notes or []
        self.pair, self.tie_break, self.candidates = pair, tie_break, candidates

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "score": "adamic_adar",
            "pair": self.pair,
            "tie_break": self.tie_break,
            "candidates": self.candidates,
            "notes": self.notes,
            "suggestions": [s.to_dict() for s in self],
        }


# ---- technology coverage -------------------------------------------------------------------


@dataclass
class Coverage:
    """An initiative's city × technology matrix, its gaps, and providers tied to no city.

    ``matrix[city][technology]`` lists how the city covers it ("demonstrates", "party to
    <agreement>", "member of <initiative>"); a missing cell is a gap.
    """

    initiative: str
    initiative_label: str
    cities: list[dict[str, str]]
    technologies: list[dict[str, str]]
    matrix: dict[str, dict[str, list[str]]]
    gaps: list[dict[str, Any]]
    providers: list[dict[str, Any]] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # members that are not cities, by kind
    notes: list[str] = field(default_factory=list)  # why something is empty, who was left out

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)


# ---- brokers and bridges -------------------------------------------------------------------


@dataclass(frozen=True)
class Broker:
    """An actor many shortest paths run through; ``articulation_point`` when removing it splits a group."""

    id: str
    label: str
    kind: str
    betweenness: float
    degree: int
    articulation_point: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Bridge:
    """A tie whose removal cuts ``smaller_side`` entities off from the rest of their group."""

    a: str
    a_label: str
    b: str
    b_label: str
    relations: list[str]
    smaller_side: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)


class Brokers(list[Broker]):
    """Top brokers; ``method`` says whether betweenness was exact or sampled; ``bridges`` the key ties."""

    def __init__(self, items: Iterable[Broker] = ()):
        super().__init__(items)
        self.method = ""
        self.bridges: list[Bridge] = []
        self.bridge_count = 0
        self.articulation_points = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "method": self.method,
            "articulation_points": self.articulation_points,
            "bridge_count": self.bridge_count,
            "brokers": [b.to_dict() for b in self],
            "bridges": [b.to_dict() for b in self.bridges],
        }


# ---- cohort gaps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortGap:
    """Two members of one initiative with no bilateral tie, and the context they already share."""

    a: str
    a_label: str
    b: str
    b_label: str
    roles_a: list[str]
    roles_b: list[str]
    shared: list[str]
    adamic_adar: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)
