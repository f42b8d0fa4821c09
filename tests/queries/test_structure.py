"""Neighbourhoods, centrality, communities and the projection under them, against networkx.

References are graphs built here straight from a batch's records; the projection is also
compared with one read through the plain ``Store`` protocol.
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import networks, property_settings, store_with

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import (
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
)
from climatekg.graph.projection import build_projection, build_projection_from_records, projection
from climatekg.graph.projection import cache as projection_cache
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.queries.structure import centrality, communities, neighbours

R = RelationKind
KINDS = (
    EntityKind.CITY,
    EntityKind.ORGANISATION,
    EntityKind.AGREEMENT,
    EntityKind.TECHNOLOGY,
    EntityKind.EVENT,
)
DAYS = ["2003-06-15", "2012-07-31", "2021-12-31"]


def reference(batch: Batch, day: str | None = None) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(e.id for e in batch.entities)
    G.add_edges_from((r.subject, r.object) for r in batch.relations if day is None or r.valid_on(day))
    return G


def pagerank(G: nx.Graph, damping: float = 0.85, rounds: int = 500) -> dict[str, float]:
    """Plain power iteration; an isolated entity spreads its rank evenly (like igraph and networkx)."""
    n = len(G)
    rank = dict.fromkeys(G, 1 / n)
    for _ in range(rounds):
        spread = sum(rank[v] for v in G if not G.degree(v)) / n
        rank = {
            v: (1 - damping) / n + damping * (spread + sum(rank[u] / G.degree(u) for u in G[v])) for v in G
        }
    return rank


def _layout(proj) -> tuple[dict, dict, dict]:
    """The projection as plain dicts keyed by ids, so two builds compare regardless of int order."""
    ties, dated = {}, {}
    for n in range(len(proj)):
        for pos in proj.positions(n):
            w = proj.indices[pos]
            ties[(proj.ids[n], proj.ids[w])] = (
                proj.out_bits[pos],
                proj.in_bits[pos],
                proj.open_out[pos],
                proj.open_in[pos],
            )
    for (a, b), items in proj.dated.items():
        dated[frozenset((proj.ids[a], proj.ids[b]))] = sorted(
            (d.kind, proj.ids[d.subject], d.start or "", d.end or "") for d in items
        )
    return {proj.ids[n]: (proj.kinds[n], proj.country_of(n)) for n in range(len(proj))}, ties, dated


SOME = property_settings(max_examples=25)


# ---- the projection ------------------------------------------------------------------------


@SOME
@given(batch=networks(kinds=KINDS, dated=True))
def test_the_fast_projection_equals_one_read_through_the_store_protocol(batch):
    with store_with(batch) as kg:
        assert _layout(build_projection(kg)) == _layout(build_projection_from_records(kg))


def test_the_bundled_projection_equals_the_protocol_one(bundled_kg):
    fast = _layout(build_projection(bundled_kg))
    assert fast == _layout(build_projection_from_records(bundled_kg))
    # countries are read too (the bundled cities state theirs)
    stated = {e.id: e.country for e in bundled_kg.entities() if e.country}
    assert stated and {i: c for i, (_, c) in fast[0].items() if c} == stated


def test_the_projection_is_cached_in_memory_and_on_disk(bundled_kg, monkeypatch):
    proj = projection(bundled_kg)
    assert projection(bundled_kg) is proj
    files = list(bundled_kg.home.glob("projection-*.pkl"))
    assert [f.name for f in files] == [f"projection-{bundled_kg.version()}.pkl"]
    monkeypatch.setattr(projection_cache, "build_projection", lambda kg: pytest.fail("rebuilt"))
    other = EmbeddedStore(bundled_kg.home, read_only=True)
    assert _layout(projection(other)) == _layout(proj)


def test_a_change_of_the_data_replaces_the_projection(bundled_kg):
    first = projection(bundled_kg)
    batch = Batch(source=Source(id="extra", title="extra", loader="test"))
    batch.entities = [Entity("city/extra", EntityKind.CITY, "Extra", Provenance("extra", "test"))]
    batch.relations = [Relation("city/extra", R.PARTNER_OF, "city/shenzhen", Provenance("extra", "test"))]
    bundled_kg.load(batch)
    second = projection(bundled_kg)
    assert second is not first and second.version == bundled_kg.version() != first.version
    assert len(second) == len(first) + 1
    assert [f.name for f in bundled_kg.home.glob("projection-*.pkl")] == [f"projection-{second.version}.pkl"]


# ---- neighbourhoods ------------------------------------------------------------------------


@SOME
@given(batch=networks(kinds=KINDS, dated=True), data=st.data())
def test_neighbourhoods_equal_networkx_ego_graphs(batch, data):
    hops = data.draw(st.integers(1, 3))
    day = data.draw(st.sampled_from([None, *DAYS]))
    kinds = data.draw(st.sampled_from([None, [EntityKind.CITY, EntityKind.AGREEMENT]]))
    G = reference(batch, day)
    kind_of = {e.id: e.kind for e in batch.entities}
    with store_with(batch) as kg:
        for e in batch.entities:
            view = G if kinds is None else G.subgraph([n for n in G if n == e.id or kind_of[n] in kinds])
            expected = nx.single_source_shortest_path_length(view, e.id, cutoff=hops)
            nb = neighbours(kg, e.id, hops=hops, through_kinds=kinds, as_of=day)
            if kinds is not None:  # --kind filters the result of a walk through everything
                reached = nx.single_source_shortest_path_length(G, e.id, cutoff=hops)
                listed = neighbours(kg, e.id, hops=hops, kinds=kinds, as_of=day)
                assert {n["id"]: n["distance"] for n in listed.nodes} == {
                    n: d for n, d in reached.items() if n == e.id or kind_of[n] in kinds
                }
            assert {n["id"]: n["distance"] for n in nb.nodes} == expected
            assert [n["distance"] for n in nb.nodes] == sorted(n["distance"] for n in nb.nodes)
            assert not nb.truncated
            kept = set(expected)
            assert {(x["source"], x["relation"], x["target"]) for x in nb.edges} == {
                (r.subject, r.kind.value, r.object)
                for r in batch.relations
                if {r.subject, r.object} <= kept and (day is None or r.valid_on(day))
            }


def test_kind_filters_the_result_and_through_kind_the_walk(kg):
    """Paris — member of — a network — member of — Lyon: --kind City finds Lyon; --through-kind City does not."""
    prov = Provenance("walk", "test")
    batch = Batch(source=Source(id="walk", title="walk", loader="test"))
    batch.entities = [
        Entity("city/paris", EntityKind.CITY, "Paris", prov),
        Entity("city/lyon", EntityKind.CITY, "Lyon", prov),
        Entity("city/nice", EntityKind.CITY, "Nice", prov),
        Entity("org/net", EntityKind.ORGANISATION, "Net", prov),
    ]
    batch.relations = [
        Relation("city/paris", R.MEMBER_OF, "org/net", prov),
        Relation("city/lyon", R.MEMBER_OF, "org/net", prov),
        Relation("city/paris", R.PARTNER_OF, "city/nice", prov),
    ]
    kg.load(batch)
    listed = neighbours(kg, "Paris", hops=2, kinds=["City"])
    assert {n["id"]: n["distance"] for n in listed.nodes} == {"city/paris": 0, "city/nice": 1, "city/lyon": 2}
    walked = neighbours(kg, "Paris", hops=2, through_kinds=["City"])
    assert {n["id"] for n in walked.nodes} == {"city/paris", "city/nice"}


def test_a_neighbourhood_is_bounded_and_says_how_much_was_left_out(kg):
    batch = Batch(source=Source(id="hub", title="hub", loader="test"))
    batch.entities = [Entity("tech/hub", EntityKind.TECHNOLOGY, "Hub", Provenance("hub", "test"))]
    batch.entities += [
        Entity(f"city/c{i}", EntityKind.CITY, f"C{i}", Provenance("hub", "test")) for i in range(30)
    ]
    batch.relations = [
        Relation(f"city/c{i}", R.DEMONSTRATES, "tech/hub", Provenance("hub", "test")) for i in range(30)
    ]
    kg.load(batch)
    nb = neighbours(kg, "tech/hub", hops=2, limit=10)
    assert nb.truncated and len(nb.nodes) == 10 and nb.left_out == 21
    assert neighbours(kg, "tech/hub", hops=2, limit=31).truncated is False


def test_neighbours_of_shenzhen_in_the_bundled_data(bundled_kg):
    nb = neighbours(bundled_kg, "Shenzhen", hops=1)
    assert {n["id"] for n in nb.nodes} == {
        "city/shenzhen",
        "initiative/ccucc",
        "event/first-us-china-climate-leaders-summit",
        "person/mr-tang",
    }
    membership = next(e for e in nb.edges if e["relation"] == "member_of")
    assert (membership["source"], membership["target"], membership["start"]) == (
        "city/shenzhen",
        "initiative/ccucc",
        "2015",
    )


# ---- centrality and communities ------------------------------------------------------------


@SOME
@given(batch=networks(kinds=KINDS, max_entities=12, max_relations=24, dated=True))
def test_centrality_equals_networkx(batch):
    G = reference(batch)
    with store_with(batch) as kg:
        n = len(G)
        degree = centrality(kg, "degree", top=n)
        assert {c.id: c.score for c in degree} == {v: float(d) for v, d in G.degree()}
        between = centrality(kg, "betweenness", top=n)
        assert between.method == "exact"
        exact = nx.betweenness_centrality(G)
        assert all(c.score == pytest.approx(exact[c.id], abs=1e-9) for c in between)
        if G.number_of_edges():
            rank = centrality(kg, "pagerank", top=n)
            expected = pagerank(G)
            assert all(c.score == pytest.approx(expected[c.id], abs=1e-4) for c in rank)


def test_an_unknown_measure_is_named(bundled_kg):
    with pytest.raises(ClimateKGError, match="unknown measure 'fame'"):
        centrality(bundled_kg, "fame")


def test_communities_find_planted_groups_and_their_modularity_matches_networkx(kg):
    groups = [[f"city/g{g}m{i}" for i in range(5)] for g in range(3)]
    batch = Batch(source=Source(id="groups", title="groups", loader="test"))
    batch.entities = [Entity(c, EntityKind.CITY, c, Provenance("groups", "test")) for g in groups for c in g]
    batch.relations = [
        Relation(a, R.PARTNER_OF, b, Provenance("groups", "test"))
        for g in groups
        for a, b in combinations(g, 2)
    ]
    batch.relations += [Relation(groups[0][0], R.PARTNER_OF, groups[1][0], Provenance("groups", "test"))]
    batch.relations += [Relation(groups[1][1], R.PARTNER_OF, groups[2][0], Provenance("groups", "test"))]
    kg.load(batch)
    found = communities(kg)
    parts = sorted(
        sorted(c for c, i in found.membership.items() if i == k) for k in set(found.membership.values())
    )
    assert parts == sorted(groups)
    G = reference(batch)
    assert found.modularity == pytest.approx(nx.community.modularity(G, parts))
    assert [c.size for c in found] == [5, 5, 5]
    assert (
        nx.community.louvain_communities(G, seed=1)
        and sorted(map(sorted, nx.community.louvain_communities(G, seed=1))) == parts
    )
