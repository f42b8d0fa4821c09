"""The network view's HTML: offline, data as text, bounded, highlighted, navigable."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser

import pytest

from climatekg.app.explorer.views.network import (
    DIMMED,
    HIGHLIGHT_EDGE,
    KIND_STYLE,
    ViewEdge,
    ViewNode,
    merge_views,
    render_network,
    script_json,
    view_edge,
    view_node,
)
from climatekg.graph.model import EntityKind, Provenance, Relation, RelationKind

PROBES = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!-- open a comment",
    "]]> & \u2028 line separator",
]


class _Scripts(HTMLParser):
    """Collects the text of every <script> and every src/href attribute, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> _Scripts:
    p = _Scripts()
    p.feed(html)
    return p


def data_of(html: str) -> dict:
    """The JSON payload the page script holds (as the browser's JSON parser would read it)."""
    script = parse(html).scripts[-1]
    match = re.search(r"var DATA = (\{.*?\});\n", script, re.S)
    assert match, "the page script holds its data as one JSON literal"
    return json.loads(match.group(1))


def probe_view():
    nodes = [ViewNode(f"org/p{i}", label, "Organisation") for i, label in enumerate(PROBES)]
    nodes.append(ViewNode("city/a", "A", "City", title="</script>\n<b>title</b>"))
    edges = [ViewEdge("city/a", n.id, "partner_of", title="<img src=y onerror=alert(2)>") for n in nodes[:-1]]
    return nodes, edges, render_network(nodes, edges)


def test_no_label_can_close_the_script_or_open_a_comment():
    nodes, _, view = probe_view()
    parsed = parse(view.html)
    # two scripts: vis-network itself and the page script; a label that closed the script would add tags
    assert parsed.tags.count("script") == 2
    assert "img" not in parsed.tags
    page_script = parsed.scripts[-1]
    assert "</script" not in page_script.lower() and "<!--" not in page_script
    data = data_of(view.html)
    assert [n["label"] for n in data["nodes"]][: len(PROBES)] == PROBES


def test_tooltips_become_text_nodes_not_html():
    _, _, view = probe_view()
    script = parse(view.html).scripts[-1]
    assert "textContent = text" in script
    assert "innerHTML" not in script
    data = data_of(view.html)
    assert data["nodes"][-1]["title"] == "</script>\n<b>title</b>"
    assert all(e["title"] == "<img src=y onerror=alert(2)>" for e in data["edges"])


def test_script_json_escapes_markup_characters():
    text = script_json({"a": "</script><!--&\u2028\u2029"})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"a": "</script><!--&\u2028\u2029"}


def test_page_is_offline():
    _, _, view = probe_view()
    parsed = parse(view.html)
    assert parsed.links == []  # no src or href at all: vis-network is inlined
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", view.html, re.I)
    assert "cdn" not in view.html.split("<script>", 1)[0].lower()
    assert "bootstrap" not in view.html.lower()


def test_colour_shape_and_legend_by_kind():
    nodes = [ViewNode("city/a", "A", "City"), ViewNode("tech/t", "T", "Technology")]
    data = data_of(render_network(nodes, [ViewEdge("city/a", "tech/t", "demonstrates")]).html)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert (by_id["city/a"]["color"], by_id["city/a"]["shape"]) == KIND_STYLE["City"]
    assert (by_id["tech/t"]["color"], by_id["tech/t"]["shape"]) == KIND_STYLE["Technology"]
    assert [item["kind"] for item in data["legend"]] == ["City", "Technology"]
    assert data["edges"][0]["label"] == "demonstrates"
    assert set(KIND_STYLE) == {k.value for k in EntityKind}


def synthetic(n: int, seed: int = 3) -> tuple[list[ViewNode], list[ViewEdge]]:
    rng = random.Random(seed)
    nodes = [ViewNode(f"city/c{i}", f"City {i}", "City") for i in range(n)]
    edges = [
        ViewEdge(f"city/c{rng.randrange(n)}", f"city/c{rng.randrange(n)}", "partner_of") for _ in range(3 * n)
    ]
    return nodes, edges


def test_small_views_use_physics():
    nodes, edges = synthetic(50)
    view = render_network(nodes, edges)
    data = data_of(view.html)
    assert view.physics and data["options"]["physics"]["enabled"]
    assert "x" not in data["nodes"][0]


def test_large_views_get_a_python_layout_and_no_physics():
    nodes, edges = synthetic(400)
    view = render_network(nodes, edges)
    data = data_of(view.html)
    assert not view.physics and data["options"]["physics"] == {"enabled": False}
    xs = {n["x"] for n in data["nodes"]}
    assert len(xs) > 300  # positions are spread out, not stacked
    assert view.left_out == 0 and view.message is None


def test_above_the_cap_nodes_are_left_out_with_a_message():
    nodes, edges = synthetic(2100)
    view = render_network(nodes, edges, cap=2000)
    data = data_of(view.html)
    assert view.nodes_shown == len(data["nodes"]) == 2000
    assert view.left_out == 100
    assert "100" in view.message and "2,100" in view.message
    assert "hops" in view.message  # says how to narrow the view
    kept = {n["id"] for n in data["nodes"]}
    assert kept == {f"city/c{i}" for i in range(2000)}  # nearest-first order is respected
    assert all(e["from"] in kept and e["to"] in kept for e in data["edges"])


def test_highlighted_path_is_strong_and_the_rest_dimmed():
    nodes = [ViewNode(f"city/{c}", c, "City") for c in "abcd"]
    edges = [ViewEdge("city/a", "city/b", "partner_of"), ViewEdge("city/b", "city/c", "partner_of")]
    edges.append(ViewEdge("city/c", "city/d", "partner_of"))
    view = render_network(
        nodes, edges, highlight_nodes=["city/a", "city/b"], highlight_edges=[("city/b", "city/a")]
    )
    data = data_of(view.html)
    colour = {n["id"]: n["color"] for n in data["nodes"]}
    assert colour["city/a"] == KIND_STYLE["City"][0] and colour["city/c"] == DIMMED
    edge_colour = {(e["from"], e["to"]): e["color"] for e in data["edges"]}
    assert edge_colour[("city/a", "city/b")] == HIGHLIGHT_EDGE
    assert edge_colour[("city/c", "city/d")] == DIMMED


def test_a_click_opens_the_profile_with_the_as_of_date():
    view = render_network([ViewNode("city/a", "A", "City")], [], link_query={"as_of": "2015-12-31"})
    data = data_of(view.html)
    assert data["profilePage"] and data["linkQuery"] == "as_of=2015-12-31"
    script = parse(view.html).scripts[-1]
    assert 'network.on("click"' in script and "encodeURIComponent(id)" in script


def test_query_results_adapt_to_view_items():
    r = Relation(
        "city/a", RelationKind.MEMBER_OF, "initiative/x", Provenance("s", "l"), start="2015", role="first"
    )
    edge = view_edge(r)
    assert (edge.source, edge.target, edge.relation) == ("city/a", "initiative/x", "member_of")
    assert "2015" in edge.title and "first" in edge.title
    assert view_edge({"source": "a", "target": "b", "relation": "partner_of"}).relation == "partner_of"
    assert view_node({"id": "city/a", "label": "A", "kind": EntityKind.CITY}).kind == "City"
    assert view_node("city/a").id == "city/a"
    nodes, edges = merge_views([(["city/a", "city/b"], [r]), (["city/b", "city/c"], [r])])
    assert [n.id for n in nodes] == ["city/a", "city/b", "city/c"] and len(edges) == 1


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_views(n):
    nodes, edges = synthetic(n) if n else ([], [])
    view = render_network(nodes, edges)
    assert view.nodes_shown == n and "vis.Network" in view.html


# ---- the home page's SVG picture -----------------------------------------------------------------


class _Picture(HTMLParser):
    """The picture as a browser parses it: tags, node ids, tooltip texts, drawn labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.node_ids: list[str] = []
        self.titles: list[str] = []
        self.labels: list[str] = []
        self.links: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._open.append(tag)
        named = dict(attrs)
        if tag == "g" and named.get("class") == "node":
            self.node_ids.append(named["data-id"])
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag == "title":
            self.titles.append("")
        if tag == "text":
            self.labels.append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1] == "title" and self.titles:
            self.titles[-1] += data
        if self._open and self._open[-1] == "text" and self.labels:
            self.labels[-1] += data


def test_picture_draws_every_node_and_tie_with_labels_as_text():
    from climatekg.app.explorer.views.picture import network_picture

    nodes, edges, _ = probe_view()
    page = network_picture(nodes, edges, focus=[n.id for n in nodes])
    seen = _Picture()
    seen.feed(page)
    assert sorted(seen.node_ids) == sorted(n.id for n in nodes)
    assert seen.tags.count("line") == len(edges)
    assert seen.tags.count("circle") == len(nodes)
    # every focused node is labelled, long names cut (the tooltip holds them whole)
    assert sorted(seen.labels) == sorted(n.label if len(n.label) <= 24 else n.label[:23] + "…" for n in nodes)
    # the probes are text: no element they name exists, the one script is the page's own
    assert "img" not in seen.tags and seen.tags.count("script") == 1
    assert "</script>\n<b>title</b>" in seen.titles
    assert seen.titles.count("<img src=y onerror=alert(2)>") == len(edges)
    assert seen.links == []  # offline: nothing to fetch


def test_picture_labels_only_the_focus_and_leaves_out_ties_to_unknown_nodes():
    from climatekg.app.explorer.views.picture import network_picture

    nodes = [ViewNode("city/a", "A", "City"), ViewNode("city/b", "B", "City")]
    edges = [ViewEdge("city/a", "city/b", "partner_of"), ViewEdge("city/a", "city/zz", "partner_of")]
    seen = _Picture()
    seen.feed(network_picture(nodes, edges, focus=["city/b"]))
    assert seen.labels == ["B"] and seen.tags.count("line") == 1
