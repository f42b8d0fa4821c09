"""Home: a picture of what the graph holds, before anyone types anything.

The graph's size by kind and by source with the date of the last load; its network (whole when
small, else its most connected part, saying so); the map of located entities and their ties
(above ``HOME_POINTS`` entities one dot per grid cell, and ties summed per pair of countries
beyond ``MAX_TIES`` or when cells are drawn); and "try this" questions picked from the
data, each a link to the page that answers it (``views/overview.py`` picks them).

Old links to the search page (``/?entity=…``, ``/?q=…``) still open it.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.app.explorer.views.network import ViewEdge, ViewNode, render_network
from climatekg.app.explorer.views.overview import (
    HUBS,
    OVERVIEW_LIMIT,
    CoreNetwork,
    GraphSize,
    TryThis,
    core_network,
    graph_size,
    try_this,
)
from climatekg.app.explorer.views.world_map import (
    CELL_DEGREES,
    HOME_POINTS,
    MAX_TIES,
    MapTie,
    country_arcs,
    grid_cells,
    map_chart,
)
from climatekg.graph.projection import projection
from climatekg.graph.store import Store

HEIGHT = 520

if "entity" in st.query_params or "q" in st.query_params:
    st.switch_page(_shared.profile_page(), query_params=st.query_params.to_dict())


@st.cache_data(show_spinner="Counting…", max_entries=4)
def size(_kg: Store, version: str) -> GraphSize:
    """The graph's size (cached per data version)."""
    return graph_size(_kg)


@st.cache_data(show_spinner="Finding the most connected part…", max_entries=4)
def picture(_kg: Store, version: str) -> tuple[CoreNetwork, list[ViewNode], str, list[TryThis]]:
    """The core network, its nodes labelled and drawn, and the try-this questions (per data version).

    The layout is computed here, once, not by physics in the browser: the picture then appears
    in one drawing and stays still.
    """
    proj = projection(_kg)
    core = core_network(proj)
    nodes = []
    for eid in core.nodes:
        e = _kg.entity(eid)
        nodes.append(ViewNode(eid, e.label if e else eid, e.kind.value if e else ""))
    edges = [ViewEdge(s, o, kind) for s, kind, o in core.edges]
    view = render_network(nodes, edges, focus=core.hubs[: HUBS // 6], height=HEIGHT, physics_limit=0)
    return core, nodes, view.html, try_this(proj, lambda i: _shared.label_of(_kg, version, i))


@st.cache_resource(show_spinner="Drawing the map…", max_entries=4)
def world(_kg: Store, version: str) -> tuple[str, dict[str, Any] | None]:
    """The map's caption and Vega-Lite spec (None without located entities), once per data version."""
    data = _shared.located(_kg, version)
    if not data.points:
        return "No entity has coordinates yet.", None
    points = list(data.points.values())
    ties: list[MapTie]
    if len(points) > HOME_POINTS:
        # thousands of dots draw slowly and say no more at this size than one per cell
        cells = grid_cells(points)
        arcs, ties = country_arcs(data, data.ties), []
        caption = (
            f"{len(points):,} located entities (more than {HOME_POINTS:,}): each dot stands for those in "
            f"one {CELL_DEGREES:g}° cell ({len(cells):,} dots), and each line sums the ties between two "
            f"countries ({len(data.ties):,} ties, {len(arcs):,} pairs). The Map page draws each entity."
        )
        points = cells
    elif len(data.ties) > MAX_TIES:
        arcs, ties = country_arcs(data, data.ties), []
        caption = (
            f"{len(points):,} located entities; their {len(data.ties):,} ties are more than {MAX_TIES:,}, "
            f"so each line sums the ties between two countries ({len(arcs):,} pairs)."
        )
    else:
        arcs, ties = [], data.ties
        caption = f"{len(points):,} located entities and their {len(ties):,} ties."
    return caption, map_chart(points, ties, arcs=arcs, height=420)


kg = _shared.store()
version = kg.version()
sized = size(kg, version)

st.title("climatekg explorer")
st.page_link(
    _shared.profile_page(),
    label="Search for an entity by name, alias, id or Wikidata id",
    icon=":material/search:",
)
st.caption(
    f"{sized.entities:,} entities and {sized.relations:,} relations from {len(sized.by_source)} sources"
    + (f"; last loaded {sized.last_load}." if sized.last_load else ".")
)

core, nodes, network_html, questions = picture(kg, version)

if questions:
    st.subheader("Try this")
    for q in questions:
        st.page_link(
            _shared.PAGES[q.page],
            label=md(q.question),
            query_params=q.params,
            icon=":material/arrow_forward:",
        )

left, right = st.columns([3, 2])
with left:
    st.subheader("The network")
    if core.whole:
        st.caption(f"The whole graph: {core.total_nodes:,} entities and {core.total_ties:,} ties.")
    else:
        st.info(
            f"The most connected part: the {len(core.hubs)} best-connected of {core.total_nodes:,} entities "
            f"and the {len(core.nodes) - len(core.hubs):,} entities that tie two of them "
            f"({len(core.nodes):,} shown, at most {OVERVIEW_LIMIT})."
        )
        if core.hubs:
            st.page_link(
                _shared.PAGES["network"],
                label=md(f"See more: the network around {nodes[0].label}"),
                query_params={"entities": core.hubs[0], "hops": "2"},
                icon=":material/hub:",
            )
    components.html(network_html, height=HEIGHT + 12)
with right:
    st.subheader("What it holds")
    kinds = pd.DataFrame({"kind": list(sized.by_kind), "entities": list(sized.by_kind.values())})
    st.altair_chart(
        alt.Chart(kinds)
        .mark_bar()
        .encode(
            x=alt.X("entities:Q", title="entities"),
            y=alt.Y("kind:N", sort="-x", title=None),
            tooltip=["kind:N", "entities:Q"],
        ),
        key="home_kinds",
        width="stretch",
    )
    st.dataframe(sized.by_source, hide_index=True, key="home_sources", width="stretch")

st.subheader("Where")


caption, spec = world(kg, version)
st.caption(caption)
if spec is not None:
    # a fresh top level: Streamlit moves the spec's tables out of "datasets" as it sends them
    st.vega_lite_chart({**spec, "datasets": dict(spec["datasets"])}, key="home_map", width="stretch")
    st.page_link(
        _shared.PAGES["map"], label="Open the map to filter by country or entity", icon=":material/public:"
    )
