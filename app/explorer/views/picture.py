"""The home page's network picture: one SVG drawn in Python, no JavaScript library to load.

Why not the interactive view (``views/network.py``): its page inlines vis-network (~470 kB of
script) that the browser parses and runs on every visit before anything is drawn; the home page
must show its picture within a few seconds on a busy machine. An SVG of a few hundred nodes is
drawn as soon as it arrives. The layout is the same Python layout the interactive view uses
above its physics limit (igraph's Fruchterman-Reingold, seeded), so the picture is stable.

What it keeps from the interactive view: colour per entity kind and a legend, a tooltip per node
and tie (SVG ``<title>``, shown as text), a click on a node opens its profile at top level.
Every label and id is escaped (``html.escape``) before it joins the markup; the one script reads
ids back from the elements' attributes, never from pasted text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from climatekg.app.explorer.views.network import ViewEdge, ViewNode, layout, style_of

#: Margin around the drawing, in layout pixels.
MARGIN = 40.0
#: Drawn labels are cut to this many characters (the tooltip has the whole name).
LABEL_CHARS = 24

_CLICK = """
document.querySelectorAll("g.node").forEach(function (g) {
  g.addEventListener("click", function () {
    var url = "profile?entity=" + encodeURIComponent(g.getAttribute("data-id"));
    try {
      // an anchor in the parent document navigates the app's page (the iframe may not)
      var doc = window.parent.document;
      var a = doc.createElement("a");
      a.href = url; a.target = "_self"; a.style.display = "none";
      doc.body.appendChild(a); a.click(); doc.body.removeChild(a);
    } catch (err) { window.open(url, "_blank", "noopener"); }
  });
});
window.ckgPicture = document.querySelectorAll("g.node").length;
"""

_CSS = """
html, body { margin: 0; padding: 0; font-family: sans-serif; background: #ffffff; }
svg { display: block; border: 1px solid #e0e0e0; box-sizing: border-box; }
g.node { cursor: pointer; }
g.node text { fill: #222222; paint-order: stroke; stroke: #ffffff; stroke-width: 0.25em; }
#legend { position: absolute; top: 8px; left: 8px; background: rgba(255,255,255,0.9);
          border: 1px solid #e0e0e0; border-radius: 4px; padding: 4px 8px; font-size: 12px; }
#legend div { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
#legend span.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 6px; }
"""


def network_picture(
    nodes: Sequence[ViewNode], edges: Sequence[ViewEdge], *, focus: Iterable[str] = (), height: int = 520
) -> str:
    """A self-contained HTML page holding an SVG picture of ``nodes`` and ``edges``.

    ``focus`` nodes are drawn larger and labelled; the others show their label as a tooltip.

    Examples:
        >>> page = network_picture([ViewNode("city/a", "A<b>", "City")], [], focus=["city/a"])
        >>> page.count('class="node"'), "A&lt;b&gt;" in page, "<b>" in page
        (1, True, False)
    """
    ids = [n.id for n in nodes]
    known = set(ids)
    drawn = [e for e in edges if e.source in known and e.target in known and e.source != e.target]
    pos = layout(ids, [(e.source, e.target) for e in drawn])
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    left, top = min(xs) - MARGIN, min(ys) - MARGIN
    width, tall = max(xs) - left + MARGIN, max(ys) - top + MARGIN
    focused = set(focus)
    # sizes in layout units per screen pixel (the drawing fits the height), so text stays readable
    unit = max(width, tall) / height
    # room on the right for the labels drawn beside the rightmost nodes (~0.6 em per character)
    ends = [pos[n.id][0] + (11 + 7.5 * len(_short(n.label or n.id))) * unit for n in nodes if n.id in focused]
    width = max([width, *(e - left + MARGIN for e in ends)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{int(height)}" font-size="{12 * unit:.1f}" '
        f'viewBox="{left:.1f} {top:.1f} {width:.1f} {tall:.1f}" role="img" '
        f'aria-label="network of {len(nodes)} entities and {len(drawn)} ties">',
        f'<g stroke="#8c8c8c" stroke-opacity="0.6" stroke-width="{unit:.2f}">',
    ]
    for e in drawn:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"><title>{escape(e.title or e.relation)}</title></line>'
        )
    parts.append("</g>")
    # focused nodes last, so their labels sit on top
    for n in sorted(nodes, key=lambda n: n.id in focused):
        x, y = pos[n.id]
        colour, _ = style_of(n.kind)
        big = n.id in focused
        label = escape(_short(n.label or n.id))
        tip = escape(n.title or f"{n.label}\n{n.kind} · {n.id}")
        parts.append(
            f'<g class="node" data-id="{escape(n.id)}"><title>{tip}</title>'
            f'<circle cx="{x}" cy="{y}" r="{(9 if big else 5) * unit:.1f}" fill="{colour}"/>'
            + (f'<text x="{x + 11 * unit:.1f}" y="{y + 4 * unit:.1f}">{label}</text>' if big else "")
            + "</g>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<div><span class="swatch" style="background:{style_of(k)[0]}"></span><span>{escape(k)}</span></div>'
        for k in sorted({n.kind for n in nodes})
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>climatekg network</title>'
        f'<style>{_CSS}</style></head><body><div style="position: relative">{"".join(parts)}'
        f'<div id="legend">{legend}</div></div><script>{_CLICK}</script></body></html>'
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
