"""Collaboration paths: lengths equal a plain networkx reference built from the raw data.

References are computed in the tests by a second, simple method: networkx on a graph built
straight from the twin-cities CSV (read with ``csv``) or from the records of a random batch,
never from the store or the projection.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from itertools import islice

import networkx as nx
import pytest
from conftest import TWIN_CITIES_GEO
from hypothesis import given
from hypothesis import strategies as st
from strategies import networks, property_settings, store_with

from climatekg.graph.errors import ClimateKGError, NotFoundError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.queries.paths import path_sentence, shortest_paths, why_no_path

PRESS_RELEASE = "iclei-shenzhen-mou-cop21"

# ---- the bundled data ----------------------------------------------------------------------


def test_shenzhen_reaches_iclei_usa_and_every_hop_cites_the_press_release(bundled_kg):
    paths = shortest_paths(bundled_kg, "Shenzhen", "ICLEI USA")
    assert paths and paths[0].length == 3
    for path in paths:
        assert path.nodes[0] == "city/shenzhen" and path.nodes[-1] == "org/iclei-usa"
        for hop in path.hops:
            assert hop.evidence, hop
            assert any(ev["source"] == PRESS_RELEASE and ev["locator"] and ev["quote"] for ev in hop.evidence)


def test_the_same_path_exists_with_the_twin_cities_loaded(twin_kg):
    paths = shortest_paths(twin_kg, "深圳", "ICLEI USA", k=1)
    assert paths[0].length == 3
    assert all(any(ev["source"] == PRESS_RELEASE for ev in hop.evidence) for hop in paths[0].hops)


def test_an_agreement_is_shown_between_its_parties(bundled_kg):
    paths = shortest_paths(
        bundled_kg, "ICLEI", "Shenzhen Low-Carbon Development Foundation", relations=["party_to"]
    )
    assert len(paths) == 1
    hops = paths[0].hops
    assert [(h.relation, h.direction) for h in hops] == [("party_to", "out"), ("party_to", "in")]
    sentence = path_sentence(bundled_kg, paths[0])
    assert sentence.startswith(
        "ICLEI – Local Governments for Sustainability —party to→ Memorandum of Understanding"
    )
    assert (
        "(2015-12, signed at 21st Conference of the Parties (COP21)) ←party to— Shenzhen Low-Carbon"
        in sentence
    )


def test_a_hop_keeps_its_dates_and_role(bundled_kg):
    hop = shortest_paths(bundled_kg, "Shenzhen", "CCUCC", k=1)[0].hops[0]
    assert (hop.relation, hop.direction, hop.start, hop.role) == ("member_of", "out", "2015", "first cohort")
    assert shortest_paths(bundled_kg, "CCUCC", "Shenzhen", k=1)[0].hops[0].direction == "in"


def test_as_of_before_a_membership_drops_it(bundled_kg):
    direct = shortest_paths(bundled_kg, "Shenzhen", "CCUCC", relations=["member_of"], as_of="2016-03-01")
    assert [p.length for p in direct] == [1]
    assert shortest_paths(bundled_kg, "Shenzhen", "CCUCC", relations=["member_of"], as_of="2014-12-31") == []


def test_filters_name_unknown_kinds(bundled_kg):
    with pytest.raises(ClimateKGError, match="unknown relation kind 'friend_of'"):
        shortest_paths(bundled_kg, "Shenzhen", "ICLEI", relations=["friend_of"])
    with pytest.raises(ClimateKGError, match="unknown entity kind 'Town'"):
        shortest_paths(bundled_kg, "Shenzhen", "ICLEI", via_kinds=["Town"])
    with pytest.raises(ClimateKGError, match="as-of date '2015-13'"):
        shortest_paths(bundled_kg, "Shenzhen", "ICLEI", as_of="2015-13")
    with pytest.raises(NotFoundError):
        shortest_paths(bundled_kg, "Shenzhen", "Atlantis")


# ---- the twin-cities network against networkx on the raw CSV -------------------------------


def _key(text: str) -> str:
    """The loader's documented name key: case, accents and spacing folded (Tancítaro = Tancitaro)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).casefold().split())


@pytest.fixture(scope="module")
def twin_reference():
    """City—agreement—city graph straight from the CSV: one node per normalised (city, country)."""
    G = nx.Graph()
    names = {}
    with open(TWIN_CITIES_GEO, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            a = (_key(row["city1"]), _key(row["country1"]))
            b = (_key(row["city2"]), _key(row["country2"]))
            names.setdefault(a, (row["city1"].strip(), row["country1"].strip()))
            names.setdefault(b, (row["city2"].strip(), row["country2"].strip()))
            if a != b:
                agreement = ("agreement", frozenset((a, b)))
                G.add_edge(a, agreement)
                G.add_edge(agreement, b)
    return G, names


def _store_id(kg, name: tuple[str, str]) -> str | None:
    """The stored city with this name and country (found through the store's name index)."""
    hits = [h for h in kg.find(name[0]) if (e := kg.entity(h)) and e.kind == EntityKind.CITY]
    hits = [h for h in hits if _key(kg.entity(h).country or "") == _key(name[1])]
    return hits[0] if len(hits) == 1 else None


def _twin_pairs(G, seed=11, n=40):
    """Pairs in one component at various distances, and pairs drawn at random (often apart)."""
    rng = random.Random(seed)
    cities = sorted((v for v in G if v[0] != "agreement"), key=str)
    pairs = []
    for _ in range(n):
        s = rng.choice(cities)
        ball = [
            v
            for v in nx.single_source_shortest_path_length(G, s, cutoff=14)
            if v[0] != "agreement" and v != s
        ]
        if ball:
            pairs.append((s, rng.choice(sorted(ball, key=str))))
        pairs.append((s, rng.choice(cities)))
    return pairs


def test_twin_city_path_lengths_equal_networkx_on_the_raw_csv(twin_kg, twin_reference):
    G, names = twin_reference
    checked = 0
    for s, t in _twin_pairs(G):
        a, b = _store_id(twin_kg, names[s]), _store_id(twin_kg, names[t])
        if a is None or b is None or s == t:
            continue
        found = shortest_paths(twin_kg, a, b, k=1, max_hops=60, relations=["party_to"])
        expected = nx.shortest_path_length(G, s, t) if nx.has_path(G, s, t) else None
        assert (found[0].length if found else None) == expected, (a, b)
        if found:
            assert all(twin_kg.entity(n).kind == EntityKind.AGREEMENT for n in found[0].nodes[1::2])
        checked += 1
    assert checked >= 60


def test_twin_city_k_paths_are_simple_distinct_ranked_and_as_short_as_yens(twin_kg, twin_reference):
    G, names = twin_reference
    for s, t in _twin_pairs(G, seed=5, n=12):
        a, b = _store_id(twin_kg, names[s]), _store_id(twin_kg, names[t])
        if a is None or b is None or s == t or not nx.has_path(G, s, t):
            continue
        found = shortest_paths(twin_kg, a, b, k=5, max_hops=40, relations=["party_to"])
        lengths = [p.length for p in found]
        assert lengths == sorted(lengths)
        assert len({tuple(p.nodes) for p in found}) == len(found)
        assert all(len(set(p.nodes)) == len(p.nodes) for p in found)
        reference = [len(p) - 1 for p in islice(nx.shortest_simple_paths(G, s, t), 5)]
        assert lengths == [n for n in reference if n <= 40]


def test_all_paths_in_the_twin_network_equal_networkx(twin_kg, twin_reference):
    G, names = twin_reference
    s = (_key("Shenzhen"), _key("China"))
    checked = 0
    near = nx.single_source_shortest_path_length(G, s, cutoff=4)
    for t in sorted((t for t in near if t[0] != "agreement" and t != s), key=str)[:20]:
        a, b = _store_id(twin_kg, names[s]), _store_id(twin_kg, names[t])
        found = shortest_paths(twin_kg, a, b, max_hops=4, relations=["party_to"], all_paths=True)
        expected = sorted(len(p) - 1 for p in nx.all_simple_paths(G, s, t, cutoff=4))
        assert sorted(p.length for p in found) == expected
        assert not found.truncated
        checked += 1
    assert checked >= 5


# ---- random small networks -----------------------------------------------------------------

DAYS = ["2003-06-15", "2010-01-01", "2012-07-31", "2016-02-29", "2021-12-31"]


def reference(batch: Batch, relations=None, day: str | None = None) -> nx.Graph:
    """The undirected graph of the batch's relations (kinds and date as filtered)."""
    G = nx.Graph()
    G.add_nodes_from(e.id for e in batch.entities)
    for r in batch.relations:
        if (relations is None or r.kind in relations) and (day is None or r.valid_on(day)):
            G.add_edge(r.subject, r.object)
    return G


def through(G: nx.Graph, kinds: dict[str, EntityKind], s: str, t: str, via=None, avoid=()) -> nx.Graph:
    """The reference seen with --via-kind/--avoid-kind: inner nodes of the allowed kinds only."""
    return nx.subgraph_view(
        G, filter_node=lambda n: n in (s, t) or ((via is None or kinds[n] in via) and kinds[n] not in avoid)
    )


FAST = property_settings(max_examples=25)


@FAST
@given(batch=networks(max_entities=8, max_relations=14, dated=True), data=st.data())
def test_random_paths_equal_networkx(batch, data):
    kinds = {e.id: e.kind for e in batch.entities}
    relations = data.draw(
        st.sampled_from([None, [RelationKind.PARTY_TO], [RelationKind.PARTY_TO, RelationKind.DEMONSTRATES]])
    )
    via = data.draw(st.sampled_from([None, [EntityKind.AGREEMENT], [EntityKind.CITY, EntityKind.TECHNOLOGY]]))
    avoid = data.draw(st.sampled_from([(), (EntityKind.TECHNOLOGY,)]))
    max_hops = data.draw(st.integers(1, 5))
    G = reference(batch, relations)
    ids = sorted(kinds)
    with store_with(batch) as kg:
        for s in ids:
            for t in ids:
                if s == t:
                    continue
                view = through(G, kinds, s, t, via, avoid)
                found = shortest_paths(
                    kg, s, t, k=4, max_hops=max_hops, relations=relations, via_kinds=via, avoid_kinds=avoid
                )
                expected = (
                    [len(p) - 1 for p in islice(nx.shortest_simple_paths(view, s, t), 4)]
                    if nx.has_path(view, s, t)
                    else []
                )
                expected = [n for n in expected if n <= max_hops]
                assert [p.length for p in found] == expected, (s, t)
                for p in found:
                    assert p.nodes[0] == s and p.nodes[-1] == t and len(set(p.nodes)) == len(p.nodes)
                    for inner in p.nodes[1:-1]:
                        assert (via is None or kinds[inner] in via) and kinds[inner] not in avoid
                    for hop in p.hops:
                        assert relations is None or hop.relation in relations
                everything = shortest_paths(
                    kg,
                    s,
                    t,
                    max_hops=max_hops,
                    relations=relations,
                    via_kinds=via,
                    avoid_kinds=avoid,
                    all_paths=True,
                )
                assert sorted(tuple(p.nodes) for p in everything) == sorted(
                    tuple(p) for p in nx.all_simple_paths(view, s, t, cutoff=max_hops)
                )


@FAST
@given(batch=networks(max_entities=8, max_relations=18, dated=True), day=st.sampled_from(DAYS))
def test_as_of_never_returns_a_relation_outside_its_dates(batch, day):
    G = reference(batch, day=day)
    stored = {(r.subject, r.kind.value, r.object, r.start, r.end, r.role) for r in batch.relations}
    with store_with(batch) as kg:
        ids = sorted(e.id for e in batch.entities)
        for s in ids:
            for t in ids:
                if s == t:
                    continue
                found = shortest_paths(kg, s, t, k=3, max_hops=6, as_of=day)
                expected = nx.shortest_path_length(G, s, t) if nx.has_path(G, s, t) else None
                assert (found[0].length if found else None) == (
                    expected if expected is None or expected <= 6 else None
                )
                for hop in (h for p in found for h in p.hops):
                    assert hop.evidence
                    for ev in hop.evidence:
                        subject, obj = (
                            (hop.source, hop.target) if ev["direction"] == "out" else (hop.target, hop.source)
                        )
                        r = Relation(
                            subject,
                            RelationKind(ev["relation"]),
                            obj,
                            Provenance(ev["source"], ""),
                            ev["start"],
                            ev["end"],
                        )
                        assert r.valid_on(day), (hop, ev)
                        assert (subject, ev["relation"], obj, ev["start"], ev["end"], ev["role"]) in stored


def test_no_path_is_explained(kg):
    prov = Provenance("islands", "test")
    batch = Batch(source=Source(id="islands", title="islands", loader="test"))
    batch.entities = [Entity(f"city/{x}", EntityKind.CITY, x, prov) for x in "abcdexyz"]
    chain = ["a", "b", "c", "d", "e"]  # a–b–c–d–e, and apart from it x–y; z has no relations
    batch.relations = [
        Relation(f"city/{s}", RelationKind.PARTNER_OF, f"city/{o}", prov)
        for s, o in zip(chain, chain[1:], strict=False)
    ]
    batch.relations.append(Relation("city/x", RelationKind.PARTNER_OF, "city/y", prov))
    kg.load(batch)
    assert not shortest_paths(kg, "city/a", "city/e", max_hops=3)
    assert (
        why_no_path(kg, "city/a", "city/e", max_hops=3) == "the shortest path has 4 hops, beyond --max-hops 3"
    )
    assert "different components" in why_no_path(kg, "city/a", "city/x")
    assert why_no_path(kg, "city/a", "city/z") == "city/z has no relations at all: no path can reach it"
    assert "filters exclude" in why_no_path(kg, "city/a", "city/c", relations=["member_of"])
