"""Partnership gaps: never an existing tie, explanations that hold, scores networkx agrees with.

Every expectation is computed here from the raw records (a batch, or relations read back from
the store with ``kg.relations()``), never from the projection the queries use.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import networks, property_settings, store_with

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import (
    ACTOR_KINDS,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
)
from climatekg.queries import limits
from climatekg.queries.gaps import brokers, cohort_gaps, coverage, suggest_partners
from climatekg.queries.structure import centrality

R = RelationKind
SOURCE = Source(id="handmade", title="hand-made network", loader="test")


def prov(locator: str | None = None) -> Provenance:
    return Provenance("handmade", "test", locator=locator)


def batch_of(entities: list[tuple[str, EntityKind]], relations: list[tuple]) -> Batch:
    """A batch from (id, kind) pairs and (subject, kind, object[, role]) tuples."""
    batch = Batch(source=SOURCE)
    batch.entities = [Entity(eid, kind, eid.split("/")[1], prov()) for eid, kind in entities]
    batch.relations = [
        Relation(r[0], r[1], r[2], prov(f"row {i}"), role=r[3] if len(r) > 3 else None)
        for i, r in enumerate(relations)
    ]
    return batch


# ---- independent references ----------------------------------------------------------------


def context_graph(relations: list[Relation], kinds: dict[str, EntityKind]) -> nx.Graph:
    """The context graph from raw relations: actor—actor and actor—technology ties, and co-parties."""
    actors = {e for e, k in kinds.items() if k in ACTOR_KINDS}
    H = nx.Graph()
    H.add_nodes_from(actors)
    parties: dict[str, set[str]] = {}
    for r in relations:
        s, o = r.subject, r.object
        if s == o:
            continue
        if (s in actors and (o in actors or kinds[o] == EntityKind.TECHNOLOGY)) or (
            o in actors and kinds[s] == EntityKind.TECHNOLOGY
        ):
            H.add_edge(s, o)
        if r.kind == R.PARTY_TO and s in actors and kinds[o] == EntityKind.AGREEMENT:
            parties.setdefault(o, set()).add(s)
    for members in parties.values():
        H.add_edges_from(combinations(sorted(members), 2))
    return H


PARTNERS = {EntityKind.CITY, EntityKind.ORGANISATION}


def expected_suggestions(H: nx.Graph, kinds, for_entity=None, scope=None):
    """Every untied pair of cities and organisations with shared context (``--pair any``)."""
    actors = sorted(n for n in H if kinds[n] in PARTNERS)
    rows = []
    for a, b in combinations(actors, 2):
        if for_entity and for_entity not in (a, b):
            continue
        other = b if a == for_entity else a
        if scope is not None and (other not in scope or (not for_entity and a not in scope)):
            continue
        if H.has_edge(a, b) or not set(H[a]) & set(H[b]):
            continue
        aa = next(iter(nx.adamic_adar_index(H, [(a, b)])))[2]
        ra = next(iter(nx.resource_allocation_index(H, [(a, b)])))[2]
        rows.append((aa, ra, a, b))
    return rows


def ties_read_back(kg) -> set[frozenset[str]]:
    """Tied actor pairs according to ``kg.relations()``: a relation, or a shared agreement."""
    relations = list(kg.relations())
    kinds = {e.id: e.kind for e in kg.entities()}
    tied = {frozenset((r.subject, r.object)) for r in relations}
    parties: dict[str, set[str]] = {}
    for r in relations:
        if r.kind == R.PARTY_TO and kinds.get(r.object) == EntityKind.AGREEMENT:
            parties.setdefault(r.object, set()).add(r.subject)
    for members in parties.values():
        tied |= {frozenset(p) for p in combinations(members, 2)}
    return tied


def holds(relations: list[Relation], kinds, who: str, item: str, via: str) -> bool:
    """Whether ``who`` holds ``item`` as the explanation says: directly, or via a shared agreement."""
    if via == "direct":
        return any({r.subject, r.object} == {who, item} for r in relations)
    return kinds.get(via) == EntityKind.AGREEMENT and all(
        any(r.kind == R.PARTY_TO and r.subject == x and r.object == via for r in relations)
        for x in (who, item)
    )


# ---- random networks -----------------------------------------------------------------------

FAST = property_settings(max_examples=30)


@FAST
@given(batch=networks(dated=True), data=st.data())
def test_suggestions_are_never_ties_and_their_explanations_hold(batch, data):
    kinds = {e.id: e.kind for e in batch.entities}
    actors = sorted(e for e, k in kinds.items() if k in PARTNERS)
    for_entity = data.draw(st.sampled_from([None, *actors]))
    H = context_graph(batch.relations, kinds)
    with store_with(batch) as kg:
        read_back = list(kg.relations())
        tied = ties_read_back(kg)
        found = suggest_partners(kg, for_entity=for_entity, top=100, pair="any")
        by_default = suggest_partners(kg, for_entity=for_entity, top=100)
        for s in by_default:  # never an initiative, agreement, technology …
            assert {kinds[s.a], kinds[s.b]} <= PARTNERS
            has_cities = EntityKind.CITY in kinds.values()
            if has_cities and (not for_entity or kinds[for_entity] == EntityKind.CITY):
                assert {kinds[s.a], kinds[s.b]} == {EntityKind.CITY}
        for s in found:
            assert frozenset((s.a, s.b)) not in tied
            assert s.a != s.b and {kinds[s.a], kinds[s.b]} <= PARTNERS
            assert s.shared
            for item in s.shared:
                assert all(holds(read_back, kinds, s.a, item.id, via) for via in item.via_a)
                assert all(holds(read_back, kinds, s.b, item.id, via) for via in item.via_b)
                assert item.degree == H.degree(item.id)
            assert {i.id for i in s.shared} == set(H[s.a]) & set(H[s.b])
        expected = expected_suggestions(H, kinds, for_entity)
        assert len(found) == len(expected)
        assert sorted(
            (round(s.adamic_adar, 9), round(s.resource_allocation, 9), *sorted((s.a, s.b))) for s in found
        ) == sorted((round(aa, 9), round(ra, 9), a, b) for aa, ra, a, b in expected)
        scores = [(s.adamic_adar, s.resource_allocation) for s in found]
        assert scores == sorted(scores, reverse=True)
        everyone = Counter(round(aa, 9) for aa, _, _, _ in expected)
        assert [s.ties for s in found] == [everyone[round(s.adamic_adar, 9)] for s in found]
        if for_entity:
            assert all(s.a == for_entity for s in found)


@FAST
@given(batch=networks(max_entities=10, max_relations=20, dated=True))
def test_cohort_gaps_are_exactly_the_untied_member_pairs(batch):
    kinds = {e.id: e.kind for e in batch.entities}
    initiatives = [e for e, k in kinds.items() if k == EntityKind.INITIATIVE]
    with store_with(batch) as kg:
        tied = ties_read_back(kg)
        relations = list(kg.relations())
        for group in initiatives:
            members = {
                r.subject
                for r in relations
                if r.kind == R.MEMBER_OF and r.object == group and kinds[r.subject] in ACTOR_KINDS
            }
            expected = {frozenset(p) for p in combinations(members, 2)} - tied
            assert {frozenset((g.a, g.b)) for g in cohort_gaps(kg, group)} == expected


# ---- a hand-made initiative ----------------------------------------------------------------

ENTITIES = [
    ("initiative/clean-cities", EntityKind.INITIATIVE),
    ("initiative/bus-club", EntityKind.INITIATIVE),
    ("city/c1", EntityKind.CITY),
    ("city/c2", EntityKind.CITY),
    ("city/c3", EntityKind.CITY),
    ("city/outsider", EntityKind.CITY),
    ("org/o1", EntityKind.ORGANISATION),
    ("org/solar-maker", EntityKind.ORGANISATION),
    ("org/wind-maker", EntityKind.ORGANISATION),
    ("agreement/g", EntityKind.AGREEMENT),
    ("tech/solar", EntityKind.TECHNOLOGY),
    ("tech/wind", EntityKind.TECHNOLOGY),
    ("tech/ev", EntityKind.TECHNOLOGY),
    ("tech/bus", EntityKind.TECHNOLOGY),
]
RELATIONS = [
    ("city/c1", R.MEMBER_OF, "initiative/clean-cities", "first cohort"),
    ("city/c2", R.MEMBER_OF, "initiative/clean-cities", "second cohort"),
    ("city/c3", R.MEMBER_OF, "initiative/clean-cities", "first cohort"),
    ("org/o1", R.MEMBER_OF, "initiative/clean-cities"),
    ("initiative/clean-cities", R.CONCERNS, "tech/ev"),
    ("city/c1", R.DEMONSTRATES, "tech/solar"),
    ("city/c2", R.PARTY_TO, "agreement/g"),
    ("org/o1", R.PARTY_TO, "agreement/g"),
    ("agreement/g", R.CONCERNS, "tech/wind"),
    ("city/c3", R.MEMBER_OF, "initiative/bus-club"),
    ("initiative/bus-club", R.CONCERNS, "tech/bus"),
    ("city/c1", R.PARTNER_OF, "city/c3"),
    ("org/solar-maker", R.PROVIDES, "tech/solar"),
    ("org/wind-maker", R.PROVIDES, "tech/wind"),
    ("org/wind-maker", R.PARTNER_OF, "city/outsider"),
]


@pytest.fixture
def handmade(kg):
    kg.load(batch_of(ENTITIES, RELATIONS))
    return kg


def test_coverage_matrix_gaps_and_providers(handmade):
    cov = coverage(handmade, "initiative/clean-cities")
    assert [c["id"] for c in cov.cities] == ["city/c1", "city/c2", "city/c3"]
    assert cov.matrix == {
        "city/c1": {"tech/ev": ["member of initiative/clean-cities"], "tech/solar": ["demonstrates"]},
        "city/c2": {"tech/ev": ["member of initiative/clean-cities"], "tech/wind": ["party to agreement/g"]},
        "city/c3": {
            "tech/bus": ["member of initiative/bus-club"],
            "tech/ev": ["member of initiative/clean-cities"],
        },
    }
    lacks = {(g["city"], g["technology"]): g["peers"] for g in cov.gaps}
    assert lacks == {
        ("city/c1", "tech/bus"): ["city/c3"],
        ("city/c1", "tech/wind"): ["city/c2"],
        ("city/c2", "tech/bus"): ["city/c3"],
        ("city/c2", "tech/solar"): ["city/c1"],
        ("city/c3", "tech/solar"): ["city/c1"],
        ("city/c3", "tech/wind"): ["city/c2"],
    }
    # the solar maker is tied to no city; the wind maker partners a city (outside the initiative)
    assert [(p["provider"], p["technologies"], p["cities_lacking"]) for p in cov.providers] == [
        ("org/solar-maker", ["tech/solar"], ["city/c2", "city/c3"])
    ]
    assert cov.to_dict()["matrix"] == cov.matrix


def test_cohort_gaps_with_and_without_a_role(handmade):
    rows = cohort_gaps(handmade, "initiative/clean-cities")
    # c1–c3 are partners, c2–o1 share an agreement
    assert {(g.a, g.b) for g in rows} == {
        ("city/c1", "city/c2"),
        ("city/c2", "city/c3"),
        ("city/c1", "org/o1"),
        ("city/c3", "org/o1"),
    }
    assert cohort_gaps(handmade, "initiative/clean-cities", role="First Cohort") == []
    second = cohort_gaps(handmade, "initiative/clean-cities", role="second cohort")
    assert second == []  # a cohort of one has no pairs


def test_partners_within_an_initiative_stay_among_its_members(handmade):
    members = {"city/c1", "city/c2", "city/c3", "org/o1"}
    found = suggest_partners(handmade, within="initiative/clean-cities")
    assert found and all({s.a, s.b} <= members for s in found)
    assert ("city/c1", "city/c2") in {(s.a, s.b) for s in found}


def test_global_suggestions_refuse_too_many_actors(handmade, monkeypatch):
    monkeypatch.setattr(limits, "GLOBAL_LIMIT", 3)
    with pytest.raises(ClimateKGError, match="--for"):
        suggest_partners(handmade)
    assert suggest_partners(handmade, for_entity="city/c1")


def test_hub_items_do_not_generate_candidates_but_are_reported(handmade, monkeypatch):
    monkeypatch.setattr(limits, "HUB_LIMIT", 3)
    found = suggest_partners(handmade, for_entity="city/c2")
    assert found.notes and "initiative/clean-cities" in found.notes[0]


# ---- brokers -------------------------------------------------------------------------------


def _two_cliques() -> Batch:
    """Two groups of cities (all partners within each) joined through one organisation."""
    entities = [(f"city/a{i}", EntityKind.CITY) for i in range(4)] + [
        (f"city/b{i}", EntityKind.CITY) for i in range(5)
    ]
    entities += [
        ("org/broker", EntityKind.ORGANISATION),
        ("city/leaf", EntityKind.CITY),
        ("tech/t", EntityKind.TECHNOLOGY),
    ]
    relations = [(f"city/a{i}", R.PARTNER_OF, f"city/a{j}") for i, j in combinations(range(4), 2)]
    relations += [(f"city/b{i}", R.PARTNER_OF, f"city/b{j}") for i, j in combinations(range(5), 2)]
    relations += [("city/a0", R.MEMBER_OF, "org/broker"), ("city/b0", R.MEMBER_OF, "org/broker")]
    relations += [("city/leaf", R.PARTNER_OF, "city/b1"), ("city/a2", R.DEMONSTRATES, "tech/t")]
    return batch_of(entities, relations)


def test_brokers_equal_networkx(kg):
    batch = _two_cliques()
    kg.load(batch)
    G = nx.Graph((r.subject, r.object) for r in batch.relations)
    found = brokers(kg, top=50)
    assert found.method == "exact"
    exact = nx.betweenness_centrality(G)
    actors = {e.id for e in batch.entities if e.kind in ACTOR_KINDS}
    assert {b.id for b in found} == actors
    for b in found:
        assert b.betweenness == pytest.approx(exact[b.id])
        assert b.articulation_point == (b.id in set(nx.articulation_points(G)))
    assert found[0].betweenness == pytest.approx(max(exact[n] for n in actors))
    assert found.bridge_count == len(list(nx.bridges(G)))
    sides = {}
    for x, y in nx.bridges(G):
        H = G.copy()
        H.remove_edge(x, y)
        sides[frozenset((x, y))] = min(
            len(nx.node_connected_component(H, x)), len(nx.node_connected_component(H, y))
        )
    assert {frozenset((b.a, b.b)): b.smaller_side for b in found.bridges} == {
        k: v for k, v in sides.items() if v >= 2
    }
    assert [b.smaller_side for b in found.bridges] == sorted(
        (b.smaller_side for b in found.bridges), reverse=True
    )


def test_betweenness_is_sampled_above_the_limit_and_says_so(kg, monkeypatch):
    kg.load(_two_cliques())
    monkeypatch.setattr(limits, "EXACT_BETWEENNESS_LIMIT", 5)
    monkeypatch.setattr(limits, "BETWEENNESS_SAMPLES", 6)
    found = brokers(kg)
    assert found.method.startswith("sampled: an estimate from shortest paths from 6 of 12 entities")
    assert "--exact" in found.method


def test_exact_betweenness_on_request_and_refused_above_its_limit(kg, monkeypatch):
    batch = _two_cliques()
    kg.load(batch)
    monkeypatch.setattr(limits, "EXACT_BETWEENNESS_LIMIT", 5)
    found = brokers(kg, top=50, exact=True)
    assert found.method == "exact"
    G = nx.Graph((r.subject, r.object) for r in batch.relations)
    G.add_nodes_from(e.id for e in batch.entities)
    expected = nx.betweenness_centrality(G)
    assert {b.id: round(b.betweenness, 9) for b in found} == {b.id: round(expected[b.id], 9) for b in found}
    ranking = centrality(kg, "betweenness", top=3, exact=True)
    assert ranking.method == "exact"
    assert [round(c.score, 9) for c in ranking] == sorted(
        (round(v, 9) for v in expected.values()), reverse=True
    )[:3]
    monkeypatch.setattr(limits, "EXACT_BETWEENNESS_MAX", 10)
    with pytest.raises(ClimateKGError, match="exact betweenness refused: 12 entities is above 10"):
        brokers(kg, exact=True)


# ---- the twin-cities network ---------------------------------------------------------------


def test_partners_suggested_for_shenzhen_are_not_already_twinned(twin_kg):
    found = suggest_partners(twin_kg, for_entity="Shenzhen", top=25)
    assert len(found) == 25
    mine = list(twin_kg.relations("city/shenzhen"))
    tied = {r.object if r.subject == "city/shenzhen" else r.subject for r in mine}
    for agreement in [r.object for r in mine if r.kind == R.PARTY_TO]:
        tied |= {r.subject for r in twin_kg.relations(agreement) if r.kind == R.PARTY_TO}
    for s in found:
        assert s.a == "city/shenzhen" and s.b not in tied
        for item in s.shared:
            if item.kind == "Country":  # a shared country: both are stated in it
                assert twin_kg.entity(s.b).country == twin_kg.entity("city/shenzhen").country == item.label
                continue
            # a shared sister city: Shenzhen is twinned with it through the agreement named
            for via in item.via_a:
                if via == "direct":
                    assert item.id in tied
                else:
                    assert {r.subject for r in twin_kg.relations(via) if r.kind == R.PARTY_TO} >= {
                        "city/shenzhen",
                        item.id,
                    }
        assert s.adamic_adar == pytest.approx(sum(i.weight / math.log(i.degree) for i in s.shared))


# ---- pairs and ties ------------------------------------------------------------------------


def _tied_network() -> Batch:
    """Six cities in one initiative with x; y3 has one more tie; an organisation and a technology."""
    cities = ["city/x", *(f"city/y{i}" for i in range(6)), "city/w"]
    entities = [(c, EntityKind.CITY) for c in cities]
    entities += [
        ("initiative/big", EntityKind.INITIATIVE),
        ("initiative/small", EntityKind.INITIATIVE),
        ("org/o", EntityKind.ORGANISATION),
        ("tech/t", EntityKind.TECHNOLOGY),
    ]
    relations = [(c, R.MEMBER_OF, "initiative/big") for c in cities[:7]]
    relations += [("org/o", R.MEMBER_OF, "initiative/big"), ("city/w", R.PARTNER_OF, "city/y3")]
    relations += [("city/x", R.MEMBER_OF, "initiative/small"), ("city/y5", R.MEMBER_OF, "initiative/small")]
    relations += [("city/x", R.DEMONSTRATES, "tech/t"), ("initiative/small", R.CONCERNS, "tech/t")]
    return batch_of(entities, relations)


def _ranked_by_hand(H: nx.Graph, kinds, pairs) -> list[tuple[float, float, int, str, str]]:
    """Adamic-Adar, resource allocation, preferential attachment from networkx; the documented order."""
    rows = []
    for a, b in pairs:
        if H.has_edge(a, b) or not set(H[a]) & set(H[b]):
            continue
        aa = next(iter(nx.adamic_adar_index(H, [(a, b)])))[2]
        ra = next(iter(nx.resource_allocation_index(H, [(a, b)])))[2]
        pa = next(iter(nx.preferential_attachment(H, [(a, b)])))[2]
        rows.append((round(aa, 9), round(ra, 9), pa, a, b))
    return sorted(rows, key=lambda r: (-r[0], -r[1], -r[2], r[3], r[4]))


def test_ties_are_counted_and_broken_by_the_documented_signals(kg):
    batch = _tied_network()
    kg.load(batch)
    kinds = {e.id: e.kind for e in batch.entities}
    H = context_graph(batch.relations, kinds)
    cities = sorted(e for e, k in kinds.items() if k == EntityKind.CITY)
    expected = _ranked_by_hand(H, kinds, [("city/x", c) for c in cities if c != "city/x"])
    found = suggest_partners(kg, for_entity="city/x", top=3)
    assert found.pair == "city-city" and "resource allocation" in found.tie_break
    assert [(s.b, s.preferential_attachment) for s in found] == [(r[4], r[2]) for r in expected[:3]]
    counts = Counter(r[0] for r in expected)
    assert [s.ties for s in found] == [counts[r[0]] for r in expected[:3]]
    # y5 shares two items; y0..y4 tie on the initiative alone and y3 (one more tie) leads them
    assert found[0].b == "city/y5" and found[0].ties == 1
    assert found[1].b == "city/y3" and found[1].ties == 5
    # every pair: the same order and counts as networkx
    every = suggest_partners(kg, top=100)
    expected = _ranked_by_hand(H, kinds, combinations(cities, 2))
    assert [(round(s.adamic_adar, 9), s.a, s.b) for s in every] == [(r[0], r[3], r[4]) for r in expected]
    counts = Counter(r[0] for r in expected)
    assert [s.ties for s in every] == [counts[round(s.adamic_adar, 9)] for s in every]


def test_pairs_choose_the_kinds_and_initiatives_are_never_partners(kg):
    kg.load(_tied_network())
    for s in suggest_partners(kg, for_entity="city/x", pair="city-organisation", top=50):
        assert s.b == "org/o"
    assert {s.b for s in suggest_partners(kg, for_entity="org/o", top=50)} <= {
        f"city/y{i}" for i in range(6)
    } | {"city/x"}
    mixed = suggest_partners(kg, pair="city-organisation", top=50)
    assert mixed and all(s.a.startswith("city/") and s.b == "org/o" for s in mixed)
    with pytest.raises(ClimateKGError, match="not for an Initiative"):
        suggest_partners(kg, for_entity="initiative/big")
    with pytest.raises(ClimateKGError, match="--pair"):
        suggest_partners(kg, pair="city-initiative")


# ---- coverage explains itself --------------------------------------------------------------


def test_coverage_counts_members_left_out_and_explains_an_empty_answer(kg):
    batch = _tied_network()  # memberships and one technology, concerned by nothing a city holds…
    batch.relations = [r for r in batch.relations if r.kind != R.DEMONSTRATES and r.kind != R.CONCERNS]
    kg.load(batch)
    members = [r.subject for r in batch.relations if r.kind == R.MEMBER_OF and r.object == "initiative/big"]
    kinds = {e.id: e.kind.value for e in batch.entities}
    cov = coverage(kg, "initiative/big")
    assert cov.left_out == dict(Counter(kinds[m] for m in members if kinds[m] != "City"))
    assert not cov.technologies
    assert any("left out" in n and "Organisation" in n for n in cov.notes)
    assert any("no technology ties at all" in n for n in cov.notes)


def test_coverage_says_when_the_cities_cover_nothing_or_there_are_no_cities(handmade):
    cov = coverage(handmade, "initiative/bus-club")  # c3 covers the bus through this very initiative
    assert cov.technologies and not cov.notes
    handmade.load(
        batch_of(
            [("initiative/orgs-only", EntityKind.INITIATIVE), ("org/o1", EntityKind.ORGANISATION)],
            [("org/o1", R.MEMBER_OF, "initiative/orgs-only")],
        )
    )
    cov = coverage(handmade, "initiative/orgs-only")
    assert cov.left_out == {"Organisation": 1}
    assert any("is a city" in n for n in cov.notes)
