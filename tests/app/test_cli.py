"""The CLI as a user runs it: JSON output, exit codes, one-line errors, every export format."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from conftest import CORPUS, TWIN_CITIES
from helpers import run_cli
from rdflib.compare import isomorphic


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli") / "home"
    run_cli("load", "--bundled", home=home, check=True)
    return home


def test_load_twice_reports_unchanged(loaded):
    proc = run_cli("load", "--bundled", "--json", home=loaded, check=True)
    assert [r["changed"] for r in json.loads(proc.stdout)] == [False, False]


def test_stats_json_counts_what_the_yaml_files_state(loaded):
    import yaml

    from climatekg.data import bundled_files

    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in bundled_files()]
    stats = json.loads(run_cli("stats", "--json", home=loaded, check=True).stdout)
    assert stats["entities"] == sum(len(d.get("entities") or []) for d in docs)
    assert stats["relations"] == sum(len(d.get("relations") or []) for d in docs)


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Shenzhen", "city/shenzhen"),
        ("深圳", "city/shenzhen"),
        ("CCUCC", "initiative/ccucc"),
        ("city/shenzhen", "city/shenzhen"),
    ],
)
def test_show_resolves_any_name_and_cites_the_press_release(loaded, name, entity):
    profile = json.loads(run_cli("show", name, "--json", home=loaded, check=True).stdout)
    assert profile["id"] == entity
    relations = [r for rows in profile["relations"].values() for r in rows]
    # the press release is cited, each of its relations with a quote, and every quote is its words
    cited = [r for r in relations if r["source"] == "iclei-shenzhen-mou-cop21"]
    assert cited and all(r["quote"] for r in cited)
    quotes = [r["quote"] for r in relations if r["quote"]]
    text = " ".join(CORPUS.read_text(encoding="utf-8").split())
    assert all(" ".join(q.split()) in text for q in quotes)


def test_unknown_name_exits_2_with_one_line(loaded):
    proc = run_cli("show", "Atlantis", home=loaded)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: no entity named 'Atlantis'")


def test_ambiguous_name_lists_candidates(tmp_path):
    home = tmp_path / "h"
    run_cli("load", str(TWIN_CITIES), home=home, check=True)
    proc = run_cli("show", "Paris", home=home)
    assert proc.returncode == 2
    assert "ambiguous" in proc.stderr and "candidate: city/paris-fr" in proc.stderr


def test_search_finds_by_part_of_a_name(loaded):
    rows = json.loads(run_cli("search", "low-carbon", "--json", home=loaded, check=True).stdout)
    assert any(r["id"].startswith("org/") for r in rows)


def test_validate_conforms_on_the_bundled_data(loaded):
    proc = run_cli("validate", "--json", home=loaded)
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout) == []


def test_validate_prints_the_same_violations_and_exit_code_with_either_engine(home):
    from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Source
    from climatekg.graph.stores.embedded import EmbeddedStore

    prov = Provenance("orgs", "test")
    batch = Batch(source=Source(id="orgs", title="orgs", loader="test"))
    batch.entities = [
        Entity("org/odd", EntityKind.ORGANISATION, "Odd", prov, classification="region"),
        Entity("org/fine", EntityKind.ORGANISATION, "Fine", prov, classification="ngo"),
    ]
    kg = EmbeddedStore(home)
    kg.load(batch)
    kg.close()
    fast = run_cli("validate", home=home)
    reference = run_cli("validate", "--engine", "pyshacl", home=home)
    assert fast.returncode == reference.returncode == 1
    assert fast.stdout == reference.stdout
    assert fast.stdout.split()[:2] == ["org/odd", "https://w3id.org/climatekg/ontology#classification"]
    assert fast.stdout.splitlines()[-1] == "1 violations"
    assert run_cli("validate", "--engine", "jena", home=home).returncode == 2


@pytest.mark.parametrize(
    "fmt,rdf_format",
    [
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("nq", ox.RdfFormat.N_QUADS),
        ("trig", ox.RdfFormat.TRIG),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("rdf", ox.RdfFormat.RDF_XML),
    ],
)
def test_every_rdf_export_reparses_to_the_stored_graph(loaded, tmp_path, fmt, rdf_format):
    out = tmp_path / f"dump.{fmt}"
    run_cli("export", "--format", fmt, "-o", str(out), home=loaded, check=True)
    nt = tmp_path / "all.nt"
    run_cli("export", "--format", "nt", "-o", str(nt), home=loaded, check=True)
    reference = rdflib.Graph().parse(nt, format="nt")
    parsed = rdflib.Graph()
    parsed.parse(
        data=ox.serialize(
            [q.triple if hasattr(q, "triple") else q for q in ox.parse(path=str(out), format=rdf_format)],
            format=ox.RdfFormat.N_TRIPLES,
        ),
        format="nt",
    )
    assert len(reference) > 100
    assert isomorphic(parsed, reference)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_network_exports_load_back(loaded, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    run_cli("export", "--format", fmt, "-o", str(out), home=loaded, check=True)
    stats = json.loads(run_cli("stats", "--json", home=loaded, check=True).stdout)
    home2 = tmp_path / "again"
    proc = run_cli("load", str(out), home=home2, check=True)
    assert proc.returncode == 0
    again = json.loads(run_cli("stats", "--json", home=home2, check=True).stdout)
    assert again["relations"] == stats["relations"]


def test_column_mapping_applies_to_the_edge_list_only(tmp_path):
    from climatekg.data import bundled_files

    home = tmp_path / "home"
    edges = tmp_path / "ties.csv"
    edges.write_text("from,to\nShenzhen,Los Angeles\n", encoding="utf-8")
    curated = bundled_files()[0]
    proc = run_cli(
        "load", str(curated), str(edges), "--map", "source=from", "--map", "target=to", "--json", home=home
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["loader"] for r in json.loads(proc.stdout)] == ["curated", "edges"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "source"], "--map 'source': expected KEY=COLUMN"),
        (["--map", "source=from"], "no file here is an edge list"),
    ],
)
def test_a_bad_column_mapping_is_one_line(tmp_path, args, message):
    from climatekg.data import bundled_files

    home = tmp_path / "home"
    run_cli("load", "--bundled", home=home, check=True)
    before = run_cli("stats", "--json", home=home, check=True).stdout
    proc = run_cli("load", str(bundled_files()[0]), *args, home=home)
    assert proc.returncode != 0 and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert run_cli("stats", "--json", home=home, check=True).stdout == before


def test_names_that_look_like_markup_print_as_written(tmp_path):
    home = tmp_path / "home"
    name = "[bold]Odd[/bold] [/x] Lab"
    edges = tmp_path / "[red]ties[bold].csv"
    edges.write_text(f'source,target\n"{name}",Shenzhen\n', encoding="utf-8")
    loaded = run_cli("load", str(edges), home=home)
    assert loaded.returncode == 0, loaded.stderr
    assert str(edges) in loaded.stdout
    shown = run_cli("show", name, home=home)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].startswith(name)
    bad = run_cli("export", "--format", "[/x]", "-o", str(tmp_path / "out.ttl"), home=home)
    assert bad.returncode != 0 and "unknown export format '[/x]'" in bad.stderr
    assert "Traceback" not in bad.stderr
