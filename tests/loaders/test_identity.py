"""The identity rule on network files with homonyms: exactly the right entities, stable ids.

The files are written here with networkx: a GEXF of cities whose node ids are Wikidata ids (as a
Wikidata sister-city export is) and a GraphML that names some of the same cities another way.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from climatekg.graph.errors import LoadError
from climatekg.graph.model import EntityKind
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.loaders.identity import Identities, country_code, km_between
from climatekg.loaders.network import load_edge_list, load_gexf, load_graphml
from climatekg.queries.paths import shortest_paths

# node id → label, country, lat, lon, population (the GEXF file)
CITIES = {
    "Q84": ("London", "GBR", 51.507, -0.128, 8_800_000),
    "Q92561": ("London", "Canada", 42.984, -81.246, 420_000),
    "Q90": ("Paris", "France", 48.857, 2.352, 2_100_000),
    "Q830149": ("Paris", "United States", 33.661, -95.556, 25_000),
    "Q62": ("San Francisco", "US", 37.779, -122.419, 870_000),
    "Q1016997": ("San Francisco", "Argentina", -31.428, -62.083, 60_000),
    "Q1486": ("Buenos Aires", "ARG", -34.603, -58.381, 3_000_000),
    # same label, same country, far apart: two different places
    "Q1000001": ("Springfield", "US", 39.8, -89.65, 114_000),
    "Q1000002": ("Springfield", "US", 42.1, -72.59, 155_000),
}
EDGES = [("Q84", "Q90"), ("Q84", "Q62"), ("Q92561", "Q1000001"), ("Q62", "Q1016997"), ("Q1016997", "Q1486")]
EDGES += [("Q830149", "Q1000002"), ("Q1000002", "Q90"), ("Q1486", "Q92561")]


def _gexf(path):
    G = nx.Graph()
    for qid, (label, country, lat, lon, pop) in CITIES.items():
        G.add_node(qid, label=label, country=country, lat=lat, lon=lon, pop=pop, kind="City")
    G.add_edges_from(EDGES)
    nx.write_gexf(G, path)
    return path


def _graphml(path):
    """Some of the same cities named another way, plus one new homonym."""
    G = nx.Graph()
    G.add_node("a", label="London", wikidata="Q84", country="United Kingdom")  # same QID
    G.add_node("b", label="Paris", country="FR", lat=48.86, lon=2.34)  # same name+country, near
    G.add_node("c", label="London", country="CA")  # same name+country, one candidate
    G.add_node("d", label="London", country="US", lat=37.13, lon=-84.08)  # a new London (Kentucky)
    G.add_node("e", label="Springfield", country="US")  # two candidates: never chosen between
    G.add_edges_from([("a", "b"), ("c", "d"), ("d", "e")])
    nx.write_graphml(G, path)
    return path


def _by_qid(kg):
    return {e.wikidata: e.id for e in kg.entities(EntityKind.CITY) if e.wikidata}


def test_homonyms_in_a_gexf_stay_apart_with_their_attributes(kg, tmp_path):
    batch = load_gexf(_gexf(tmp_path / "sister.gexf"), store=kg, default_kind="City")
    kg.load(batch)
    cities = list(kg.entities(EntityKind.CITY))
    assert len(cities) == len(CITIES)
    by_qid = {e.wikidata: e for e in cities}
    assert set(by_qid) == set(CITIES)
    for qid, (label, country, lat, lon, pop) in CITIES.items():
        e = by_qid[qid]
        assert (e.label, e.country, e.lat, e.lon, e.population) == (
            label,
            country_code(country),
            lat,
            lon,
            pop,
        )
    assert by_qid["Q84"].id == "city/london-gb" and by_qid["Q92561"].id == "city/london-ca"
    springfields = {by_qid["Q1000001"].id, by_qid["Q1000002"].id}
    assert springfields == {"city/springfield-us", "city/springfield-us-q1000002"}
    assert any("homonym" in note for note in batch.notes)


def test_paths_agree_with_networkx_on_the_raw_file(kg, tmp_path):
    path = _gexf(tmp_path / "sister.gexf")
    kg.load(load_gexf(path, store=kg, default_kind="City"))
    raw = nx.read_gexf(path)
    ids = _by_qid(kg)
    for u, w in itertools.combinations(sorted(raw.nodes), 2):
        expected = nx.shortest_path_length(raw, u, w) if nx.has_path(raw, u, w) else None
        found = shortest_paths(kg, ids[u], ids[w], k=1, max_hops=10)
        assert (found[0].length if found else None) == expected, (u, w)


def test_a_second_file_joins_only_on_evidence(kg, tmp_path):
    kg.load(load_gexf(_gexf(tmp_path / "sister.gexf"), store=kg, default_kind="City"))
    before = _by_qid(kg)
    batch = load_graphml(_graphml(tmp_path / "other.graphml"), store=kg, default_kind="City")
    kg.load(batch)
    assert kg.find("a") == [before["Q84"]]  # same Wikidata id
    assert kg.find("b") == [before["Q90"]]  # same name and country, 1 km apart
    assert kg.find("c") == [before["Q92561"]]  # same name and country, no coordinates to compare
    assert kg.find("d") == ["city/london-us"]  # a London nobody had: a new entity
    springfield = kg.find("e")
    assert len(springfield) == 1 and springfield[0] not in (before["Q1000001"], before["Q1000002"])
    assert len(list(kg.entities(EntityKind.CITY))) == len(CITIES) + 2
    joined = [n for n in batch.notes if "joined" in n]
    assert len(joined) == 3 and any("same Wikidata id Q84" in n for n in joined)
    assert _by_qid(kg) == before  # no id changed meaning


def test_ids_do_not_depend_on_reloads_or_load_order(tmp_path):
    gexf, graphml = _gexf(tmp_path / "sister.gexf"), _graphml(tmp_path / "other.graphml")
    loaders = {gexf: load_gexf, graphml: load_graphml}

    def entities(order, reload):
        kg = EmbeddedStore(tmp_path / f"home-{order[0].suffix}-{reload}")
        for path in [*order, *(order if reload else [])]:
            kg.load(loaders[path](path, store=kg, default_kind="City"))
        found = {(e.id, e.label, e.country, e.wikidata) for e in kg.entities(EntityKind.CITY)}
        kg.close()
        return found

    first = entities([gexf, graphml], reload=False)
    assert entities([gexf, graphml], reload=True) == first
    swapped = entities([graphml, gexf], reload=False)
    assert len(swapped) == len(first)
    # Ids come from kind, name and country, so they do not depend on order, except among
    # same-name same-country homonyms (the Springfields): whichever was stored first keeps
    # the plain id, because an id once given out is never handed to another entity.
    assert {e[0] for e in swapped if "springfield" not in e[0]} == {
        e[0] for e in first if "springfield" not in e[0]
    }
    springfields = {e[3]: e[0] for e in first if e[1] == "Springfield"}
    assert len(springfields) == len(set(springfields.values())) == 3


def test_shuffled_nodes_get_the_same_ids(tmp_path):
    G = nx.read_gexf(_gexf(tmp_path / "a.gexf"))
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(G.edges)
    nx.write_gexf(H, tmp_path / "b.gexf")
    ids = [
        {(e.id, e.wikidata) for e in load_gexf(tmp_path / name, default_kind="City").entities}
        for name in ("a.gexf", "b.gexf")
    ]
    assert ids[0] == ids[1]


def test_one_qid_twice_in_a_file_is_one_entity(tmp_path):
    G = nx.Graph()
    G.add_node("x", label="London", wikidata="Q84", country="GB")
    G.add_node("Q84", label="London, UK", country="GB")
    G.add_node("y", label="Paris", country="FR")
    G.add_edges_from([("x", "y"), ("Q84", "y")])
    nx.write_graphml(G, tmp_path / "twice.graphml")
    batch = load_graphml(tmp_path / "twice.graphml", default_kind="City")
    assert len(batch.entities) == 2
    assert {r.subject for r in batch.relations} | {r.object for r in batch.relations} == {
        e.id for e in batch.entities
    }


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"lat": 91.0, "lon": 0.0}, r"node n: 91.0 is out of range"),
        ({"kind": "Galaxy"}, r"node n: unknown kind 'Galaxy'"),
        ({"wikidata": "84"}, r"node n: '84' is not a Wikidata id"),
    ],
)
def test_bad_node_attributes_name_the_node(tmp_path, attrs, message):
    G = nx.Graph()
    G.add_node("n", label="X", **attrs)
    nx.write_graphml(G, tmp_path / "bad.graphml")
    with pytest.raises(LoadError, match=message):
        load_graphml(tmp_path / "bad.graphml")


def test_an_unknown_country_is_reported_with_its_node(tmp_path):
    G = nx.Graph()
    G.add_node("n", label="Atlantis City", country="Atlantis")
    nx.write_graphml(G, tmp_path / "c.graphml")
    batch = load_graphml(tmp_path / "c.graphml", default_kind="City")
    assert batch.entities[0].country is None
    assert batch.notes == ["c.graphml: node n: unknown country 'Atlantis' left empty"]


def test_countries_and_distances_come_from_their_libraries():
    assert {country_code(v) for v in ("GB", "GBR", "United Kingdom", "gb")} == {"GB"}
    assert country_code("Narnia") is None
    assert 340 < km_between((51.507, -0.128), (48.857, 2.352)) < 345  # London–Paris


def test_edge_list_map_to_a_missing_column_lists_the_columns(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("from,to\nA,B\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"--map source=origin: no column 'origin' \(columns: from, to\)"):
        load_edge_list(path, mapping={"source": "origin", "target": "to"})


def test_one_identities_sees_every_file_of_a_load(tmp_path):
    gexf, graphml = _gexf(tmp_path / "sister.gexf"), _graphml(tmp_path / "other.graphml")
    shared = Identities(None)
    first = load_gexf(gexf, default_kind="City", identities=shared)
    second = load_graphml(graphml, default_kind="City", identities=shared)
    london = next(e.id for e in first.entities if e.wikidata == "Q84")
    assert next(e.id for e in second.entities if e.aliases == ("a",)) == london


def test_a_gexf_export_reloads_to_the_same_cities(kg, tmp_path, home):
    from climatekg.app.publish.exports import export_network

    kg.load(load_gexf(_gexf(tmp_path / "sister.gexf"), store=kg, default_kind="City"))
    export_network(kg, "gexf", tmp_path / "out.gexf")
    again = load_gexf(tmp_path / "out.gexf", default_kind="City")
    fields = {(e.id, e.label, e.country, e.lat, e.lon, e.population, e.wikidata) for e in kg.entities()}
    assert {
        (e.id, e.label, e.country, e.lat, e.lon, e.population, e.wikidata) for e in again.entities
    } == fields
