"""The network view: a self-contained, offline HTML page (vis-network via pyvis) for a subgraph.

Pure Python, no Streamlit: the Network page and the Paths page hand it nodes and edges and put
the returned HTML in an iframe (``st.components.v1.html``). What it guarantees:

- **Offline.** vis-network's script is inlined from the copy pyvis ships; pyvis's own template
  is not used, because every mode of it links Bootstrap (and tom-select) from a CDN. The page
  has no ``src``/``href`` pointing anywhere.
- **Data is text.** Labels are drawn on a canvas; tooltips are turned into DOM elements whose
  ``textContent`` is the title (vis-network would also take a string as ``innerText``, but
  making the element here keeps that guarantee independent of the library's version); the
  legend is built the same way. Every value reaches the page as JSON inside a ``<script>``
  with ``<``, ``>``, ``&`` and the JavaScript line separators escaped, so no label can close
  the script or open a comment.
- **Bounded.** Above ``physics_limit`` nodes the layout is computed in Python (igraph's
  Fruchterman-Reingold, ~0.1 s for 2,000 nodes) and physics is off; above ``cap`` nodes the
  rest are left out and ``message`` says how many and how to narrow the view. A browser lays
  out 1,000 nodes with physics in ~18 s and 5,000 not at all (MEASURED.md), so neither limit
  is cosmetic.
- **Navigable.** Clicking a node opens its profile page at top level
  (``profile?entity=…``), so every view links to the entity behind it.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

#: Colour and vis-network shape per entity kind (shapes with the label below the node).
KIND_STYLE: dict[str, tuple[str, str]] = {
    "City": ("#1f77b4", "dot"),
    "Place": ("#7f7f7f", "dot"),
    "Organisation": ("#ff7f0e", "square"),
    "Initiative": ("#2ca02c", "triangle"),
    "Agreement": ("#d62728", "diamond"),
    "Technology": ("#9467bd", "star"),
    "Event": ("#8c564b", "triangleDown"),
    "Person": ("#e377c2", "hexagon"),
}
UNKNOWN_STYLE = ("#bcbd22", "dot")
DIMMED = "#d9d9d9"
HIGHLIGHT_EDGE = "#e6194b"

#: Above this many nodes the layout is computed in Python and physics is off.
PHYSICS_LIMIT = 300
#: Above this many nodes the rest are left out (a browser cannot draw them usefully).
NODE_CAP = 2000
#: Above this many edges edge labels are dropped: drawing thousands of labels stalls the canvas.
EDGE_LABEL_LIMIT = 600


@dataclass(frozen=True)
class ViewNode:
    """A node to draw: ``title`` is the plain-text tooltip (newlines allowed)."""

    id: str
    label: str
    kind: str
    title: str = ""


@dataclass(frozen=True)
class ViewEdge:
    """An edge to draw; ``relation`` is its label."""

    source: str
    target: str
    relation: str
    title: str = ""


@dataclass
class NetworkView:
    """What ``render_network`` made: the page and what it had to leave out."""

    html: str
    nodes_shown: int
    edges_shown: int
    left_out: int = 0
    physics: bool = True
    message: str | None = None
    kinds: list[str] = field(default_factory=list)


def style_of(kind: str) -> tuple[str, str]:
    """(colour, shape) for an entity kind."""
    return KIND_STYLE.get(kind, UNKNOWN_STYLE)


def script_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``</script>``, ``<!--`` or ``]]>`` can form.

    >>> script_json({"label": "</script><script>alert(1)</script>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


@cache
def _vis_js() -> str:
    """vis-network's minified script as shipped inside pyvis (read once per process)."""
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    text = path.read_text(encoding="utf-8")
    # The library text never contains "</script"; if a future copy did, inlining would break the page.
    if "</script" in text.lower():
        raise RuntimeError(f"{path} contains '</script' and cannot be inlined")
    return text


def layout(node_ids: Sequence[str], edges: Iterable[tuple[str, str]], *, seed: int = 1) -> dict[str, tuple]:
    """Positions (x, y) in pixels for a physics-free view: Fruchterman-Reingold on igraph.

    The spread grows with the square root of the node count so labels keep some room.
    """
    import igraph as ig

    index = {n: i for i, n in enumerate(node_ids)}
    pairs = {(index[s], index[t]) for s, t in edges if s in index and t in index and s != t}
    g = ig.Graph(n=len(node_ids), edges=sorted(pairs))
    # igraph draws its random start from Python's random module: seed it for a stable picture.
    state = random.getstate()
    random.seed(seed)
    try:
        coords = g.layout_fruchterman_reingold(niter=300, grid="auto").coords
    finally:
        random.setstate(state)
    if not coords:
        return {}
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 55.0 * math.sqrt(len(node_ids)) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        n: (round((x - cx) * scale, 1), round((y - cy) * scale, 1))
        for n, (x, y) in zip(node_ids, coords, strict=True)
    }


def _get(obj: Any, *names: str) -> Any:
    """The first of ``names`` that ``obj`` has, as an attribute or a key."""
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


def _text(value: Any) -> str:
    return str(getattr(value, "value", value)) if value is not None else ""


def view_node(obj: Any) -> ViewNode:
    """A node of a query result (an ``Entity``, a dict or a bare id) as a ``ViewNode``."""
    if isinstance(obj, str):
        return ViewNode(obj, obj, "")
    eid = _text(_get(obj, "id"))
    label = _text(_get(obj, "label", "name")) or eid
    kind = _text(_get(obj, "kind", "type"))
    return ViewNode(eid, label, kind, _text(_get(obj, "title")))


def view_edge(obj: Any) -> ViewEdge:
    """An edge of a query result (a ``Relation``, a ``Hop``, a dict or a tuple) as a ``ViewEdge``."""
    if isinstance(obj, tuple):
        return ViewEdge(
            str(obj[0]), str(obj[2] if len(obj) > 2 else obj[1]), str(obj[1]) if len(obj) > 2 else ""
        )
    source = _text(_get(obj, "source", "subject"))
    target = _text(_get(obj, "target", "object"))
    relation = _text(_get(obj, "relation", "kind"))
    when = " – ".join(x for x in (_text(_get(obj, "start")), _text(_get(obj, "end"))) if x)
    role = _text(_get(obj, "role"))
    title = "\n".join(x for x in (relation, when, role) if x)
    return ViewEdge(source, target, relation, title)


def merge_views(
    parts: Iterable[tuple[Iterable[Any], Iterable[Any]]],
) -> tuple[list[ViewNode], list[ViewEdge]]:
    """Nodes and edges of several results (e.g. one neighbourhood per seed), without repeats.

    Nodes keep the order they first appear in, so seeds and near nodes stay ahead of the cap.
    """
    nodes: dict[str, ViewNode] = {}
    edges: dict[tuple[str, str, str], ViewEdge] = {}
    for node_items, edge_items in parts:
        for n in node_items:
            vn = view_node(n)
            nodes.setdefault(vn.id, vn)
        for e in edge_items:
            ve = view_edge(e)
            edges.setdefault((ve.source, ve.relation, ve.target), ve)
    return list(nodes.values()), list(edges.values())


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def render_network(
    nodes: Sequence[ViewNode],
    edges: Sequence[ViewEdge],
    *,
    highlight_nodes: Iterable[str] = (),
    highlight_edges: Iterable[tuple[str, str]] = (),
    focus: Iterable[str] = (),
    physics_limit: int = PHYSICS_LIMIT,
    cap: int = NODE_CAP,
    height: int = 620,
    link_query: dict[str, str] | None = None,
    profile_page: str = "./",
    narrow_hint: str = "lower the hops or filter by kind or relation",
) -> NetworkView:
    """Build the HTML page of a network view.

    ``nodes`` should come nearest-first (seeds, then one hop, …): when there are more than
    ``cap`` the first ``cap`` are kept. ``highlight_nodes``/``highlight_edges`` (unordered
    pairs) are drawn strong and everything else dimmed (a chosen path); ``focus`` nodes are
    drawn larger (the entities the view is about). ``link_query`` is added to the profile link
    a click opens (e.g. ``{"as_of": "2015-12-31"}``).

    Examples:
        >>> view = render_network([ViewNode("city/a", "A", "City")], [])
        >>> view.nodes_shown, view.physics, "http" in view.html.split("<script>")[0]
        (1, True, False)
    """
    from pyvis.network import Network

    left_out = max(0, len(nodes) - cap)
    kept = list(nodes[:cap])
    ids = {n.id for n in kept}
    kept_edges = [e for e in edges if e.source in ids and e.target in ids]
    physics = len(kept) <= physics_limit
    lit_nodes, lit_edges = set(highlight_nodes), {_pair(a, b) for a, b in highlight_edges}
    dim = bool(lit_nodes or lit_edges)
    focused = set(focus)

    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    positions = {} if physics else layout([n.id for n in kept], [(e.source, e.target) for e in kept_edges])
    colours, shapes, sizes, labels, titles = [], [], [], [], []
    for n in kept:
        colour, shape = style_of(n.kind)
        colours.append(DIMMED if dim and n.id not in lit_nodes else colour)
        shapes.append(shape)
        sizes.append(26 if n.id in focused or n.id in lit_nodes else 14)
        labels.append(n.label or n.id)
        titles.append(n.title or f"{n.label}\n{n.kind} · {n.id}")
    extra: dict[str, list[Any]] = {}
    if positions:
        extra = {"x": [positions[n.id][0] for n in kept], "y": [positions[n.id][1] for n in kept]}
    # pyvis's add_nodes turns number-like ids into ints; ours are always "kind/slug" strings.
    net.add_nodes(
        [n.id for n in kept], label=labels, title=titles, color=colours, shape=shapes, size=sizes, **extra
    )
    net.add_edges([(e.source, e.target) for e in kept_edges])
    show_labels = len(kept_edges) <= EDGE_LABEL_LIMIT
    for spec, edge in zip(kept_edges, net.edges, strict=True):
        lit = _pair(spec.source, spec.target) in lit_edges
        edge["title"] = spec.title or spec.relation
        if show_labels:
            edge["label"] = spec.relation
        edge["color"] = HIGHLIGHT_EDGE if lit else (DIMMED if dim else "#8c8c8c")
        edge["width"] = 4 if lit else 1
    for node in net.nodes:
        # pyvis adds a font colour of False by default; vis-network reads that as "no colour".
        node.pop("font", None)
        if node["id"] in lit_nodes or node["id"] in focused:
            node["font"] = {"size": 16, "bold": True}
    kinds = sorted({n.kind for n in kept})
    options = _options(physics, len(kept))
    message = None
    if left_out:
        message = (
            f"Showing {len(kept):,} of {len(nodes):,} entities: {left_out:,} were left out to keep the "
            f"page responsive. To see them, {narrow_hint}."
        )
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "legend": [{"kind": k, "colour": style_of(k)[0], "shape": style_of(k)[1]} for k in kinds],
        "profilePage": profile_page,
        "linkQuery": urlencode(link_query or {}),
        "physics": physics,
    }
    return NetworkView(
        html=_page(payload, height),
        nodes_shown=len(kept),
        edges_shown=len(kept_edges),
        left_out=left_out,
        physics=physics,
        message=message,
        kinds=kinds,
    )


def _options(physics: bool, n: int) -> dict[str, Any]:
    base: dict[str, Any] = {
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        # long names wrap instead of running over their neighbours
        "nodes": {
            "font": {"size": 13, "face": "sans-serif"},
            "borderWidth": 1,
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#555555", "strokeWidth": 3},
            "smooth": {"enabled": physics, "type": "dynamic"},
        },
    }
    if physics:
        base["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 250, "fit": True},
        }
    else:
        base["physics"] = {"enabled": False}
        base["layout"] = {"improvedLayout": False}
        # Thousands of nodes: hide labels when zoomed out, or the canvas is a smear of text.
        base["nodes"]["scaling"] = {"label": {"enabled": True, "drawThreshold": 9}}
    return base


_CSS = """
html, body { margin: 0; padding: 0; font-family: sans-serif; background: #ffffff; }
#network { width: 100%; height: HEIGHTpx; border: 1px solid #e0e0e0; box-sizing: border-box; }
#legend { position: absolute; top: 8px; left: 8px; background: rgba(255,255,255,0.9);
          border: 1px solid #e0e0e0; border-radius: 4px; padding: 4px 8px; font-size: 12px; }
#legend div { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
#legend span.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; }
#status { position: absolute; bottom: 6px; right: 10px; font-size: 11px; color: #888888; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px; white-space: pre-line;
          font-size: 12px; color: #222222; background: #fffff0; border: 1px solid #999999;
          border-radius: 3px; box-shadow: 2px 2px 6px rgba(0,0,0,0.2); pointer-events: none;
          max-width: 420px; z-index: 10; }
"""

# The page script: everything it shows comes from DATA (escaped JSON) and reaches the DOM as text.
_SCRIPT = """
(function () {
  var DATA = JSON_DATA;
  function textElement(text) {
    var el = document.createElement("div");
    el.textContent = text;
    return el;
  }
  DATA.nodes.forEach(function (n) { if (typeof n.title === "string") n.title = textElement(n.title); });
  DATA.edges.forEach(function (e) { if (typeof e.title === "string") e.title = textElement(e.title); });
  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (item) {
    var row = document.createElement("div");
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = item.colour;
    var name = document.createElement("span");
    name.textContent = item.kind + " (" + item.shape + ")";
    row.appendChild(swatch);
    row.appendChild(name);
    legend.appendChild(row);
  });
  var status = document.getElementById("status");
  var container = document.getElementById("network");
  var data = { nodes: new vis.DataSet(DATA.nodes), edges: new vis.DataSet(DATA.edges) };
  // The data is set after the handlers: a small graph can stabilise before a later handler exists.
  var network = new vis.Network(container, { nodes: [], edges: [] }, DATA.options);
  window.ckgNetwork = network;
  function stable() {
    if (window.ckgStable) return;
    window.ckgStable = true;
    if (DATA.physics) network.setOptions({ physics: { enabled: false } });
    document.body.setAttribute("data-stable", "true");
    status.textContent = DATA.nodes.length + " nodes, " + DATA.edges.length + " edges";
  }
  if (DATA.physics) {
    status.textContent = "laying out…";
    network.once("stabilizationIterationsDone", stable);
    network.once("stabilized", stable);
  } else {
    network.once("afterDrawing", stable);
  }
  network.setData(data);
  function openProfile(id) {
    var query = "entity=" + encodeURIComponent(id) + (DATA.linkQuery ? "&" + DATA.linkQuery : "");
    var url = DATA.profilePage + "?" + query;
    try {
      // An anchor in the parent document navigates the top-level page (the app lives there);
      // the iframe itself may not navigate its parent under Streamlit's sandbox.
      var doc = window.parent.document;
      var a = doc.createElement("a");
      a.href = url;
      a.target = "_self";
      a.style.display = "none";
      doc.body.appendChild(a);
      a.click();
      doc.body.removeChild(a);
    } catch (err) {
      window.open(url, "_blank", "noopener");
    }
  }
  network.on("click", function (params) {
    if (params.nodes && params.nodes.length === 1) openProfile(params.nodes[0]);
  });
})();
"""


def _page(payload: dict[str, Any], height: int) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>climatekg network</title>"
        f"<style>{_CSS.replace('HEIGHT', str(int(height)))}</style>"
        f"<script>{_vis_js()}</script>"
        '</head><body><div style="position: relative">'
        '<div id="network"></div><div id="legend"></div><div id="status"></div></div>'
        f"<script>{_SCRIPT.replace('JSON_DATA', script_json(payload))}</script>"
        "</body></html>"
    )
