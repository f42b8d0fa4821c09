"""Every explorer page in Streamlit's AppTest: it runs, its main widget works, and what it shows
agrees with the query layer it lays out.

The store is a temporary home loaded with the bundled data plus two XSS probes (an organisation
named ``<img src=x onerror=alert(1)>`` and a city named ``</script><script>alert(1)</script>``)
from a small curated CSV written here; the Map page also runs on the twin-cities store.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape
from pathlib import Path

import pytest
import streamlit
from explorer_checks import assert_link_answers, json_text, network_html, try_this_links
from streamlit.testing.v1 import AppTest

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.graph.errors import ClimateKGError
from climatekg.queries.resolve import describe

EXPLORER = str(Path(__file__).resolve().parents[2] / "app" / "explorer" / "main.py")
TIMEOUT = 120

IMG_PROBE = "<img src=x onerror=alert(1)>"
SCRIPT_PROBE = "</script><script>alert(1)</script>"
PROBE_ENTITIES = f"""kind,label,description,country,lat,lon,quote
Organisation,{IMG_PROBE},"**bold** ![t](http://example.com/t.png) <b>tag</b> :red[red]",France,,,"<img src=x onerror=alert(2)>"
City,{SCRIPT_PROBE},A probe city: <!-- comment --> & ampersand,China,31.23,121.47,"</script><script>alert(3)</script>"
"""
PROBE_RELATIONS = """subject,kind,object,start,role,quote
org/img-src-x-onerror-alert-1,partner_of,org/iclei,2016,<i>role</i>,"<script>alert(4)</script> [link](javascript:alert(5))"
city/script-script-alert-1-script,member_of,initiative/ccucc,2016,second cohort,</script><!-- quote -->
city/script-script-alert-1-script,partner_of,city/shenzhen,2017,,
"""
IMG_ID = "org/img-src-x-onerror-alert-1"
SCRIPT_ID = "city/script-script-alert-1-script"


def load_home(home: Path, folder: Path, *, twin: Path | None = None) -> Path:
    """Load the bundled data, the probes (and optionally the twin cities) into ``home``; close it."""
    from climatekg.data import bundled_files
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.curated import load_curated
    from climatekg.loaders.twin_cities import load_twin_cities

    (folder / "probes-entities.csv").write_text(PROBE_ENTITIES, encoding="utf-8")
    (folder / "probes-relations.csv").write_text(PROBE_RELATIONS, encoding="utf-8")
    kg = EmbeddedStore(home)
    for path in [*bundled_files(), folder / "probes-entities.csv", folder / "probes-relations.csv"]:
        kg.load(load_curated(path, store=kg))
    if twin:
        kg.load(load_twin_cities(twin, store=kg))
    kg.close()
    return home


@pytest.fixture(scope="module")
def explorer_home(tmp_path_factory) -> Path:
    """A store with the bundled data and the probes, closed (the app opens it read-only)."""
    folder = tmp_path_factory.mktemp("explorer")
    return load_home(folder / "home", folder)


@pytest.fixture(scope="module")
def kg(explorer_home):
    """The same store, read-only, for computing what the pages should show."""
    from climatekg.graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(explorer_home, read_only=True)
    yield store
    store.close()


@pytest.fixture
def app(explorer_home, monkeypatch):
    """A function that runs one page of the explorer with URL parameters."""
    monkeypatch.setenv("CLIMATEKG_HOME", str(explorer_home))
    monkeypatch.delenv("CLIMATEKG_STORE", raising=False)
    return open_page


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(EXPLORER, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown sources, captions, headers, text)."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "header", "subheader", "title", "text")
        for e in at.get(kind)
    ]
    parts += [e.proto.body for kind in ("error", "warning", "info", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def assert_no_html(at: AppTest) -> None:
    """No element was allowed to render HTML (data could otherwise become markup)."""
    for el in at.get("markdown"):
        assert not el.proto.allow_html, el.value


# ---- Search and profile --------------------------------------------------------------------


def test_profile_shows_every_relation_describe_returns(app, kg):
    at = app("profile", entity="city/shenzhen")
    expected = describe(kg, "city/shenzhen")
    assert at.header[0].value == md(expected["label"])
    relation_buttons = [b for b in at.button if b.key and b.key.startswith("rel_")]
    assert len(relation_buttons) == sum(len(rows) for rows in expected["relations"].values())
    shown = {b.proto.help for b in relation_buttons}
    assert shown == {r["other"] for rows in expected["relations"].values() for r in rows}
    # the quotes behind the sources are in the popovers
    quotes = [r["quote"] for rows in expected["relations"].values() for r in rows if r["quote"]]
    shown = [t.value for t in at.text]
    assert all(f"“{q}”" in shown for q in quotes)
    assert "深圳" in str(at.dataframe[0].value)


def test_search_by_other_language_alias_and_wikidata_id(app, kg):
    for query, expected in (
        ("深圳", "city/shenzhen"),
        ("CCUCC", "initiative/ccucc"),
        ("Q15174", "city/shenzhen"),
    ):
        at = app("profile", q=query)
        hits = [b for b in at.button if b.key and b.key.startswith("hit_")]
        assert hits and expected in hits[0].label.replace("\\", "")
        hits[0].click().run()
        assert at.query_params["entity"] in (expected, [expected])
        assert at.header[0].value == md(kg.entity(expected).label)


def test_profile_relations_follow_the_as_of_date(app, kg):
    before = app("profile", entity="city/shenzhen", as_of="2014-06-01")
    after = app("profile", entity="city/shenzhen", as_of="2016-06-01")
    help_before = {b.proto.help for b in before.button if b.key and b.key.startswith("rel_")}
    help_after = {b.proto.help for b in after.button if b.key and b.key.startswith("rel_")}
    assert "initiative/ccucc" in help_after and "initiative/ccucc" not in help_before
    assert "2014-06-01" in texts(before)


@pytest.mark.parametrize("entity", [IMG_ID, SCRIPT_ID])
def test_probes_show_as_text_on_the_profile(app, kg, entity):
    at = app("profile", entity=entity)
    label = kg.entity(entity).label
    assert at.header[0].value == md(label)
    assert at.header[0].value.replace("\\", "") == label
    markdown = [e.value for kind in ("markdown", "caption", "header") for e in at.get(kind)]
    # in Markdown, images and links are escaped; descriptions and quotes are plain text elements
    assert not any("](http" in m or "![" in m for m in markdown)
    description = kg.entity(entity).description
    assert description in [t.value for t in at.text]
    assert_no_html(at)


def test_unknown_entity_is_an_error_not_a_traceback(app):
    at = app("profile", entity="city/atlantis")
    assert "city/atlantis" in at.error[0].proto.body.replace("\\", "")


# ---- Map --------------------------------------------------------------------------------------


def test_map_draws_the_ties_between_two_countries(twin_kg, monkeypatch):
    from climatekg.app.explorer.views.world_map import map_data, select_ties

    monkeypatch.setenv("CLIMATEKG_HOME", str(twin_kg.home))
    expected, _ = select_ties(map_data(twin_kg), from_countries=["United States"], to_countries=["China"])
    at = AppTest.from_file(EXPLORER, default_timeout=300)
    at.query_params["from_countries"] = "United States"
    at.query_params["to_countries"] = "China"
    at.switch_page("pages/map.py").run()
    assert not at.exception
    drawn = {m.label: m.value for m in at.metric}
    assert drawn["Ties drawn"] == f"{len(expected):,}"
    assert len(at.dataframe[0].value) == len(expected)
    assert set(at.dataframe[0].value["from country"]) | set(at.dataframe[0].value["to country"]) == {
        "United States",
        "China",
    }
    # the SVG map: one dot per end of the ties drawn, one line per tie
    svg = at.get("iframe")[0].proto.srcdoc
    assert svg.count("<circle") == len({e for t in expected for e in (t.a, t.b)})
    assert len(re.findall(r"<path d=\"[^\"]+\"><title>", svg)) == len(expected)


def test_map_on_the_bundled_data(app, kg):
    at = app("map")
    located = [e for e in kg.entities() if e.lat is not None]
    assert {m.label: m.value for m in at.metric}["Located entities"] == str(len(located))


# ---- Timeline -----------------------------------------------------------------------------


def test_timeline_lists_dated_facts_and_sets_the_as_of_date(app, kg):
    at = app("timeline")
    table = at.dataframe[0].value
    dated_relations = {
        (r.subject, r.kind, r.object, r.start, r.end) for r in kg.relations() if r.start or r.end
    }
    dated_entities = [e for e in kg.entities() if e.date]
    assert len(table) == len(dated_relations) + len(dated_entities)
    from datetime import date

    at.slider(key="as_of_slider").set_value(date(2015, 12, 31)).run()
    assert at.query_params["as_of"] in ("2015-12-31", ["2015-12-31"])
    assert at.session_state["as_of_value"] == "2015-12-31"
    assert "2015-12-31" in texts(at)


# ---- Data quality -------------------------------------------------------------------------


def test_quality_page_reports_what_the_quality_queries_say(app, kg):
    from climatekg.queries.quality import likely_duplicates, unsourced

    at = app("quality")
    metrics = {m.label: m.value for m in at.metric}
    stats = kg.stats()
    assert (
        metrics["Entities"] == f"{stats['entities']:,}" and metrics["Relations"] == f"{stats['relations']:,}"
    )
    assert len(at.dataframe[0].value) == len(kg.sources())
    assert "conforms" in texts(at)
    assert bool(likely_duplicates(kg)) == ("No likely duplicates." not in texts(at))
    assert not unsourced(kg) and "Every relation names its source." in texts(at)


# ---- Downloads ------------------------------------------------------------------------------


def test_downloads_prepare_each_format(app, kg, tmp_path):
    from climatekg.app.publish.exports import FORMATS, export

    at = app("downloads")
    for fmt in ("ttl", "graphml"):
        at.selectbox(key="format").set_value(fmt).run()
        at.button(key="prepare").click().run()
        assert not at.exception
        labels = [b.proto.label for b in at.get("download_button")]
        n = export(kg, fmt, tmp_path / f"x.{fmt}")
        assert any(f"climatekg.{fmt} ({n:,}" in label for label in labels), labels
    assert {o.split(" ")[0] for o in at.selectbox(key="format").options} == set(FORMATS)
    assert any("void.ttl" in b.proto.label for b in at.get("download_button"))


# ---- Import and review ----------------------------------------------------------------------


def test_import_page_offers_an_upload(app):
    at = app("import_data")
    assert at.title[0].value == "Import and review"
    assert [e for e in at.main if getattr(e, "type", "") == "file_uploader"] or "Upload" in texts(at)
    assert "all or nothing" in texts(at) or "nothing" in texts(at)


def _uploaders(at: AppTest) -> list:
    return [e for e in at.main if getattr(e, "type", "") == "file_uploader"]


@pytest.fixture
def bind():
    """Set Streamlit's ``server.address`` as ``--server.address`` would, restored afterwards."""
    before = streamlit.config.get_option("server.address")
    yield lambda address: streamlit.config.set_option("server.address", address)
    streamlit.config.set_option("server.address", before)


@pytest.mark.parametrize("address", ["0.0.0.0", "192.0.2.7", None])
def test_import_refuses_writes_when_the_explorer_is_exposed(app, monkeypatch, bind, address):
    bind(address)
    monkeypatch.delenv("CLIMATEKG_ALLOW_WRITES", raising=False)
    at = app("import_data")
    assert "importing, accepting and rejecting are turned off" in texts(at)
    assert not _uploaders(at) and not at.button


def test_the_one_door_to_writing_is_shut_when_exposed(explorer_home, monkeypatch, bind):
    monkeypatch.setenv("CLIMATEKG_HOME", str(explorer_home))
    monkeypatch.delenv("CLIMATEKG_ALLOW_WRITES", raising=False)
    bind("0.0.0.0")
    with pytest.raises(ClimateKGError, match="turned off"):
        _shared.open_writable()
    bind("127.0.0.1")
    _shared.open_writable().close()


def test_import_writes_on_an_exposed_address_only_when_allowed(app, monkeypatch, bind):
    bind("0.0.0.0")
    monkeypatch.setenv("CLIMATEKG_ALLOW_WRITES", "1")
    at = app("import_data")
    assert "turned off" not in texts(at)
    assert _uploaders(at)


def test_import_is_open_on_loopback(app):
    assert streamlit.config.get_option("server.address") == "127.0.0.1"  # the project's config file
    at = app("import_data")
    assert "turned off" not in texts(at) and _uploaders(at)


# ---- the app shell ----------------------------------------------------------------------------


def test_footer_names_the_store_and_page_links_work(app, explorer_home):
    at = app("profile")
    assert f"embedded store in {explorer_home}".replace("/", "\\/") in texts(at) or "embedded store" in texts(
        at
    ).replace("\\", "")


def test_page_parameter_forwards_to_the_named_page(app):
    at = AppTest.from_file(EXPLORER, default_timeout=TIMEOUT)
    at.query_params["page"] = "quality"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Data quality"


# ---- Network --------------------------------------------------------------------------------


def test_network_shows_the_neighbourhood(app, kg):
    from climatekg.app.explorer.views.network import NODE_CAP
    from climatekg.queries.structure import neighbours

    at = app("network", entities="org/iclei", hops="1")
    nb = neighbours(kg, "org/iclei", hops=1, limit=NODE_CAP)
    caption = next(c.value for c in at.caption if "entities," in c.value)
    assert caption.startswith(f"{len(nb.nodes)} entities, {len(nb.edges)} relations")
    html = network_html(at)
    assert "vis.Network" in html and "cdn" not in html.split("<script>", 1)[0]
    for node in nb.nodes:
        assert json_text(node["id"]) in html


def test_network_of_several_entities_and_filters(app, kg):
    from climatekg.queries.structure import neighbours

    at = app("network", entities="Shenzhen, ICLEI USA", hops="1", kinds="City")
    ids = set()
    for seed in ("city/shenzhen", "org/iclei-usa"):
        ids |= {n["id"] for n in neighbours(kg, seed, hops=1, kinds=["City"], limit=2000).nodes}
    caption = next(c.value for c in at.caption if "entities," in c.value)
    assert caption.startswith(f"{len(ids)} entities")


def test_network_probe_labels_cannot_break_out(app):
    at = app("network", entities=SCRIPT_ID, hops="1")
    html = network_html(at)
    page_script = html.rsplit("<script>", 1)[1]
    assert "</script><script>alert(1)" not in page_script
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page_script


def test_network_names_that_match_nothing_warn(app):
    at = app("network", entities="Atlantis")
    assert at.warning and "Atlantis" in at.warning[0].proto.body


# ---- Paths ----------------------------------------------------------------------------------


def test_paths_page_shows_what_shortest_paths_returns(app, kg):
    from climatekg.queries.paths import path_sentence, shortest_paths

    at = app("paths", source="city/shenzhen", target="org/iclei")
    expected = shortest_paths(kg, "city/shenzhen", "org/iclei", k=5, max_hops=6)
    assert at.subheader[0].value == f"{len(expected)} paths"
    page = texts(at)
    for p in expected:
        assert md(path_sentence(kg, p)) in page
    assert network_html(at)
    at.radio(key="chosen").set_value(2).run()
    assert not at.exception


def test_paths_filters_and_as_of(app, kg):
    from climatekg.queries.paths import shortest_paths

    at = app("paths", source="Shenzhen", target="ICLEI", relations="member_of", as_of="2014-01-01")
    expected = shortest_paths(kg, "city/shenzhen", "org/iclei", relations=["member_of"], as_of="2014-01-01")
    if expected:
        assert at.subheader[0].value.startswith(str(len(expected)))
    else:
        assert at.warning and "No path" in at.warning[0].proto.body


# ---- Gaps -----------------------------------------------------------------------------------


def test_gaps_partner_suggestions_match_the_query(app, kg):
    from climatekg.queries.gaps import suggest_partners

    at = app("gaps", for_entity="ICLEI USA")
    expected = suggest_partners(kg, for_entity="org/iclei-usa", top=20)
    table = at.dataframe[0].value
    assert list(table["suggested id"]) == [s.b for s in expected]
    assert all(why.startswith("both tied to") for why in table["why"])
    assert any(b.proto.label.startswith("Download suggested-partners") for b in at.get("download_button"))


def test_gaps_coverage_matrix(app, kg):
    from climatekg.queries.gaps import coverage

    at = app("gaps", initiative="CCUCC", tab="Technology coverage")
    cov = coverage(kg, "initiative/ccucc")
    cells = [d for d in at.dataframe if "technology" in d.value.columns][0].value
    assert len(cells) == len(cov.cities) * len(cov.technologies)
    assert sum(cells["covered"]) == sum(len(row) for row in cov.matrix.values())


def test_gaps_brokers_and_cohort(app, kg):
    from climatekg.queries.gaps import brokers, cohort_gaps

    at = app("gaps", cohort_initiative="CCUCC", top="5")
    found = brokers(kg, top=5)
    tables = {tuple(d.value.columns)[0]: d.value for d in at.dataframe}
    assert list(tables["broker"]["id"]) == [b.id for b in found]
    gaps = cohort_gaps(kg, "initiative/ccucc")
    if gaps:
        assert len(tables["member"]) == len(gaps)
    else:
        assert "No gaps" in texts(at)


# ---- SPARQL ---------------------------------------------------------------------------------


def test_sparql_saved_query_with_a_binding(app, kg):
    from climatekg.queries.sparql import run_sparql, saved_query

    at = app("sparql", saved="neighbours", bind_entity="ICLEI USA")
    _, rows = run_sparql(kg, saved_query("neighbours"), {"entity": "org/iclei-usa"})
    assert len(at.dataframe[0].value) == len(rows)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download CSV" in labels and "Download JSON (SPARQL results)" in labels


def test_sparql_editor_runs_and_reports_limits(app):
    at = app("sparql")
    at.button(key="run").click().run()
    assert not at.exception and len(at.dataframe[0].value) > 0
    at.text_area(key="query").input("DELETE WHERE { ?s ?p ?o }").run()
    at.button(key="run").click().run()
    assert "read-only" in at.error[0].proto.body.replace("\\", "")


def test_map_follows_the_as_of_date(app, kg):
    from climatekg.app.explorer.views.world_map import map_data

    now = app("map")
    before = app("map", as_of="2014-01-01")
    ties_now = {m.label: m.value for m in now.metric}["Ties in the data"]
    ties_before = {m.label: m.value for m in before.metric}["Ties in the data"]
    assert ties_now == f"{len(map_data(kg).ties):,}"
    assert ties_before == f"{len(map_data(kg, as_of='2014-01-01').ties):,}"
    assert int(ties_before) < int(ties_now)


# ---- Home -----------------------------------------------------------------------------------


def test_home_is_the_default_page_and_draws_the_whole_small_graph(app, kg):
    at = AppTest.from_file(EXPLORER, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "climatekg explorer"
    # the whole graph, counted a second way: every entity and every relation end
    ids = {e.id for e in kg.entities()} | {x for r in kg.relations() for x in (r.subject, r.object)}
    assert f"The whole graph: {len(ids):,} entities" in texts(at)
    html = network_html(at)
    assert sorted(re.findall(r'<g class="node" data-id="([^"]*)"', html)) == sorted(escape(i) for i in ids)
    sources = {s.id: s for s in kg.sources()}
    tables = [m.value for m in at.markdown if m.value.startswith("| ")]
    by_kind, by_source = ([row.strip("| ").split(" | ") for row in t.splitlines()[2:]] for t in tables)
    assert {row[1] for row in by_source} == {md(i) for i in sources}
    kinds = {kind: int(n.replace(",", "")) for kind, n in by_kind}
    assert kinds == dict(Counter(e.kind.value for e in kg.entities()))
    last = max(s.loaded_at for s in sources.values())[:10]
    assert f"last loaded {last}" in texts(at)


def test_old_search_links_still_open_the_search_page(app):
    at = AppTest.from_file(EXPLORER, default_timeout=TIMEOUT)
    at.query_params["entity"] = "city/shenzhen"
    at.run()
    assert not at.exception
    assert at.header[0].value == "Shenzhen"


def test_every_try_this_link_opens_a_page_that_answers(app):
    home = AppTest.from_file(EXPLORER, default_timeout=TIMEOUT)
    home.run()
    links = try_this_links(home)
    assert {p for p, _ in links} == {"paths", "gaps", "network"} and len(links) == 4
    for page, params in links:
        assert_link_answers(app(page, **params), page, params)
