"""Network: the neighbourhood of one or more entities, drawn with vis-network (pyvis), offline.

URL: ``?entities=ID,ID&hops=2&kinds=City&relations=member_of`` and ``?path=ID,ID,…`` (a path to
highlight, as the Paths page links it). Click a node to open its profile.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.app.explorer.views.network import NODE_CAP, ViewNode, merge_views, render_network
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.queries.structure import neighbours

HEIGHT = 640


@st.cache_data(show_spinner="Collecting the neighbourhood…", max_entries=64)
def neighbourhood(
    _kg: Store,
    version: str,
    seeds: tuple[str, ...],
    hops: int,
    kinds: tuple[str, ...],
    relations: tuple[str, ...],
    as_of: str | None,
) -> tuple[list[ViewNode], list[Any], int]:
    """Nodes (nearest first), edges and how many nodes each query left out, for all seeds."""
    parts, left_out = [], 0
    for seed in seeds:
        nb = neighbours(
            _kg,
            seed,
            hops=hops,
            kinds=list(kinds) or None,
            relations=list(relations) or None,
            as_of=as_of,
            limit=NODE_CAP,
        )
        parts.append((nb.nodes, nb.edges))
        left_out += int(getattr(nb, "left_out", 0) or 0)
    nodes, edges = merge_views(parts)
    # Results may name nodes by id only; fill in labels and kinds from the store.
    complete = []
    for n in nodes:
        if n.kind and n.label != n.id:
            complete.append(n)
            continue
        e = _kg.entity(n.id)
        complete.append(ViewNode(n.id, e.label if e else n.id, e.kind.value if e else n.kind, n.title))
    return complete, edges, left_out


kg = _shared.store()
version = kg.version()
day = _shared.as_of_banner()
st.title("Network")

c1, c2 = st.columns([3, 1])
with c1:
    text = st.text_input(
        "Entities (comma-separated names or ids)",
        key="entities",
        bind="query-params",
        placeholder="e.g. Shenzhen, ICLEI",
    )
with c2:
    hops = st.slider("Hops", 1, 4, 2, key="hops", bind="query-params")
c3, c4 = st.columns(2)
with c3:
    kinds = st.multiselect(
        "Only these kinds",
        [k.value for k in EntityKind],
        key="kinds",
        bind="query-params",
        placeholder="all kinds",
    )
with c4:
    relations = st.multiselect(
        "Only these relations",
        [r.value for r in RelationKind],
        key="relations",
        bind="query-params",
        placeholder="all relations",
    )

seeds: list[str] = []
for part in [p.strip() for p in (text or "").split(",") if p.strip()]:
    eid, candidates = _shared.resolve_or_none(kg, part)
    if eid:
        seeds.append(eid)
    else:
        hint = f"; did you mean {', '.join(candidates[:5])}?" if candidates else ""
        st.warning(md(f"No single entity is named {part!r}{hint}"))

path_ids = [p for p in (st.query_params.get("path") or "").split(",") if p]
if not seeds and path_ids:
    seeds = [path_ids[0], path_ids[-1]]
if not seeds:
    st.info("Name one or more entities above (or open a profile and choose “Show its network”).")
else:
    result = _shared.guarded(
        lambda: neighbourhood(
            kg, version, tuple(dict.fromkeys(seeds)), hops, tuple(kinds), tuple(relations), day
        ),
        "The neighbourhood could not be computed",
    )
    if result:
        nodes, edges, left_by_query = result
        if path_ids:
            # the highlighted path must be visible even when the filters would hide part of it
            known = {n.id for n in nodes}
            for pid in path_ids:
                if pid not in known:
                    e = kg.entity(pid)
                    nodes.insert(0, ViewNode(pid, e.label if e else pid, e.kind.value if e else ""))
        view = render_network(
            nodes,
            edges,
            focus=seeds,
            highlight_nodes=path_ids,
            highlight_edges=list(zip(path_ids, path_ids[1:], strict=False)),
            height=HEIGHT,
            link_query={"as_of": day} if day else None,
        )
        left_out = view.left_out + left_by_query
        st.caption(
            f"{view.nodes_shown:,} entities, {view.edges_shown:,} relations · "
            + ("laid out by physics" if view.physics else "layout computed on the server, physics off")
        )
        if left_out:
            st.warning(
                view.message
                or f"{left_out:,} entities were left out to keep the page responsive. To see them, "
                "lower the hops or filter by kind or relation."
            )
        components.html(view.html, height=HEIGHT + 12)
        st.caption("Hover for details; click an entity to open its profile; scroll to zoom; drag to pan.")
