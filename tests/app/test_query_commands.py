"""The path, gaps, neighbours, centrality and communities commands as a user runs them."""

from __future__ import annotations

import json

import pytest
from helpers import run_cli

PRESS_RELEASE = "iclei-shenzhen-mou-cop21"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The bundled data plus two cities named Springfield with no ties at all."""
    folder = tmp_path_factory.mktemp("queries")
    extra = folder / "springfields.csv"
    extra.write_text(
        "id,kind,label,country\n"
        "city/springfield-us,City,Springfield,United States\n"
        "city/springfield-au,City,Springfield,Australia\n",
        encoding="utf-8",
    )
    home = folder / "home"
    run_cli("load", "--bundled", str(extra), home=home, check=True)
    return home


def test_path_json_cites_the_press_release_on_every_hop(loaded):
    proc = run_cli("path", "Shenzhen", "ICLEI USA", "--json", home=loaded, check=True)
    data = json.loads(proc.stdout)
    assert (data["source"], data["target"]) == ("city/shenzhen", "org/iclei-usa")
    best = data["paths"][0]
    assert (
        best["length"] == 3
        and best["nodes"][0] == "city/shenzhen"
        and best["sentence"].startswith("Shenzhen —")
    )
    assert all(any(ev["source"] == PRESS_RELEASE for ev in hop["evidence"]) for hop in best["hops"])
    lengths = [p["length"] for p in data["paths"]]
    assert lengths == sorted(lengths) and len(lengths) <= 5


def test_path_text_shows_the_agreement_between_its_parties(loaded):
    proc = run_cli(
        "path", "ICLEI", "Shenzhen Low-Carbon Development Foundation", "--relation", "party_to", home=loaded
    )
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert "—party to→ Memorandum of Understanding" in first and "←party to— Shenzhen Low-Carbon" in first
    assert "signed at 21st Conference of the Parties (COP21)" in first
    assert "evidence: iclei-shenzhen-mou-cop21, paragraph 1, sentence 1: “" in proc.stdout


def test_path_filters_and_all(loaded):
    proc = run_cli(
        "path",
        "Shenzhen",
        "ICLEI USA",
        "--all",
        "--max-hops",
        "4",
        "--avoid-kind",
        "Event",
        "--json",
        home=loaded,
    )
    assert proc.returncode == 0, proc.stderr
    paths = json.loads(proc.stdout)["paths"]
    assert paths and all(not n.startswith("event/") for p in paths for n in p["nodes"])
    assert all(p["length"] <= 4 for p in paths)


def test_no_path_exits_1_with_one_line(loaded):
    proc = run_cli("path", "city/springfield-us", "Shenzhen", home=loaded)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "error: no path between city/springfield-us and city/shenzhen within 6 hops: "
        "city/springfield-us has no relations at all: no path can reach it"
    )
    before = run_cli("path", "Shenzhen", "CCUCC", "--relation", "member_of", "--as-of", "2014", home=loaded)
    assert before.returncode == 1 and "connected only through what the filters exclude" in before.stderr
    short = run_cli("path", "Shenzhen", "ICLEI USA", "--max-hops", "1", home=loaded)
    assert short.returncode == 1 and "beyond --max-hops 1" in short.stderr


def test_unknown_and_ambiguous_names_exit_2(loaded):
    unknown = run_cli("path", "Atlantis", "Shenzhen", home=loaded)
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: no entity named 'Atlantis'")
    ambiguous = run_cli("path", "Springfield", "Shenzhen", home=loaded)
    assert ambiguous.returncode == 2
    assert (
        "candidate: city/springfield-au" in ambiguous.stderr
        and "candidate: city/springfield-us" in ambiguous.stderr
    )


def test_bad_filter_values_exit_1_naming_the_choices(loaded):
    proc = run_cli("path", "Shenzhen", "ICLEI", "--via-kind", "Town", home=loaded)
    assert proc.returncode == 1 and "unknown entity kind 'Town'" in proc.stderr


def test_gaps_partners_coverage_brokers_cohort(loaded):
    partners = json.loads(run_cli("gaps", "--for", "ICLEI USA", "--json", home=loaded, check=True).stdout)
    assert partners["score"] == "adamic_adar"
    first = partners["suggestions"][0]
    assert first["a"] == "org/iclei-usa" and first["shared"][0]["id"] == "org/iclei"
    coverage = json.loads(
        run_cli("gaps", "--kind", "coverage", "--within", "CCUCC", "--json", home=loaded, check=True).stdout
    )
    assert set(coverage["matrix"]["city/shenzhen"]) == {
        "tech/low-carbon-clean-technology",
        "tech/air-pollution-mitigation",
    }
    brokers = json.loads(
        run_cli("gaps", "--kind", "brokers", "--top", "3", "--json", home=loaded, check=True).stdout
    )
    assert brokers["method"] == "exact" and brokers["brokers"][0]["id"] == "org/iclei"
    cohort = run_cli("gaps", "--kind", "cohort", "--within", "CCUCC", home=loaded, check=True)
    assert cohort.stdout.startswith("no gaps")
    missing = run_cli("gaps", "--kind", "coverage", home=loaded)
    assert missing.returncode == 1 and "needs --within" in missing.stderr


def test_neighbours_centrality_communities(loaded):
    nb = json.loads(
        run_cli("neighbours", "ICLEI USA", "--hops", "1", "--json", home=loaded, check=True).stdout
    )
    assert [n["id"] for n in nb["nodes"]] == ["org/iclei-usa", "org/iclei", "person/angie-fyfe"]
    assert nb["truncated"] is False
    text = run_cli("neighbours", "Shenzhen", home=loaded, check=True).stdout
    assert text.splitlines()[0].startswith("0  Shenzhen [city/shenzhen, City]")
    ranking = json.loads(
        run_cli("centrality", "--measure", "pagerank", "--top", "3", "--json", home=loaded, check=True).stdout
    )
    assert ranking["measure"] == "pagerank" and len(ranking["entities"]) == 3
    scores = [e["score"] for e in ranking["entities"]]
    assert scores == sorted(scores, reverse=True)
    found = json.loads(run_cli("communities", "--json", home=loaded, check=True).stdout)
    assert found["modularity"] > 0 and found["communities"][0]["size"] >= found["communities"][-1]["size"]


def test_gaps_partners_pair_actors_and_explain_only_the_rarest(loaded):
    full = json.loads(
        run_cli("gaps", "--for", "Shenzhen", "--top", "5", "--json", home=loaded, check=True).stdout
    )
    assert full["pair"] == "city-city" and "resource allocation" in full["tie_break"]
    kinds = json.loads(
        run_cli("neighbours", "Shenzhen", "--hops", "3", "--json", home=loaded, check=True).stdout
    )
    kind_of = {n["id"]: n["kind"] for n in kinds["nodes"]}
    for s in full["suggestions"]:
        assert kind_of.get(s["b"]) == "City" and s["shared_count"] == len(s["shared"])
    text = run_cli(
        "gaps", "--for", "Shenzhen", "--top", "5", "--explain", "1", home=loaded, check=True
    ).stdout
    blocks = text.split("\n")
    shown = [line for line in blocks if line.strip().startswith("shares ")]
    assert len(shown) == len(full["suggestions"])  # one explained item per suggestion
    for s in full["suggestions"]:
        assert f"shares {s['shared_count']:,} items" in text
        rarest = min(i["degree"] for i in s["shared"])
        assert any(f"held by {rarest:,}]" in line for line in shown)
    organisations = json.loads(
        run_cli(
            "gaps", "--for", "Shenzhen", "--pair", "city-organisation", "--json", home=loaded, check=True
        ).stdout
    )
    assert all(s["b"].startswith("org/") for s in organisations["suggestions"])
    bad = run_cli("gaps", "--for", "CCUCC", home=loaded)
    assert bad.returncode == 1 and "not for an Initiative" in bad.stderr
