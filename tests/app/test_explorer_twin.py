"""Every explorer page on the twin-cities store (the bundled data + ~17,700 Wikipedia twin cities).

Each test opens one page from a URL as a user would, checks that it runs without an exception
against this store (the footer names its data version) and that what it shows agrees with the
query layer, computed here independently. The Map page's country filter is tested in
``test_explorer_pages.py``; here the map is opened on one city's ties and unfiltered.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from explorer_checks import assert_link_answers, try_this_links
from streamlit.testing.v1 import AppTest

from climatekg.app.explorer.views.formatting import md
from climatekg.graph.model import EntityKind

EXPLORER = str(Path(__file__).resolve().parents[2] / "app" / "explorer" / "main.py")
TIMEOUT = 120

SHANGHAI = "city/shanghai-cn"  # a hub: 69 twin agreements
BETHLEHEM = "city/bethlehem-ps"  # the biggest hub: 74
RIO = "city/rio-de-janeiro-br"


@pytest.fixture
def page(twin_kg, monkeypatch):
    """Open one page of the explorer on the twin store with URL parameters."""
    monkeypatch.setenv("CLIMATEKG_HOME", str(twin_kg.home))
    monkeypatch.delenv("CLIMATEKG_STORE", raising=False)

    def open_page(name: str, **params: str) -> AppTest:
        at = AppTest.from_file(EXPLORER, default_timeout=TIMEOUT)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(f"pages/{name}.py")
        at.run(timeout=TIMEOUT)
        assert not at.exception, [e.value for e in at.exception]
        assert any(f"data version {twin_kg.version()}" in c.value for c in at.caption), "not the twin store"
        return at

    return open_page


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "header", "subheader", "title") for e in at.get(kind)
    ]
    parts += [e.proto.body for kind in ("error", "warning", "info", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def relation_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.startswith("rel_")]


# ---- Search and profile -------------------------------------------------------------------


def test_profile_of_a_hub_lists_what_describe_returns(page, twin_kg):
    from climatekg.queries.resolve import describe

    expected = describe(twin_kg, SHANGHAI)
    total = sum(len(rows) for rows in expected["relations"].values())
    assert total >= 69  # its twin agreements, each a party_to
    at = page("profile", entity=SHANGHAI)
    assert at.header[0].value == md(expected["label"])
    assert f"Relations ({total})" in [s.value for s in at.subheader]
    buttons = relation_buttons(at)
    assert len(buttons) == total  # fewer than ROWS_PER_KIND of each kind: all are listed
    assert {b.proto.help for b in buttons} == {
        r["other"] for rows in expected["relations"].values() for r in rows
    }


def test_search_for_an_ambiguous_name_then_open_a_hit(page, twin_kg):
    at = page("profile", q="Paris")
    hits = [b for b in at.button if b.key and b.key.startswith("hit_")]
    exact = twin_kg.find("Paris")  # Paris, France and Paris, Texas
    assert len(exact) == 2
    assert [h.label.replace("\\", "").rsplit(" · ", 1)[-1] for h in hits[:2]] == exact
    hits[0].click().run(timeout=TIMEOUT)
    assert not at.exception
    assert at.header[0].value == md(twin_kg.entity(exact[0]).label)


# ---- Network --------------------------------------------------------------------------------


def test_network_around_a_hub(page, twin_kg):
    from climatekg.app.explorer.views.network import NODE_CAP
    from climatekg.queries.structure import neighbours

    nb = neighbours(twin_kg, SHANGHAI, hops=4, limit=NODE_CAP)
    assert 300 < len(nb.nodes) <= NODE_CAP and not nb.truncated
    at = page("network", entities="Shanghai", hops="4")
    caption = next(c.value for c in at.caption if "entities," in c.value)
    assert caption.startswith(f"{len(nb.nodes):,} entities, {len(nb.edges):,} relations")
    assert "physics off" in caption  # above PHYSICS_LIMIT the layout is computed on the server
    assert not at.warning


def test_network_above_the_cap_says_how_many_were_left_out(page, twin_kg):
    from climatekg.app.explorer.views.network import NODE_CAP
    from climatekg.queries.structure import neighbours

    seeds = (SHANGHAI, BETHLEHEM, RIO)
    found: set[str] = set()
    for seed in seeds:
        found |= {n["id"] for n in neighbours(twin_kg, seed, hops=4, limit=NODE_CAP).nodes}
    assert len(found) > NODE_CAP
    at = page("network", entities=", ".join(["Shanghai", BETHLEHEM, RIO]), hops="4")
    caption = next(c.value for c in at.caption if "entities," in c.value)
    assert caption.startswith(f"{NODE_CAP:,} entities")
    warning = at.warning[0].proto.body
    assert (
        f"Showing {NODE_CAP:,} of {len(found):,} entities: {len(found) - NODE_CAP:,} were left out" in warning
    )


# ---- Paths ----------------------------------------------------------------------------------


def test_paths_between_two_twinned_hubs(page, twin_kg):
    from climatekg.queries.paths import path_sentence, shortest_paths

    expected = shortest_paths(twin_kg, SHANGHAI, BETHLEHEM, k=5, max_hops=6)
    assert expected
    at = page("paths", source="Shanghai", target=BETHLEHEM)  # "Bethlehem" alone is ambiguous
    assert at.subheader[0].value == f"{len(expected)} path{'s' if len(expected) != 1 else ''}"
    shown = texts(at)
    for p in expected:
        assert md(path_sentence(twin_kg, p)) in shown
    assert at.get("iframe")


# ---- Gaps -----------------------------------------------------------------------------------


def test_gaps_for_a_city_and_brokers(page, twin_kg):
    from climatekg.queries.gaps import brokers, suggest_partners

    at = page("gaps", for_entity="Shanghai")
    suggested = suggest_partners(twin_kg, for_entity=SHANGHAI, top=20)
    assert suggested
    tables = {tuple(d.value.columns)[0]: d.value for d in at.dataframe}
    assert list(tables["partner"]["suggested id"]) == [s.b for s in suggested]
    assert list(tables["broker"]["id"]) == [b.id for b in brokers(twin_kg, top=20)]


# ---- Map ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def twin_map(twin_kg):
    from climatekg.app.explorer.views.world_map import map_data

    return map_data(twin_kg)


@pytest.mark.slow
def test_map_of_one_city_and_unfiltered(page, twin_kg, twin_map):
    from climatekg.app.explorer.views.world_map import MAX_TIES, select_ties

    ties, _ = select_ties(twin_map, entity=SHANGHAI)
    assert ties
    at = page("map", focus="Shanghai")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ties drawn"] == f"{len(ties):,}"
    assert metrics["Located entities"] == f"{len(twin_map.points):,}"
    assert len(at.dataframe[0].value) == len(ties)
    # unfiltered, there are too many ties to draw one by one: each line sums a pair of countries
    assert len(twin_map.ties) > MAX_TIES
    pairs = {
        frozenset((twin_map.points[t.a].country, twin_map.points[t.b].country))
        for t in twin_map.ties
        if twin_map.points[t.a].country
        and twin_map.points[t.b].country
        and twin_map.points[t.a].country != twin_map.points[t.b].country
    }
    at = page("map")
    drawn = next(m for m in at.metric if m.label == "Ties drawn")
    assert (drawn.value, drawn.delta) == (f"{len(twin_map.ties):,}", f"as {len(pairs):,} country pairs")
    assert f"each line sums the ties between two countries ({len(pairs):,} pairs)" in texts(at)
    # the SVG map: every located city a dot, one line per pair of countries
    svg = at.get("iframe")[0].proto.srcdoc
    assert svg.count("<circle") == len(twin_map.points)
    assert len(re.findall(r"<path d=\"[^\"]+\"><title>", svg)) == len(pairs)


# ---- Timeline -------------------------------------------------------------------------------


@pytest.mark.slow
def test_timeline_lists_every_dated_fact(page, twin_kg):
    from climatekg.app.explorer.pages.timeline import DATED_KINDS

    at = page("timeline")
    # the twin agreements carry no dates: only the bundled dated facts are listed, not 26,000 rows
    dated_relations = {
        (r.subject, r.kind, r.object, r.start, r.end) for r in twin_kg.relations() if r.start or r.end
    }
    dated_entities = [e for kind in DATED_KINDS for e in twin_kg.entities(kind) if e.date]
    assert len(at.dataframe[0].value) == len(dated_relations) + len(dated_entities)


# ---- SPARQL ---------------------------------------------------------------------------------


def test_sparql_saved_query_bound_to_a_hub(page, twin_kg):
    from climatekg.queries.sparql import run_sparql, saved_query

    _, rows = run_sparql(twin_kg, saved_query("neighbours"), {"entity": SHANGHAI})
    assert len(rows) >= 69
    at = page("sparql", saved="neighbours", bind_entity="Shanghai")
    assert len(at.dataframe[0].value) == len(rows)


# ---- Data quality ---------------------------------------------------------------------------


@pytest.mark.slow
def test_quality_on_a_large_store(page, twin_kg):
    from climatekg.queries.quality import unsourced

    at = page("quality")
    stats = twin_kg.stats()
    metrics = {m.label: m.value for m in at.metric}
    assert (
        metrics["Entities"] == f"{stats['entities']:,}" and metrics["Relations"] == f"{stats['relations']:,}"
    )
    assert len(at.dataframe[0].value) == len(twin_kg.sources())
    # a large store: SHACL and the pairwise name comparison wait for the user to switch them on
    assert stats["triples"] > 200_000
    assert at.toggle(key="run_shacl").value is False and at.toggle(key="run_duplicates").value is False
    assert "Turn on the comparison" in texts(at)
    assert not unsourced(twin_kg) and "Every relation names its source." in texts(at)


# ---- Import and downloads -------------------------------------------------------------------


def test_import_page_opens(page):
    at = page("import_data")
    assert at.title[0].value == "Import and review"
    assert [e for e in at.main if getattr(e, "type", "") == "file_uploader"] or "Upload" in texts(at)


@pytest.mark.slow
def test_downloads_edge_list(page, twin_kg, tmp_path):
    from climatekg.app.publish.exports import export

    at = page("downloads")
    at.selectbox(key="format").set_value("csv").run(timeout=TIMEOUT)
    at.button(key="prepare").click().run(timeout=TIMEOUT)
    assert not at.exception
    n = export(twin_kg, "csv", tmp_path / "x.csv")
    assert n >= twin_kg.stats()["relations_by_kind"]["party_to"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith(f"Download climatekg.csv ({n:,} edges") for label in labels), labels


# ---- Home -----------------------------------------------------------------------------------


def test_home_shows_the_most_connected_part_and_links_that_answer(page, twin_kg):
    from climatekg.app.explorer.views.overview import HUBS, OVERVIEW_LIMIT

    at = page("home")
    note = next(i.proto.body for i in at.info if "most connected part" in i.proto.body)
    assert f"the {HUBS} best-connected of {twin_kg.stats()['entities']:,} entities" in note
    assert f"at most {OVERVIEW_LIMIT}" in note
    more = [link for link in at.get("page_link") if link.proto.label.startswith("See more")]
    assert more and more[0].proto.page == "network"
    links = try_this_links(at)
    assert len(links) == 4
    # the map: one dot per 2° cell holding located entities, counted here from the store itself
    from climatekg.app.explorer.views.world_map import CELL_DEGREES, HOME_POINTS

    located = [
        (e.lat, e.lon)
        for kind in ("City", "Place", "Organisation", "Initiative", "Event")
        for e in twin_kg.entities(EntityKind(kind))
        if e.lat is not None and e.lon is not None
    ]
    assert len(located) > HOME_POINTS
    cells = {(int((lat + 90) // CELL_DEGREES), int((lon + 180) // CELL_DEGREES)) for lat, lon in located}
    assert f"{len(located):,} located entities (more than {HOME_POINTS:,})" in texts(at)
    assert f"({len(cells):,} dots)" in texts(at)
    for name, params in links:
        assert_link_answers(page(name, **params), name, params)
