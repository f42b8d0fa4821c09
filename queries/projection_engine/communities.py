"""Communities on the projection: Louvain (igraph ``community_multilevel``), seeded."""

from __future__ import annotations

import random
from collections import Counter

from climatekg.graph.projection import Projection, projection
from climatekg.graph.store import Store
from climatekg.queries.labels import labels
from climatekg.queries.results import Communities, Community


def communities(kg: Store, *, top: int | None = None, members: int = 10, seed: int = 0) -> Communities:
    """``queries.structure.communities`` on the projection."""
    import igraph

    proj = projection(kg)
    rng = random.Random(seed)
    igraph.set_random_number_generator(rng)
    try:
        parts = proj.to_igraph().community_multilevel() if proj.tie_count else None
    finally:
        igraph.set_random_number_generator(random)
    membership = list(parts.membership) if parts is not None else list(range(len(proj)))
    groups: dict[int, list[int]] = {}
    for n, c in enumerate(membership):
        groups.setdefault(c, []).append(n)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), proj.ids[min(g, key=lambda n: proj.ids[n])]))
    found = Communities()
    found.method = f"Louvain (igraph community_multilevel, seed {seed})"
    found.modularity = float(parts.modularity) if parts is not None else 0.0
    renumber = {}
    for index, group in enumerate(ordered):
        for n in group:
            renumber[n] = index
        if top is None or index < top:
            found.append(_community(kg, proj, index, group, members))
    found.membership = {proj.ids[n]: renumber[n] for n in range(len(proj))}
    return found


def _kind_name(proj: Projection, n: int) -> str:
    kind = proj.kind_of(n)
    return kind.value if kind else "unknown"


def _community(kg: Store, proj: Projection, index: int, group: list[int], members: int) -> Community:
    kinds = Counter(_kind_name(proj, n) for n in group)
    best = sorted(group, key=lambda n: (-proj.degree(n), proj.ids[n]))[:members]
    named = labels(kg, (proj.ids[n] for n in best))
    listed = [
        {
            "id": proj.ids[n],
            "label": named[proj.ids[n]][0],
            "kind": named[proj.ids[n]][1],
            "degree": proj.degree(n),
        }
        for n in best
    ]
    return Community(index, len(group), dict(sorted(kinds.items())), listed)
