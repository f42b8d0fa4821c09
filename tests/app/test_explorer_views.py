"""The explorer's pure helpers: escaping, as-of filtering, the map, import previews, SPARQL limits."""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import pytest
from conftest import TWIN_CITIES_GEO

from climatekg.app.explorer.views.as_of import filter_profile, parse_as_of, valid_on
from climatekg.app.explorer.views.formatting import md, relation_rows, to_csv
from climatekg.app.explorer.views.import_preview import preview_batch
from climatekg.app.explorer.views.sparql_console import run_limited
from climatekg.app.explorer.views.timeline import timeline_items
from climatekg.app.explorer.views.world_map import (
    MapPoint,
    select_ties,
    ties_from_relations,
    world_land,
)
from climatekg.graph.model import EntityKind, Relation, normalise_name
from climatekg.loaders.curated import load_curated
from climatekg.queries.resolve import describe


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "![t](http://example.com/t.png)",
        "[link](javascript:alert(1))",
        ":red[coloured] $x^2$ **bold** _it_ `code` # heading",
        "line one\n\n- a list",
    ],
)
def test_md_leaves_no_markup_active(text):
    escaped = md(text)
    # every markup character is escaped: none appears without a backslash before it
    for i, ch in enumerate(escaped):
        if ch in "<>[]()!*_`#$:":
            assert escaped[i - 1] == "\\", (text, escaped)
    assert "\n" not in escaped
    # removing the escapes gives the text back (newlines folded)
    assert escaped.replace("\\", "").replace("\u2060", "") == " ".join(text.replace("\\", "").split())


def test_as_of_parsing_and_validity_match_the_model():
    assert parse_as_of("2015-12-31") == "2015-12-31"
    for bad in ("2015", "2015-02-30", "x", "", None, "2015-12-31<script>"):
        assert parse_as_of(bad) is None
    from climatekg.graph.model import Provenance, RelationKind

    for start, end, day in [
        ("2015", None, "2015-01-01"),
        ("2016", None, "2015-12-31"),
        (None, "2015-06", "2015-07-01"),
    ]:
        r = Relation("a", RelationKind.PARTNER_OF, "b", Provenance("s", "l"), start=start, end=end)
        assert valid_on(start, end, day) == r.valid_on(day)


def test_profile_rows_and_as_of_filter(bundled_kg):
    p = describe(bundled_kg, "city/shenzhen")
    before = filter_profile(p, "2014-12-31")
    after = filter_profile(p, "2016-01-01")
    members = [r["other"] for r in after["relations"].get("member_of", [])]
    assert "initiative/ccucc" in members  # member since 2015
    assert "initiative/ccucc" not in [r["other"] for r in before["relations"].get("member_of", [])]
    rows = relation_rows(after["relations"]["member_of"])
    assert rows[0]["when"] == "from 2015" and rows[0]["role"] == "first cohort"
    assert filter_profile(p, None) is p


def test_csv_download_round_trips():
    rows = [{"a": "x,y", "b": ["p", "q"], "c": None}]
    text = to_csv(rows).decode("utf-8")
    assert list(csv.DictReader(text.splitlines())) == [{"a": "x,y", "b": "p; q", "c": ""}]


def test_timeline_items_use_the_first_day_of_partial_dates():
    items = timeline_items(
        [("agreement/m", "Agreement", "MOU", "2015-12")],
        [("city/s", "member_of", "initiative/c", "2015", None, "first cohort")],
        {"city/s": "Shenzhen", "initiative/c": "CCUCC"},
    )
    assert [(i.start, i.label) for i in items] == [
        ("2015-01-01", "Shenzhen member_of CCUCC"),
        ("2015-12-01", "MOU"),
    ]


# ---- the map ------------------------------------------------------------------------------


def test_world_outline_is_bundled_topojson():
    land = world_land()
    assert land["type"] == "Topology" and "land" in land["objects"]
    assert (Path(__file__).parents[2] / "app" / "explorer" / "static" / "world-land-110m.NOTICE.txt").exists()


def _points(*rows):
    return {r[0]: MapPoint(r[0], r[0], "City", r[1], r[2], r[3]) for r in rows}


def test_ties_direct_and_through_small_hubs():
    points = _points(("city/sf", "United States", 37.7, -122.4), ("city/sz", "China", 22.5, 114.0))
    points |= _points(("city/la", "United States", 34.0, -118.2))
    rels = [
        ("city/sf", "party_to", "agreement/sister"),
        ("city/sz", "party_to", "agreement/sister"),
        ("city/la", "partner_of", "city/sz"),
        ("city/la", "member_of", "initiative/big"),
    ]
    data = ties_from_relations(points, rels)
    assert {(t.a, t.b, t.via) for t in data.ties} == {
        ("city/sf", "city/sz", "agreement/sister"),
        ("city/la", "city/sz", None),
    }
    many = [(f"city/m{i}", "member_of", "initiative/huge") for i in range(50)]
    crowd = _points(*[(f"city/m{i}", "X", 0.0, float(i)) for i in range(50)])
    assert ties_from_relations(crowd, many, hub_limit=40).skipped_hubs == 1
    ties, left = select_ties(data, from_countries=["United States"], to_countries=["China"], limit=1)
    assert len(ties) == 1 and left == 1
    ties, _ = select_ties(data, entity="city/sf")
    assert [t.via for t in ties] == ["agreement/sister"]


def test_map_picture_is_offline_escaped_and_draws_every_tie_and_dot():
    from climatekg.app.explorer.views.svg_map import map_picture

    points = _points(("city/sf", "United States", 37.7, -122.4), ("city/sz", "China", 22.5, 114.0))
    points["city/x"] = MapPoint("city/x", "<b>X</b> & Y", "City", "France", 48.9, 2.35)
    data = ties_from_relations(
        points, [("city/sf", "party_to", "agreement/a"), ("city/sz", "party_to", "agreement/a")]
    )
    svg = map_picture(
        list(points.values()),
        data.ties,
        highlight=["city/sz"],
        tie_labels={"agreement/a": "<i>Pact</i>"},
        link="profile?entity=",
    )
    # no address to fetch: the only URL is the SVG namespace, an identifier
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert svg.count("<circle") == 3
    assert svg.count('r="6"') == 1  # the highlighted dot
    titles = re.findall(r"<path d=\"[^\"]+\"><title>([^<]*)</title>", svg)
    assert titles == ["city/sf — city/sz: party_to via &lt;i&gt;Pact&lt;/i&gt;"]
    assert "&lt;b&gt;X&lt;/b&gt; &amp; Y" in svg and "<b>" not in svg and "<i>" not in svg
    assert 'href="profile?entity=city%2Fsf" target="_blank"' in svg


def test_map_data_of_the_twin_cities_matches_the_csv(twin_kg):
    """Every geocoded CSV row between two different cities is a tie on the map (second method: the CSV)."""
    from climatekg.app.explorer.views.world_map import map_data

    data = map_data(twin_kg)
    pairs = set()
    with open(TWIN_CITIES_GEO, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a = (normalise_name(row["city1"]), normalise_name(row["country1"]))
            b = (normalise_name(row["city2"]), normalise_name(row["country2"]))
            if a != b:
                pairs.add(frozenset((a, b)))
    via_agreement = [t for t in data.ties if t.via and t.via.startswith("agreement/sister-city")]
    assert len(via_agreement) == pytest.approx(len(pairs), rel=0.01)
    us = [p for p in data.points.values() if p.country == "United States"]
    assert us and all(-180 <= p.lon <= 180 and -90 <= p.lat <= 90 for p in us)
    ties, _ = select_ties(data, from_countries=["United States"], to_countries=["China"])
    assert ties and all(
        {data.points[t.a].country, data.points[t.b].country} == {"United States", "China"} for t in ties
    )
    assert not any(math.isnan(p.lat) for p in data.points.values())


# ---- import previews ----------------------------------------------------------------------


def test_preview_compares_with_the_stored_source(bundled_kg, tmp_path):
    first = tmp_path / "partners.csv"
    first.write_text("kind,label\nCity,Alpha\nCity,Beta\n", encoding="utf-8")
    bundled_kg.load(load_curated(first, store=bundled_kg))
    first.write_text("kind,label\nCity,Beta\nCity,Gamma\n", encoding="utf-8")
    preview = preview_batch(bundled_kg, load_curated(first, store=bundled_kg))
    assert preview.replaces
    assert preview.entities_added == ["city/gamma"] and preview.entities_removed == ["city/alpha"]
    assert preview.entities_kept == 1
    new = tmp_path / "fresh.csv"
    new.write_text("kind,label\nCity,Delta\n", encoding="utf-8")
    fresh = preview_batch(bundled_kg, load_curated(new, store=bundled_kg))
    assert not fresh.replaces and fresh.entities_added == ["city/delta"]


# ---- SPARQL with limits -------------------------------------------------------------------


def test_sparql_limits_are_explicit(bundled_kg):
    ok = run_limited(bundled_kg, "SELECT ?s WHERE { ?s a ?c } LIMIT 3", timeout=30)
    assert ok.error is None and len(ok.rows) == 3 and ok.variables == ["s"]
    big = run_limited(bundled_kg, "SELECT * WHERE { ?s ?p ?o }", max_results=10, timeout=30)
    assert big.rows == [] and "more than 10 rows" in big.error
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    timed = run_limited(bundled_kg, slow, timeout=1)
    assert "time limit of 1 s" in timed.error
    assert "read-only" in run_limited(bundled_kg, "DELETE WHERE { ?s ?p ?o }").error
    assert "SERVICE" in run_limited(bundled_kg, "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }").error
    ask = run_limited(bundled_kg, "ASK { ?s ?p ?o }", timeout=30)
    assert ask.boolean is True
    graph = run_limited(bundled_kg, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 2", timeout=30)
    assert graph.turtle and graph.error is None


# ---- reviewing extracted facts --------------------------------------------------------------

NEWS = (
    "The Green Harbour Foundation and the City of Northbridge (the Parties) signed a "
    "Memorandum of Understanding (MOU) at the Clean Cities Summit in Paris."
)


def test_review_accepts_edits_and_rejects(bundled_kg, tmp_path):
    from climatekg.app.review.decisions import review_rows, reviewed_batch
    from climatekg.graph.errors import LoadError
    from climatekg.graph.model import Source
    from climatekg.loaders.common import known_kinds
    from climatekg.loaders.text import Gazetteer, extract

    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    ex = extract(NEWS, Gazetteer.from_entities(bundled_kg.entities()), source_id="extracted-news")
    entities, relations = review_rows(ex, lambda eid: eid)
    assert len(relations) == len(ex.relations) and all(r["decision"] == "accept" for r in relations)
    source = Source("extracted-news", "news.txt", "text")
    held = next(r for r in relations if r["kind"] == "held_in")
    held["decision"] = "reject"
    signed = next(r for r in relations if r["kind"] == "signed_at")
    signed["start"] = "2015-12"
    batch = reviewed_batch(ex, entities, relations, source=source, path=path, known=known_kinds(bundled_kg))
    assert len(batch.relations) == len(relations) - 1
    assert next(r for r in batch.relations if r.kind.value == "signed_at").start == "2015-12"
    assert all(r.provenance.status == "curated" and r.provenance.quote for r in batch.relations)
    # rejecting an entity skips the relations that need it; an edit to an unknown entity is refused
    summit = next(e for e in entities if e["label"] == "Clean Cities Summit")
    needing = [r for r in batch.relations if summit["id"] in (r.subject, r.object)]
    assert needing
    summit["decision"] = "reject"
    without = reviewed_batch(ex, entities, relations, source=source, path=path, known=known_kinds(bundled_kg))
    assert [r for r in batch.relations if r not in needing] == without.relations
    summit["decision"] = "accept"
    original_object = signed["object"]
    signed["object"] = "event/atlantis-summit"
    with pytest.raises(LoadError, match="atlantis-summit"):
        reviewed_batch(ex, entities, relations, source=source, path=path, known=known_kinds(bundled_kg))
    signed["object"] = original_object
    signed["start"] = "December"
    with pytest.raises(LoadError, match="YYYY"):
        reviewed_batch(ex, entities, relations, source=source, path=path, known=known_kinds(bundled_kg))
    signed["start"] = ""
    report = bundled_kg.load(
        reviewed_batch(ex, entities, relations, source=source, path=path, known=known_kinds(bundled_kg))
    )
    assert report.changed and bundled_kg.entity("org/green-harbour-foundation") is not None


# ---- the home page's picture ----------------------------------------------------------------


def _graph(kg):
    import networkx as nx

    G = nx.Graph()
    G.add_edges_from((r.subject, r.object) for r in kg.relations() if r.subject != r.object)
    return G


def test_core_network_is_the_hubs_and_what_ties_them(bundled_kg):
    from climatekg.app.explorer.views.overview import core_network
    from climatekg.graph.projection import projection

    G = _graph(bundled_kg)
    hubs = sorted(G, key=lambda n: (-G.degree(n), n))[:3]
    ties_to_hubs = {n: sum(1 for h in hubs if G.has_edge(n, h)) for n in G if n not in hubs}
    joiners = sorted((n for n, c in ties_to_hubs.items() if c >= 2), key=lambda n: (-ties_to_hubs[n], n))
    core = core_network(projection(bundled_kg), limit=10, hubs=3)
    assert not core.whole and core.total_nodes == G.number_of_nodes()
    assert core.hubs == hubs
    assert core.nodes == hubs + joiners[:7]
    expected_ties = {frozenset(e) for e in G.subgraph(core.nodes).edges}
    assert {frozenset((s, o)) for s, _, o in core.edges} == expected_ties


def test_whole_graph_when_small(bundled_kg):
    from climatekg.app.explorer.views.overview import core_network
    from climatekg.graph.projection import projection

    G = _graph(bundled_kg)
    core = core_network(projection(bundled_kg))
    assert core.whole and set(core.nodes) == set(G) and core.hubs == []


def test_distant_actors_are_as_far_apart_as_the_hop_limit_allows(bundled_kg):
    import networkx as nx

    from climatekg.app.explorer.views.overview import PATH_HOPS, distant_actors
    from climatekg.graph.projection import projection

    G = _graph(bundled_kg)
    a, b = distant_actors(projection(bundled_kg))
    actors = {e.id for kind in (EntityKind.CITY, EntityKind.ORGANISATION) for e in bundled_kg.entities(kind)}
    assert a in actors and b in actors
    reach = nx.single_source_shortest_path_length(G, a, cutoff=PATH_HOPS)
    assert reach[b] == max(d for n, d in reach.items() if n in actors)


def test_try_this_names_a_page_and_its_parameters(bundled_kg):
    from climatekg.app.explorer.views.overview import try_this
    from climatekg.graph.projection import projection

    found = try_this(projection(bundled_kg), lambda i: i.upper())
    pages = [(t.page, sorted(t.params)) for t in found]
    assert pages == [
        ("paths", ["source", "target"]),
        ("gaps", ["for_entity", "pair", "tab"]),
        ("gaps", ["initiative", "tab"]),
        ("network", ["entities", "hops"]),
    ]
    G = _graph(bundled_kg)
    initiatives = sorted(
        (e.id for e in bundled_kg.entities(EntityKind.INITIATIVE)), key=lambda n: (-G.degree(n), n)
    )
    assert found[2].params["initiative"] == initiatives[0]
    assert all(any(v.upper() in t.question for v in t.params.values()) for t in found[1:])


def test_home_map_draws_the_busiest_country_pairs_and_says_what_it_left_out(monkeypatch):
    from climatekg.app.explorer.views import home_overview
    from climatekg.app.explorer.views.world_map import MapData, MapTie

    # four countries at distinct places; ties: A-B three, A-C two, B-D one, and one inside A
    where = {"A": (0.0, 0.0), "B": (10.0, 10.0), "C": (20.0, -20.0), "D": (-30.0, 40.0)}
    points = {
        f"city/{c}{i}": MapPoint(f"city/{c}{i}", f"{c}{i}", "City", c, *where[c])
        for c in where
        for i in (1, 2)
    }
    pairs = [("A1", "B1"), ("A2", "B1"), ("A1", "B2"), ("A1", "C1"), ("A2", "C2"), ("B1", "D1"), ("A1", "A2")]
    data = MapData(points, [MapTie(f"city/{a}", f"city/{b}", "partner_of") for a, b in pairs])
    monkeypatch.setattr(home_overview, "MAX_TIES", 5)  # 7 ties: summed per pair of countries
    monkeypatch.setattr(home_overview, "HOME_ARCS", 2)
    caption, page = home_overview.home_map(data)
    assert re.findall(r"<title>(\w) — (\w): (\d) ties</title>", page) == [("A", "B", "3"), ("A", "C", "2")]
    assert "(7 ties; 6 of them between 3 pairs of countries" in caption
    assert "the 2 busiest pairs are drawn, holding 5 ties" in caption
    assert page.count("<circle") == len(points)
    monkeypatch.setattr(home_overview, "HOME_ARCS", 3)
    caption, page = home_overview.home_map(data)
    assert len(re.findall(r"<title>\w — \w: \d ties</title>", page)) == 3 and "busiest" not in caption


def test_home_overview_is_kept_beside_the_store_per_data_version(bundled_kg, tmp_path):
    from climatekg.app.explorer.views.home_overview import compute_overview, home_overview
    from climatekg.loaders.curated import load_curated

    first = home_overview(bundled_kg)
    kept = bundled_kg.side_path(f"home-{bundled_kg.version()}.pkl")
    assert kept.exists() and first.version == bundled_kg.version()
    again = home_overview(bundled_kg)
    assert again.picture == first.picture and again.questions == first.questions
    assert again.size == compute_overview(bundled_kg).size
    # a load makes a new version: a new overview, the old file gone
    extra = tmp_path / "extra.csv"
    extra.write_text("kind,label,country\nCity,Newtown,France\n", encoding="utf-8")
    bundled_kg.load(load_curated(extra, store=bundled_kg))
    after = home_overview(bundled_kg)
    assert after.version == bundled_kg.version() != first.version
    assert after.size.entities == first.size.entities + 1
    assert 'data-id="city/newtown' in after.picture
    assert not kept.exists()


def test_svg_map_projection_rings_and_arcs():
    from climatekg.app.explorer.views.svg_map import equal_earth, great_circle, land_rings

    # Equal Earth's published width-to-height ratio (Šavrič, Patterson and Jenny 2018)
    assert abs(equal_earth(180.0, 0.0)[0] / -equal_earth(0.0, 90.0)[1] - 2.05458) < 1e-3
    assert equal_earth(-30.0, -40.0) == (-equal_earth(30.0, 40.0)[0], -equal_earth(30.0, 40.0)[1])
    topology = world_land()
    polygons = [p for g in topology["objects"]["land"]["geometries"] for p in g["arcs"]]
    rings = land_rings(topology)
    # one ring per TopoJSON ring, plus a second copy of each ring crossing ±180°
    assert len(rings) >= sum(len(p) for p in polygons)
    for ring in rings:
        # closed on the sphere (Antarctica's ring starts at -180° and ends at 180°, the same meridian)
        assert (ring[0][0] - ring[-1][0]) % 360 == pytest.approx(0) and ring[0][1] == pytest.approx(
            ring[-1][1]
        )
        assert all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False))  # no jump
    # a great circle: every sample is perpendicular to the plane's normal, in order from a to b
    pieces = great_circle((0.0, 0.0), (90.0, 0.0))
    assert (
        len(pieces) == 1
        and pieces[0][0] == pytest.approx((0.0, 0.0))
        and pieces[0][-1] == pytest.approx((90.0, 0.0))
    )
    assert all(abs(lat) < 1e-9 for _, lat in pieces[0])
    a, b = (-122.4, 37.8), (121.5, 31.2)  # San Francisco to Shanghai crosses the Pacific, so the map's edge
    pieces = great_circle(a, b)
    assert len(pieces) == 2
    unit = lambda lon, lat: (  # noqa: E731
        math.cos(math.radians(lat)) * math.cos(math.radians(lon)),
        math.cos(math.radians(lat)) * math.sin(math.radians(lon)),
        math.sin(math.radians(lat)),
    )
    (x1, y1, z1), (x2, y2, z2) = unit(*a), unit(*b)
    normal = (y1 * z2 - z1 * y2, z1 * x2 - x1 * z2, x1 * y2 - y1 * x2)
    for piece in pieces:
        for lon, lat in piece:
            assert abs(sum(n * u for n, u in zip(normal, unit(lon, lat), strict=True))) < 1e-9
    assert max(lat for piece in pieces for _, lat in piece) > 45  # the arc bows north over the Pacific


def test_make_apps_preparation_is_what_the_explorer_reads(tmp_path, monkeypatch):
    import subprocess
    import sys

    from conftest import load_bundled

    from climatekg.app.explorer.views import home_overview
    from climatekg.graph.stores.embedded import EmbeddedStore

    load_bundled(EmbeddedStore(tmp_path)).close()
    env = {**os.environ, "CLIMATEKG_HOME": str(tmp_path)}
    env.pop("CLIMATEKG_STORE", None)
    done = subprocess.run(
        [sys.executable, "-m", "climatekg.app.explorer.prepare"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    kg = EmbeddedStore(tmp_path, read_only=True)
    assert f"home overview ready for data version {kg.version()}" in done.stdout

    def recompute(_kg):
        raise AssertionError("the prepared overview was not used")

    monkeypatch.setattr(home_overview, "compute_overview", recompute)
    assert home_overview.home_overview(kg).version == kg.version()
    kg.close()
