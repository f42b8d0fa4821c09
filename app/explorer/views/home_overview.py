"""Everything the home page shows, computed once per data version and kept beside the store.

On the twin-cities network the home page's parts take seconds to compute in a fresh process
(reading the projection and every located entity, laying out the picture, drawing the map's
spec); in the explorer's memory they are reused by every visit (``st.cache_resource``), and
in ``home-<version>.pkl`` beside the store (``kg.side_path``) by every later start — or by
the first visit after ``make app``, which prepares it (``python -m climatekg.app.explorer.prepare``). Every number still comes from the data: the
file is named by the data version and a load makes a new one (older files are removed).
"""

from __future__ import annotations

import contextlib
import pickle
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from climatekg.app.explorer.views.network import ViewEdge, ViewNode
from climatekg.app.explorer.views.overview import (
    HUBS,
    CoreNetwork,
    GraphSize,
    TryThis,
    core_network,
    graph_size,
    try_this,
)
from climatekg.app.explorer.views.picture import network_picture
from climatekg.app.explorer.views.svg_map import map_picture
from climatekg.app.explorer.views.world_map import (
    CELL_DEGREES,
    HOME_POINTS,
    MAX_TIES,
    MapData,
    MapTie,
    country_arcs,
    grid_cells,
    map_data,
)
from climatekg.graph.projection import projection
from climatekg.graph.projection.cache import write_versioned
from climatekg.graph.store import Store

#: Bumped when ``HomeOverview`` changes shape, so an older file is recomputed.
FORMAT = 2
#: The home map draws at most this many country pairs (the busiest); its caption says how many ties they hold.
HOME_ARCS = 300
#: The picture's height in pixels.
HEIGHT = 520
#: The map's height in pixels.
MAP_HEIGHT = 440
_MAP_CSS = "html, body { margin: 0; padding: 0; background: #ffffff; } svg { display: block; }"


@dataclass
class HomeOverview:
    """The home page's content for one data version."""

    version: str
    size: GraphSize
    core: CoreNetwork
    nodes: list[ViewNode]
    picture: str  # the network picture's HTML page
    questions: list[TryThis]
    map_caption: str
    map_picture: str | None  # the map's HTML page (an SVG), None without located entities
    format: int = FORMAT


def home_overview(kg: Store) -> HomeOverview:
    """The home page's content for ``kg``'s current data: from the file beside the store, else computed."""
    version = kg.version()
    path = kg.side_path(f"home-{version}.pkl")
    with contextlib.suppress(FileNotFoundError):
        kept = _read(path)
        if isinstance(kept, HomeOverview) and kept.format == FORMAT and kept.version == version:
            return kept
    overview = compute_overview(kg)
    write_versioned(overview, path, "home overview")
    return overview


def compute_overview(kg: Store) -> HomeOverview:
    """Compute the home page's content from the store (no file read or written)."""
    proj = projection(kg)
    core = core_network(proj)
    labels: dict[str, str] = {}

    def label(eid: str) -> str:
        if eid not in labels:
            e = kg.entity(eid)
            labels[eid] = e.label if e is not None else eid
        return labels[eid]

    nodes = []
    for eid in core.nodes:
        e = kg.entity(eid)
        nodes.append(ViewNode(eid, e.label if e else eid, e.kind.value if e else ""))
        labels[eid] = nodes[-1].label
    edges = [ViewEdge(s, o, kind) for s, kind, o in core.edges]
    caption, world = home_map(map_data(kg))
    return HomeOverview(
        version=kg.version(),
        size=graph_size(kg),
        core=core,
        nodes=nodes,
        picture=network_picture(nodes, edges, focus=_labelled(core), height=HEIGHT),
        questions=try_this(proj, label),
        map_caption=caption,
        map_picture=world,
    )


def _labelled(core: CoreNetwork) -> list[str]:
    """The entities the picture names: the best-connected few (the others name themselves on hover)."""
    degree = Counter(x for s, _, o in core.edges for x in (s, o))
    ranked = core.hubs or sorted(core.nodes, key=lambda n: (-degree[n], n))
    return ranked[: HUBS // 6]


def home_map(data: MapData) -> tuple[str, str | None]:
    """The home map's caption and picture (an HTML page holding an SVG; None without located entities).

    Above ``HOME_POINTS`` located entities one dot per ``CELL_DEGREES`` cell and ties summed per
    pair of countries; above ``MAX_TIES`` ties, summed per pair of countries too. At most the
    ``HOME_ARCS`` busiest pairs are drawn, and the caption says what share of the ties they hold.
    """
    points = list(data.points.values())
    if not points:
        return "No entity has coordinates yet.", None
    ties: list[MapTie] = []
    arcs = []
    if len(points) > HOME_POINTS or len(data.ties) > MAX_TIES:
        arcs = country_arcs(data, data.ties)
        drawn = arcs[:HOME_ARCS]
        between = sum(a.ties for a in arcs)
        shown = sum(a.ties for a in drawn)
        lines = (
            f"each line sums the ties between two countries ({len(data.ties):,} ties; {between:,} of them "
            f"between {len(arcs):,} pairs of countries"
        )
        if len(drawn) < len(arcs):
            lines += f", of which the {len(drawn):,} busiest pairs are drawn, holding {shown:,} ties"
        lines += ")"
        arcs = drawn
        if len(points) > HOME_POINTS:
            cells = grid_cells(points)
            caption = (
                f"{len(points):,} located entities (more than {HOME_POINTS:,}): each dot stands for those in "
                f"one {CELL_DEGREES:g}° cell ({len(cells):,} dots), and {lines}. The Map page draws each entity."
            )
            points = cells
        else:
            caption = f"{len(points):,} located entities; their ties are more than {MAX_TIES:,}, so {lines}."
    else:
        ties = data.ties
        caption = f"{len(points):,} located entities and their {len(ties):,} ties."
    svg = map_picture(points, ties, arcs=arcs, height=MAP_HEIGHT)
    return (
        caption,
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><style>{_MAP_CSS}</style></head><body>{svg}</body></html>',
    )


def _read(path: Path) -> object:
    try:
        with open(path, "rb") as f:
            # a file this module wrote beside the user's own store, as the projection cache is
            return pickle.load(f)  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        warnings.warn(f"ignoring unreadable home overview {path}: {exc}", stacklevel=3)
        return None
