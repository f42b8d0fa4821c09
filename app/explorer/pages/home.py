"""Home: a picture of what the graph holds, before anyone types anything.

The graph's size by kind and by source with the date of the last load; its network (whole when
small, else its most connected part, saying so) drawn as one SVG; the map of located entities and
their ties (above ``HOME_POINTS`` entities one dot per grid cell, ties summed per pair of
countries beyond ``MAX_TIES`` or when cells are drawn, the ``HOME_ARCS`` busiest pairs drawn);
and "try this" questions picked from the data, each a link to the page that answers it.

All of it is computed once per data version (``views/home_overview.py``), kept in memory and
beside the store, so a visit only lays it out: the picture first.

Old links to the search page (``/?entity=…``, ``/?q=…``) still open it.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import markdown_table, md
from climatekg.app.explorer.views.home_overview import HEIGHT, MAP_HEIGHT, HomeOverview, home_overview
from climatekg.app.explorer.views.overview import OVERVIEW_LIMIT
from climatekg.graph.store import Store

if "entity" in st.query_params or "q" in st.query_params:
    st.switch_page(_shared.profile_page(), query_params=st.query_params.to_dict())


@st.cache_resource(show_spinner="Preparing the overview (once per data version)…", max_entries=4)
def overview(_kg: Store, version: str) -> HomeOverview:
    """The home page's content, shared by every visit (read-only: a resource, not copied)."""
    return home_overview(_kg)


kg = _shared.store()
home = overview(kg, kg.version())
sized, core = home.size, home.core

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

if home.questions:
    st.subheader("Try this")
    for q in home.questions:
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
    components.html(home.picture, height=HEIGHT + 4)
    if core.hubs:
        st.page_link(
            _shared.PAGES["network"],
            label=md(f"See more: the network around {home.nodes[0].label}, to zoom and drag"),
            query_params={"entities": core.hubs[0], "hops": "2"},
            icon=":material/hub:",
        )
with right:
    st.subheader("What it holds")
    # Markdown tables: a chart, the data grid or an Arrow table would each load a script of its own
    st.markdown(markdown_table([{"kind": k, "entities": n} for k, n in sized.by_kind.items()], ["entities"]))
    st.markdown(markdown_table(sized.by_source, ["triples"]))

st.subheader("Where")
st.caption(home.map_caption)
if home.map_picture is not None:
    components.html(home.map_picture, height=MAP_HEIGHT + 4)
    st.page_link(
        _shared.PAGES["map"],
        label="Open the map to zoom, filter by country or entity, and see every entity",
        icon=":material/public:",
    )
