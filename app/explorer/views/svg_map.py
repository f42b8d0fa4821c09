"""The home page's and the Map page's map as one SVG drawn in Python: land, ties and dots, no chart library.

Why not a Vega-Lite map (``views/world_map.map_chart``): Streamlit loads ~780 kB of Vega script
and Vega computes every shape in the browser on every visit (6-9 s for the ~17,700 twin cities);
the SVG is drawn once per data version and choice and shown within seconds. Here the bundled land outline (the same Natural Earth TopoJSON) is
decoded and projected once per data version, in Python, on the Equal Earth projection (the Map
Vega map's too; formulas of Šavrič, Patterson and Jenny 2018, as in d3-geo). Ties are great-circle
arcs sampled every few degrees and cut where they cross the map's edge. Every name reaches the
SVG escaped (``html.escape``), as a tooltip (``<title>``) only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from climatekg.app.explorer.views.network import style_of
from climatekg.app.explorer.views.world_map import CountryArc, MapPoint, MapTie, world_land

# Equal Earth's polynomial coefficients
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
#: Pixels per projected unit: the whole world is ~5.4 units wide.
SCALE = 170.0
#: An arc is sampled about every this many degrees of its length.
ARC_STEP = 3.0
_CSS = "html, body { margin: 0; padding: 0; background: #ffffff; } svg { display: block; }"


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth coordinates in SVG pixels (y downwards), the map centred on longitude 0.

    >>> equal_earth(0.0, 0.0)
    (0.0, -0.0)
    >>> x, y = equal_earth(180.0, 0.0); round(x)
    460
    """
    lam, phi = math.radians(lon), math.radians(lat)
    t = math.asin(_M * math.sin(phi))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = lam * math.cos(t) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = t * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return round(x * SCALE, 1), round(-y * SCALE, 1)


def land_rings(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The land's polygon rings as (lon, lat) lists, decoded from quantised, delta-coded TopoJSON."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x, y = x + qx, y + qy
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)  # consecutive arcs share an end point
        return out

    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for r in polygon:
                rings.extend(_across_the_edge(ring(r)))
    return rings


def _across_the_edge(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses ±180° (Fiji, Chukotka) made continuous, once on each side of the map.

    Drawn as it is, it would run a line across the whole map; the two copies are clipped to
    the map's outline, so each side shows its part.
    """
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False)):
        return [ring]
    shift = 0.0
    flat = [ring[0]]
    for (lon0, _), (lon1, lat1) in zip(ring, ring[1:], strict=False):
        if lon1 - lon0 > 180:
            shift -= 360
        elif lon0 - lon1 > 180:
            shift += 360
        flat.append((lon1 + shift, lat1))
    back = -360.0 if sum(lon for lon, _ in flat) / len(flat) > 0 else 360.0
    return [flat, [(lon + back, lat) for lon, lat in flat]]


def great_circle(a: tuple[float, float], b: tuple[float, float]) -> list[list[tuple[float, float]]]:
    """Points (lon, lat) along the great circle from ``a`` to ``b``, split where it crosses ±180°."""
    (lon1, lat1), (lon2, lat2) = a, b
    p1 = _unit(lon1, lat1)
    p2 = _unit(lon2, lat2)
    angle = math.acos(max(-1.0, min(1.0, sum(u * v for u, v in zip(p1, p2, strict=True)))))
    steps = max(1, math.ceil(math.degrees(angle) / ARC_STEP))
    points = []
    for k in range(steps + 1):
        f = k / steps
        if angle < 1e-9:
            v = p1
        else:
            s1, s2 = math.sin((1 - f) * angle) / math.sin(angle), math.sin(f * angle) / math.sin(angle)
            v = (s1 * p1[0] + s2 * p2[0], s1 * p1[1] + s2 * p2[1], s1 * p1[2] + s2 * p2[2])
        points.append(
            (math.degrees(math.atan2(v[1], v[0])), math.degrees(math.atan2(v[2], math.hypot(v[0], v[1]))))
        )
    pieces = [[points[0]]]
    for prev, cur in zip(points, points[1:], strict=False):
        if abs(cur[0] - prev[0]) > 180:
            pieces.append([])
        pieces[-1].append(cur)
    return [p for p in pieces if len(p) > 1]


def _unit(lon: float, lat: float) -> tuple[float, float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def _path(points: Iterable[tuple[float, float]], close: bool = False) -> str:
    xy = [equal_earth(lon, lat) for lon, lat in points]
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in xy) + ("Z" if close else "")


def map_document(svg: str) -> str:
    """An HTML page holding ``svg`` alone, for ``streamlit.components.v1.html``."""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><style>{_CSS}</style></head>'
        f"<body>{svg}</body></html>"
    )


def map_picture(
    points: Sequence[MapPoint],
    ties: Sequence[MapTie],
    *,
    arcs: Sequence[CountryArc] = (),
    height: int = 420,
    highlight: Iterable[str] = (),
    tie_labels: dict[str, str] | None = None,
    link: str | None = None,
) -> str:
    """An SVG of the world with ``points`` as dots and ``ties``/``arcs`` as great-circle lines.

    ``highlight``'s dots are drawn larger and outlined; a tie through a hub names it
    (``tie_labels``: hub id → label); with ``link`` (e.g. ``"profile?entity="``) each dot opens
    that address plus its id in a new tab.

    Examples:
        >>> svg = map_picture([MapPoint("city/a", "A & B", "City", "FR", 48.9, 2.35)], [])
        >>> svg.count("<circle"), "A &amp; B" in svg
        (1, True)
    """
    by_id = {p.id: p for p in points}
    lit = set(highlight)
    hubs = tie_labels or {}
    width, top = equal_earth(180.0, 0.0)[0], -equal_earth(0.0, 90.0)[1]
    sphere = [(-180.0, lat) for lat in range(-90, 91, 5)] + [(180.0, lat) for lat in range(90, -91, -5)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{int(height)}" '
        f'viewBox="{-width - 4:g} {-top - 4:g} {2 * width + 8:g} {2 * top + 8:g}" role="img" '
        f'aria-label="map of {len(points)} places and {len(ties) + len(arcs)} ties">',
        f'<clipPath id="sphere"><path d="{_path(sphere, close=True)}"/></clipPath>',
        f'<path d="{_path(sphere, close=True)}" fill="#f3f8fc" stroke="#c8d6e0" stroke-width="0.6"/>',
        '<path clip-path="url(#sphere)" fill="#e4e4de" stroke="#b9b9b0" stroke-width="0.4" d="'
        + "".join(_path(r, close=True) for r in land_rings(world_land()))
        + '"/>',
        '<g fill="none" stroke="#d9480f" stroke-opacity="0.55" stroke-width="1">',
    ]
    lines: list[tuple[tuple[float, float], tuple[float, float], str]] = []
    for t in ties:
        pa, pb = by_id.get(t.a), by_id.get(t.b)
        if pa is not None and pb is not None:
            via = f" via {hubs.get(t.via, t.via)}" if t.via else ""
            lines.append(((pa.lon, pa.lat), (pb.lon, pb.lat), f"{pa.label} — {pb.label}: {t.relation}{via}"))
    lines += [(arc.a_lonlat, arc.b_lonlat, f"{arc.a} — {arc.b}: {arc.ties:,} ties") for arc in arcs]
    for a, b, tip in lines:
        d = "".join(_path(piece) for piece in great_circle(a, b))
        if d:
            parts.append(f'<path d="{d}"><title>{escape(tip)}</title></path>')
    parts.append('</g><g stroke="#ffffff" stroke-width="0.5">')
    for p in sorted(points, key=lambda p: p.id in lit):  # highlighted dots last, on top
        x, y = equal_earth(p.lon, p.lat)
        tip = escape(f"{p.label}\n{p.kind} · {p.country}" if p.country else f"{p.label}\n{p.kind}")
        size = ' r="6" stroke="#000000" stroke-width="1.5"' if p.id in lit else ' r="2.6"'
        dot = (
            f'<circle cx="{x:g}" cy="{y:g}"{size} fill="{style_of(p.kind)[0]}"><title>{tip}</title></circle>'
        )
        if link is not None:
            dot = f'<a href="{escape(link + quote(p.id, safe=""))}" target="_blank">{dot}</a>'
        parts.append(dot)
    parts.append("</g></svg>")
    return "".join(parts)
