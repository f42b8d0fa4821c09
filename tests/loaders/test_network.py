"""GraphML, GEXF and edge-list CSV: nodes become entities, node ids stay as aliases."""

from __future__ import annotations

import networkx as nx
import pytest

from climatekg.graph.errors import LoadError
from climatekg.loaders.network import load_edge_list, load_gexf, load_graphml


def _sample() -> nx.Graph:
    G = nx.Graph()
    G.add_node("n1", label="Shenzhen", kind="City")
    G.add_node("n2", label="Los Angeles", kind="City")
    G.add_node("n3", label="ICLEI", kind="Organisation")
    G.add_edge("n1", "n2", kind="partner_of", start="2015-09")
    G.add_edge("n1", "n3")
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_load_with_ids_as_aliases(kg, tmp_path, fmt):
    path = tmp_path / f"net.{fmt}"
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(_sample(), path)
    batch = (load_graphml if fmt == "graphml" else load_gexf)(path, store=kg)
    kg.load(batch)
    assert kg.find("n1") == ["city/shenzhen"]
    rels = {(r.subject, r.kind.value, r.object, r.start) for r in kg.relations()}
    expected_edges = {(u, w) for u, w in _sample().edges()}
    assert len(rels) == len(expected_edges)
    assert ("city/shenzhen", "partner_of", "city/los-angeles", "2015-09") in rels


def test_edge_list_with_a_column_mapping(kg, tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text(
        "from,to,type,since\nShenzhen,Los Angeles,partner_of,2015\nShenzhen,Paris,,\n", encoding="utf-8"
    )
    batch = load_edge_list(
        path,
        store=kg,
        mapping={"source": "from", "target": "to", "kind": "type", "start": "since"},
        default_kind="City",
    )
    kg.load(batch)
    assert kg.stats()["entities_by_kind"] == {"City": 3}
    assert {r.start for r in kg.relations()} == {"2015", None}


def test_edge_list_without_its_columns_names_the_mapping(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("from,to\nA,B\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"missing column 'source' \(map it with --map source=COLUMN\)"):
        load_edge_list(path)


def test_malformed_graphml_names_the_line(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text(
        '<?xml version="1.0"?>\n<graphml>\n<graph>\n<node id="a">\n</graphml>\n', encoding="utf-8"
    )
    with pytest.raises(LoadError, match=r"bad.graphml:5: malformed XML"):
        load_graphml(path)
