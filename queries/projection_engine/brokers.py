"""Brokers and bridges on the projection: betweenness, articulation points and bridges (igraph)."""

from __future__ import annotations

from typing import Any

from climatekg.graph.projection import Projection, projection, relation_kinds
from climatekg.graph.store import Store
from climatekg.queries.labels import labels
from climatekg.queries.projection_engine.centrality import betweenness
from climatekg.queries.projection_engine.context import ACTORS
from climatekg.queries.results import Bridge, Broker, Brokers


def brokers(kg: Store, *, top: int = 20, exact: bool = False) -> Brokers:
    """``queries.gaps.brokers`` on the projection."""
    proj = projection(kg)
    g = proj.to_igraph()
    scores, method = betweenness(proj, graph=g, exact=exact)
    cut = set(g.articulation_points()) if len(proj) else set()
    actors = [n for n in range(len(proj)) if proj.kinds[n] in ACTORS]
    order = sorted(actors, key=lambda n: (-scores[n], proj.ids[n]))[:top]
    bridge_ids = g.bridges() if len(proj) else []
    sides = _bridge_sides(g, bridge_ids)
    ranked = sorted(
        ((side, *sorted(g.es[e].tuple)) for e, side in sides.items() if side >= 2),
        key=lambda x: (-x[0], proj.ids[x[1]], proj.ids[x[2]]),
    )[:top]
    named = labels(kg, [proj.ids[n] for n in order] + [proj.ids[n] for _, a, b in ranked for n in (a, b)])
    found = Brokers(
        Broker(proj.ids[n], *named[proj.ids[n]], scores[n], proj.degree(n), n in cut) for n in order
    )
    found.method, found.articulation_points, found.bridge_count = method, len(cut), len(bridge_ids)
    found.bridges = [
        Bridge(
            proj.ids[a],
            named[proj.ids[a]][0],
            proj.ids[b],
            named[proj.ids[b]][0],
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
