"""What the home page shows before anyone types: the graph's size, its most connected part, and
"try this" questions picked from the data.

Pure Python over the store and its projection (no Streamlit), so tests call it directly:

- ``graph_size`` — entities by kind, facts by source, the date of the last load;
- ``core_network`` — the whole graph when it has at most ``OVERVIEW_LIMIT`` entities, else the
  ``HUBS`` best-connected entities and the entities that tie two of them (a twin agreement
  between two hub cities, an initiative two hubs belong to), up to ``OVERVIEW_LIMIT`` in all;
- ``try_this`` — questions whose answer the data holds: a path between two distant actors, the
  partner suggestions of the best-connected city, the coverage of the largest initiative, the
  neighbourhood of the biggest hub. Each names the explorer page and the URL parameters that
  answer it.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from climatekg.graph.model import EntityKind
from climatekg.graph.projection import Projection, relation_kinds
from climatekg.graph.store import Store

#: The network picture shows at most this many entities (the whole graph when it is no bigger).
OVERVIEW_LIMIT = 300
#: Beyond that limit, the picture starts from this many best-connected entities.
HUBS = 60
#: Actors a "try this" path runs between; the path is kept within the Paths page's default hops.
ACTOR_KINDS = (EntityKind.CITY, EntityKind.ORGANISATION)
PATH_HOPS = 6


@dataclass
class GraphSize:
    """Entities by kind, facts (triples) by source title, and when the last source was loaded."""

    entities: int
    relations: int
    by_kind: dict[str, int]
    by_source: list[dict[str, object]]
    last_load: str | None


@dataclass
class CoreNetwork:
    """The entities and ties of the picture, and how much of the graph they are."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]  # (subject, relation kind, object)
    whole: bool
    total_nodes: int
    total_ties: int
    hubs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TryThis:
    """A question, the page that answers it and that page's URL parameters."""

    question: str
    page: str
    params: dict[str, str]


def graph_size(kg: Store) -> GraphSize:
    """Counts by kind and by source, and the date of the most recent load."""
    stats = kg.stats()
    sources = sorted(kg.sources(), key=lambda s: s.loaded_at, reverse=True)
    by_kind = stats["entities_by_kind"]
    assert isinstance(by_kind, dict)
    return GraphSize(
        entities=int(str(stats["entities"])),
        relations=int(str(stats["relations"])),
        by_kind={str(k): int(v) for k, v in by_kind.items()},
        by_source=[
            {"source": s.title or s.id, "id": s.id, "triples": s.triples, "loaded": s.loaded_at[:10]}
            for s in sources
        ],
        last_load=sources[0].loaded_at[:10] if sources else None,
    )


def core_network(proj: Projection, *, limit: int = OVERVIEW_LIMIT, hubs: int = HUBS) -> CoreNetwork:
    """The whole graph when it has at most ``limit`` entities, else its most connected part.

    The part: the ``hubs`` entities of highest degree, then the entities tied to two or more of
    them (most such ties first) until ``limit``, and every tie among the chosen.

    Examples:
        >>> from climatekg.graph.projection import projection
        >>> core = core_network(projection(kg))
        >>> core.whole, len(core.nodes) == core.total_nodes
        (True, True)
    """
    n_total = len(proj)
    if n_total <= limit:
        chosen = list(range(n_total))
        top: list[int] = []
    else:
        by_degree = sorted(range(n_total), key=lambda n: (-proj.degree(n), proj.ids[n]))
        top = by_degree[:hubs]
        hub_set = set(top)
        links: Counter[int] = Counter()
        for h in top:
            for w in proj.neighbours(h):
                if w not in hub_set:
                    links[w] += 1
        joiners = sorted((w for w, c in links.items() if c >= 2), key=lambda w: (-links[w], proj.ids[w]))
        chosen = top + joiners[: limit - len(top)]
    keep = set(chosen)
    edges = []
    for n in chosen:
        for pos in proj.positions(n):
            w = proj.indices[pos]
            if w in keep:
                for kind in relation_kinds(proj.out_bits[pos]):
                    edges.append((proj.ids[n], kind.value, proj.ids[w]))
    return CoreNetwork(
        nodes=[proj.ids[n] for n in chosen],
        edges=edges,
        whole=n_total <= limit,
        total_nodes=n_total,
        total_ties=proj.tie_count,
        hubs=[proj.ids[n] for n in top],
    )


def _distances(proj: Projection, start: int, limit: int) -> dict[int, int]:
    """Hop distances from ``start`` up to ``limit`` (breadth-first, ignoring tie direction)."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        n = queue.popleft()
        if seen[n] == limit:
            continue
        for w in proj.neighbours(n):
            if w not in seen:
                seen[w] = seen[n] + 1
                queue.append(w)
    return seen


def _best(proj: Projection, kinds: tuple[EntityKind, ...], besides: int | None = None) -> int | None:
    """The entity of one of ``kinds`` with the most ties (ties broken by id), or None."""
    found = [n for n in range(len(proj)) if proj.kind_of(n) in kinds and n != besides]
    return min(found, key=lambda n: (-proj.degree(n), proj.ids[n])) if found else None


def distant_actors(proj: Projection, *, hops: int = PATH_HOPS) -> tuple[str, str] | None:
    """Two actors (cities, organisations) far apart yet within ``hops`` of each other.

    From the best-connected actor, the farthest actor within ``hops // 2`` is one end; the
    farthest actor within ``hops`` of that one is the other (ties broken by degree, then id).
    """
    hub = _best(proj, ACTOR_KINDS)
    if hub is None:
        return None

    def farthest(start: int, limit: int) -> int | None:
        dist = _distances(proj, start, limit)
        actors = [n for n in dist if n != start and proj.kind_of(n) in ACTOR_KINDS]
        if not actors:
            return None
        return min(actors, key=lambda n: (-dist[n], -proj.degree(n), proj.ids[n]))

    a = farthest(hub, max(1, hops // 2)) or hub
    b = farthest(a, hops)
    return (proj.ids[a], proj.ids[b]) if b is not None else None


def try_this(proj: Projection, label: Callable[[str], str]) -> list[TryThis]:
    """The "try this" questions the data can answer, each with the page and parameters to open.

    ``label`` names an entity id in the questions (e.g. the store's English label).
    """
    found = []
    pair = distant_actors(proj)
    if pair:
        a, b = pair
        found.append(
            TryThis(f"How is {label(a)} connected to {label(b)}?", "paths", {"source": a, "target": b})
        )
    city = _best(proj, (EntityKind.CITY,))
    if city is not None:
        c = proj.ids[city]
        found.append(
            TryThis(
                f"Who could {label(c)}, the best-connected city, partner with next?",
                "gaps",
                # any actor: a city's best next partner may be an organisation (city-city alone can be empty)
                {"tab": "Suggested partners", "for_entity": c, "pair": "any"},
            )
        )
    initiative = _best(proj, (EntityKind.INITIATIVE,))
    if initiative is not None:
        i = proj.ids[initiative]
        found.append(
            TryThis(
                f"Which technologies do the members of {label(i)}, the largest initiative, cover and lack?",
                "gaps",
                {"tab": "Technology coverage", "initiative": i},
            )
        )
    # the biggest hub other than that city, so the fourth question shows something new
    hub = _best(proj, tuple(EntityKind), besides=city)
    if hub is not None:
        h = proj.ids[hub]
        found.append(
            TryThis(f"What is {label(h)}, the biggest hub, tied to?", "network", {"entities": h, "hops": "1"})
        )
    return found
