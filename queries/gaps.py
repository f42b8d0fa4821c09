"""Partnership gaps: ties that could exist, technologies an initiative's cities lack, brokers, cohorts.

*Context.* An actor's context is what it is directly tied to (other actors — cities,
organisations, initiatives — and technologies) plus the co-parties of every agreement it is
party to. Two actors are *tied* when either is in the other's context; a suggested partner pair
is never tied and is ranked by the context it shares: Adamic-Adar (``adamic_adar``, the score)
and resource allocation, where an item's degree is the size of its own context (for a
technology: the actors tied to it). Everything runs on the projection (``graph/projection.py``).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import ACTOR_KINDS, EntityKind, RelationKind, normalise_name
from climatekg.graph.projection import RELATIONS, Projection, kind_code, projection, relation_kinds
from climatekg.queries.resolve import resolve
from climatekg.queries.structure import betweenness

#: Items held by more actors than this do not generate candidates (they still count in scores).
HUB_LIMIT = 10_000
#: Without --for, suggestions compare every pair of actors: refused above this many actors.
GLOBAL_LIMIT = 50_000

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


# ---- suggested partners --------------------------------------------------------------------


@dataclass(frozen=True)
class SharedItem:
    """Something both actors of a suggestion hold: ``via_a``/``via_b`` say how ("direct" or agreements)."""

    id: str
    label: str
    kind: str
    degree: int
    via_a: list[str]
    via_b: list[str]

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

    @property
    def score(self) -> float:
        """The ranking score: Adamic-Adar."""
        return self.adamic_adar

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
            "shared": [s.to_dict() for s in self.shared],
        }


class Suggestions(list[PartnerSuggestion]):
    """Suggestions, best first; ``notes`` say what bounded the search."""

    def __init__(self, items: Iterable[PartnerSuggestion] = (), notes: list[str] | None = None):
        super().__init__(items)
        self.notes = notes or []

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"score": "adamic_adar", "notes": self.notes, "suggestions": [s.to_dict() for s in self]}


def suggest_partners(
    kg: Any, *, for_entity: str | None = None, within: str | None = None, top: int = 20
) -> Suggestions:
    """Pairs of actors with no tie, ranked by the context they share, each with its explanation.

    ``for_entity`` fixes one side; ``within`` (an initiative or network) keeps both sides among
    its members (the ``for_entity`` side may be outside). Without ``for_entity`` every pair in
    scope is compared (refused above ``GLOBAL_LIMIT`` actors).

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> best = suggest_partners(bundled_store(), for_entity="ICLEI USA", top=1)[0]
        >>> best.b, [item.id for item in best.shared]
        ('initiative/ccucc', ['org/iclei'])
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.suggest_partners(kg, for_entity=for_entity, within=within, top=top)
    if top < 1:
        return Suggestions()
    proj = projection(kg)
    ctx = Context(proj)
    scope = _members(proj, proj.index_of(resolve(kg, within))) if within else None
    notes: list[str] = []
    if for_entity:
        sources = [proj.index_of(resolve(kg, for_entity))]
    else:
        sources = (
            sorted(scope) if scope is not None else [n for n in range(len(proj)) if proj.kinds[n] in ACTORS]
        )
        if len(sources) > GLOBAL_LIMIT:
            raise ClimateKGError(
                f"{len(sources):,} actors are too many to compare every pair: name one with --for or an initiative with --within"
            )
    best: list[tuple[float, float, tuple[int, ...], tuple[int, ...], int, int, list[int]]] = []
    hubs: set[int] = set()
    for a in sources:
        for c, items in _candidates(ctx, a, scope, hubs, pairwise=not for_entity):
            aa = sum(1 / math.log(len(ctx.of(z))) for z in items)
            ra = sum(1 / len(ctx.of(z)) for z in items)
            if len(best) >= top and (aa, ra) < best[0][:2]:
                continue  # cannot enter the top; skip building its tie-break key
            entry = (aa, ra, _neg(proj.ids[a]), _neg(proj.ids[c]), a, c, items)
            if len(best) < top:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)
    if hubs:
        names = ", ".join(sorted(proj.ids[z] for z in hubs)[:5])
        notes.append(
            f"{len(hubs)} items held by more than {HUB_LIMIT:,} actors ({names}{', …' if len(hubs) > 5 else ''}) "
            "were not used to find candidates; they still count in the scores"
        )
    ranked = sorted(best, reverse=True)
    pairs = [(e[4], e[5]) if for_entity or proj.ids[e[4]] < proj.ids[e[5]] else (e[5], e[4]) for e in ranked]
    return Suggestions(
        [_suggestion(kg, ctx, a, b, e[0], e[1], e[6]) for (a, b), e in zip(pairs, ranked, strict=True)], notes
    )


def _neg(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so ties in score rank by id ascending under max-heaps."""
    return (*(-ord(ch) for ch in text), 1)  # the end mark sorts a prefix before its extensions


def _candidates(
    ctx: Context, a: int, scope: set[int] | None, hubs: set[int], *, pairwise: bool
) -> Iterable[tuple[int, list[int]]]:
    """Actors that share context with ``a`` but are not tied to it, with the shared items."""
    proj = ctx.proj
    mine = ctx.of(a)
    found: dict[int, list[int]] = {}
    skipped = []
    for z in mine:
        holders = ctx.of(z)
        if len(holders) > HUB_LIMIT:
            skipped.append(z)
            continue
        for c in holders:
            if c == a or c in mine or proj.kinds[c] not in ACTORS:
                continue
            if (scope is not None and c not in scope) or (pairwise and c < a):
                continue
            found.setdefault(c, []).append(z)
    hubs.update(skipped)
    for z in skipped:  # a hub item still counts for the candidates that hold it (context is symmetric)
        holders = ctx.of(z)
        if len(holders) < len(found):
            for c in holders:
                if c in found:
                    found[c].append(z)
        else:
            for c, items in found.items():
                if c in holders:
                    items.append(z)
    yield from found.items()


def _suggestion(
    kg: Any, ctx: Context, a: int, b: int, aa: float, ra: float, items: list[int]
) -> PartnerSuggestion:
    proj = ctx.proj
    labels = _labels(kg, [proj.ids[n] for n in (a, b, *items)])
    shared = [
        SharedItem(
            proj.ids[z],
            labels[proj.ids[z]][0],
            labels[proj.ids[z]][1],
            len(ctx.of(z)),
            ctx.vias(a, z),
            ctx.vias(b, z),
        )
        for z in sorted(items, key=lambda z: (-1 / math.log(len(ctx.of(z))), proj.ids[z]))
    ]
    return PartnerSuggestion(
        proj.ids[a], labels[proj.ids[a]][0], proj.ids[b], labels[proj.ids[b]][0], aa, ra, shared
    )


def _labels(kg: Any, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    out = {}
    for eid in ids:
        if eid not in out:
            e = kg.entity(eid)
            out[eid] = (e.label, e.kind.value) if e else (eid, "")
    return out


def _members(proj: Projection, group: int) -> set[int]:
    """Actors that are members of ``group`` (an initiative or a network)."""
    return {
        proj.indices[pos]
        for pos in proj.positions(group)
        if proj.in_bits[pos] & MEMBER_OF and proj.kinds[proj.indices[pos]] in ACTORS
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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)


def coverage(kg: Any, initiative: str) -> Coverage:
    """Which technologies each member city of ``initiative`` covers, and which it lacks.

    A city covers a technology it demonstrates, or one an agreement it is party to or an
    initiative it is a member of concerns. A gap is a technology some member covers and
    another lacks (with the peers that cover it). ``providers`` lists organisations that
    provide one of these technologies yet are tied to no city at all.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> cov = coverage(bundled_store(), "CCUCC")
        >>> sorted(cov.matrix["city/shenzhen"])
        ['tech/air-pollution-mitigation', 'tech/low-carbon-clean-technology']
        >>> cov.matrix["city/shenzhen"]["tech/air-pollution-mitigation"]
        ['member of initiative/ccucc']
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.coverage(kg, initiative)
    proj = projection(kg)
    group = proj.index_of(resolve(kg, initiative))
    cities = sorted((c for c in _members(proj, group) if proj.kinds[c] == CITY), key=lambda c: proj.ids[c])
    covered = {c: _technologies_of(proj, c) for c in cities}
    techs = sorted({t for row in covered.values() for t in row}, key=lambda t: proj.ids[t])
    ids = proj.ids
    gaps = []
    for c in cities:
        for t in techs:
            if t not in covered[c]:
                peers = [ids[p] for p in cities if t in covered[p]]
                gaps.append({"city": ids[c], "technology": ids[t], "peers": peers})
    ctx = Context(proj)
    providers = []
    for org, offered in sorted(_providers(proj, set(techs)).items(), key=lambda kv: ids[kv[0]]):
        if not any(proj.kinds[x] == CITY for x in ctx.of(org)):
            lacking = sorted({ids[c] for c in cities for t in offered if t not in covered[c]})
            providers.append(
                {
                    "provider": ids[org],
                    "technologies": sorted(ids[t] for t in offered),
                    "cities_lacking": lacking,
                }
            )
    labels = _labels(kg, [ids[group], *(ids[c] for c in cities), *(ids[t] for t in techs)])
    for row in gaps:
        row["city_label"], row["technology_label"] = labels[row["city"]][0], labels[row["technology"]][0]
    for row in providers:
        row["provider_label"] = _labels(kg, [row["provider"]])[row["provider"]][0]
    return Coverage(
        initiative=ids[group],
        initiative_label=labels[ids[group]][0],
        cities=[{"id": ids[c], "label": labels[ids[c]][0]} for c in cities],
        technologies=[{"id": ids[t], "label": labels[ids[t]][0]} for t in techs],
        matrix={
            ids[c]: {ids[t]: how for t, how in sorted(covered[c].items(), key=lambda kv: ids[kv[0]])}
            for c in cities
        },
        gaps=gaps,
        providers=providers,
    )


def _technologies_of(proj: Projection, city: int) -> dict[int, list[str]]:
    """Technologies a city covers, each with how (demonstrates / party to … / member of …)."""
    out: dict[int, list[str]] = {}
    for pos in proj.positions(city):
        w, bits = proj.indices[pos], proj.out_bits[pos]
        if proj.kinds[w] == TECHNOLOGY and bits & DEMONSTRATES:
            out.setdefault(w, []).append("demonstrates")
        for link, words in ((PARTY_TO, "party to"), (MEMBER_OF, "member of")):
            if bits & link:
                for cpos in proj.positions(w):
                    t = proj.indices[cpos]
                    if proj.kinds[t] == TECHNOLOGY and proj.out_bits[cpos] & CONCERNS:
                        out.setdefault(t, []).append(f"{words} {proj.ids[w]}")
    return out


def _providers(proj: Projection, techs: set[int]) -> dict[int, set[int]]:
    """Organisations that provide any of ``techs``, with what they provide."""
    out: dict[int, set[int]] = {}
    for t in techs:
        for pos in proj.positions(t):
            org = proj.indices[pos]
            if proj.kinds[org] == ORGANISATION and proj.in_bits[pos] & PROVIDES:
                out.setdefault(org, set()).add(t)
    return out


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


def brokers(kg: Any, *, top: int = 20) -> Brokers:
    """Actors between groups (betweenness, articulation points) and the ties that join groups.

    ``bridges`` lists ties whose removal would cut at least two entities off, the largest
    cut first (a tie to a lone leaf is not listed; ``bridge_count`` counts all bridges).

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> found = brokers(bundled_store(), top=1)
        >>> found[0].id, found[0].articulation_point, found.method
        ('org/iclei', True, 'exact')
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.brokers(kg, top=top)
    proj = projection(kg)
    g = proj.to_igraph()
    scores, method = betweenness(proj, graph=g)
    cut = set(g.articulation_points()) if len(proj) else set()
    actors = [n for n in range(len(proj)) if proj.kinds[n] in ACTORS]
    order = sorted(actors, key=lambda n: (-scores[n], proj.ids[n]))[:top]
    bridge_ids = g.bridges() if len(proj) else []
    sides = _bridge_sides(g, bridge_ids)
    ranked = sorted(
        ((side, *sorted(g.es[e].tuple)) for e, side in sides.items() if side >= 2),
        key=lambda x: (-x[0], proj.ids[x[1]], proj.ids[x[2]]),
    )[:top]
    labels = _labels(kg, [proj.ids[n] for n in order] + [proj.ids[n] for _, a, b in ranked for n in (a, b)])
    found = Brokers(
        Broker(proj.ids[n], *labels[proj.ids[n]], scores[n], proj.degree(n), n in cut) for n in order
    )
    found.method, found.articulation_points, found.bridge_count = method, len(cut), len(bridge_ids)
    found.bridges = [
        Bridge(
            proj.ids[a],
            labels[proj.ids[a]][0],
            proj.ids[b],
            labels[proj.ids[b]][0],
            _tie_kinds(proj, a, b),
            side,
        )
        for side, a, b in ranked
    ]
    return found


def _tie_kinds(proj: Projection, a: int, b: int) -> list[str]:
    for pos in proj.positions(a):
        if proj.indices[pos] == b:
            return [k.value for k in relation_kinds(proj.tie_bits(a, pos))]
    return []


def _bridge_sides(g: Any, bridge_ids: list[int]) -> dict[int, int]:
    """For each bridge, how many entities its removal cuts off on the smaller side.

    Contracting the 2-edge-connected parts leaves a forest whose edges are the bridges;
    one pass over that forest gives every subtree's size.
    """
    if not bridge_ids:
        return {}
    h = g.copy()
    ends = [g.es[e].tuple for e in bridge_ids]
    h.delete_edges(bridge_ids)
    part = h.connected_components().membership
    weight: dict[int, int] = {}
    for p in part:
        weight[p] = weight.get(p, 0) + 1
    tree: dict[int, list[tuple[int, int]]] = {}
    for e, (x, y) in zip(bridge_ids, ends, strict=True):
        tree.setdefault(part[x], []).append((part[y], e))
        tree.setdefault(part[y], []).append((part[x], e))
    below: dict[int, int] = {}  # bridge → size of the side away from the root
    total: dict[int, int] = {}  # bridge → size of its whole tree
    done: set[int] = set()
    for root in tree:
        if root in done:
            continue
        order, parent_edge = _tree_order(tree, root, done)
        size = {p: weight[p] for p in order}
        for p in reversed(order):
            edge = parent_edge[p]
            if edge is not None:
                below[edge] = size[p]
                parent = next(q for q, f in tree[p] if f == edge)
                size[parent] += size[p]
        for edge in parent_edge.values():
            if edge is not None:
                total[edge] = size[root]
    return {e: min(below[e], total[e] - below[e]) for e in bridge_ids}


def _tree_order(
    tree: dict[int, list[tuple[int, int]]], root: int, done: set[int]
) -> tuple[list[int], dict[int, int | None]]:
    order = [root]
    parent_edge: dict[int, int | None] = {root: None}
    done.add(root)
    i = 0
    while i < len(order):
        p = order[i]
        i += 1
        for q, e in tree[p]:
            if q not in done:
                done.add(q)
                parent_edge[q] = e
                order.append(q)
    return order, parent_edge


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


def cohort_gaps(
    kg: Any, initiative: str, *, role: str | None = None, top: int | None = None
) -> list[CohortGap]:
    """Pairs of members of ``initiative`` (with ``role``, if given) that have no tie of their own.

    A tie is any relation between the two or a shared agreement; membership of the
    initiative itself does not count. Ranked by Adamic-Adar over the rest of their shared
    context, then by ids.

    Examples:
        >>> from climatekg.queries.testing import bundled_store
        >>> cohort_gaps(bundled_store(), "CCUCC")
        []
    """
    if getattr(kg, "kind", None) == "neo4j":  # the same question as Cypher on the server
        from climatekg.queries import on_neo4j

        return on_neo4j.cohort_gaps(kg, initiative, role=role, top=top)
    proj = projection(kg)
    group_id = resolve(kg, initiative)
    group = proj.index_of(group_id)
    wanted = normalise_name(role) if role else None
    roles: dict[str, list[str]] = {}
    for r in kg.relations(group_id):
        if (
            r.kind == RelationKind.MEMBER_OF
            and r.object == group_id
            and proj.kinds[proj.index_of(r.subject)] in ACTORS
        ):
            roles.setdefault(r.subject, [])
            if r.role and r.role not in roles[r.subject]:
                roles[r.subject].append(r.role)
    if wanted:
        roles = {m: rs for m, rs in roles.items() if any(normalise_name(x) == wanted for x in rs)}
    ctx = Context(proj)
    members = [proj.index_of(m) for m in sorted(roles)]
    rows = []
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if ctx.tied(a, b):
                continue
            shared = sorted(set(ctx.of(a)) & set(ctx.of(b)) - {group}, key=lambda z: proj.ids[z])
            aa = sum(1 / math.log(len(ctx.of(z))) for z in shared)
            rows.append((a, b, shared, aa))
    rows.sort(key=lambda r: (-r[3], proj.ids[r[0]], proj.ids[r[1]]))
    rows = rows[:top] if top is not None else rows
    labels = _labels(kg, [proj.ids[n] for a, b, _, _ in rows for n in (a, b)])
    return [
        CohortGap(
            proj.ids[a],
            labels[proj.ids[a]][0],
            proj.ids[b],
            labels[proj.ids[b]][0],
            sorted(roles[proj.ids[a]]),
            sorted(roles[proj.ids[b]]),
            [proj.ids[z] for z in shared],
            aa,
        )
        for a, b, shared, aa in rows
    ]
