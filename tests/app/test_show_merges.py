"""`show` lists the records merged into an entity, and the load summary says on what evidence."""

from __future__ import annotations

import json

import networkx as nx

from tests.helpers import run_cli


def test_show_lists_a_record_joined_by_wikidata_id(tmp_path):
    home = tmp_path / "home"
    curated = tmp_path / "cities.csv"
    curated.write_text("kind,label,country,wikidata\nCity,London,United Kingdom,Q84\n", encoding="utf-8")
    G = nx.Graph()
    G.add_node("a", label="London", wikidata="Q84", country="GB", kind="City")
    G.add_node("b", label="Paris", country="FR", kind="City")
    G.add_edge("a", "b")
    graphml = tmp_path / "net.graphml"
    nx.write_graphml(G, graphml)
    run_cli("load", str(curated), home=home, check=True)
    loaded = run_cli("load", str(graphml), home=home, check=True)
    # the record's own id (kind, name, country) joined the curated entity on the QID both carry
    assert "'London' joined city/london: same Wikidata id Q84" in loaded.stdout
    shown = run_cli("show", "city/london", home=home, check=True).stdout
    assert "merged into this entity:" in shown
    assert "city/london-gb (source net-graphml): node a 'London': same Wikidata id Q84" in shown
    paris = run_cli("show", "Paris", home=home, check=True).stdout
    assert "merged into this entity" not in paris  # nothing joined Paris
    # the same, for scripts: show --json carries the merges and the attributes no field holds
    profile = json.loads(run_cli("show", "--json", "London", home=home, check=True).stdout)
    assert profile["merges"] == [
        {
            "record": "city/london-gb",
            "source": "net-graphml",
            "evidence": "node a 'London': same Wikidata id Q84",
        }
    ]
    assert json.loads(run_cli("show", "--json", "Paris", home=home, check=True).stdout)["merges"] == []
