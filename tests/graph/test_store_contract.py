"""The contract every store keeps: loaded with the same batches, the embedded store and Neo4j give
the same answers — look-ups, relations, counts, and the questions of queries/ (paths up to ties of
equal length, gap rankings, coverage, neighbourhoods, degree centrality).

One parametrised fixture gives each store; answers are compared with those of a reference
embedded store loaded with the same batches (for the embedded store itself that checks the
comparison).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from conftest import load_bundled

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.queries import cypher_engine as on_neo4j
from climatekg.queries import gaps, paths, structure

NET = Source("net", "A seeded synthetic network", "test")


def network_batch(seed: int = 3) -> Batch:
    """About 100 entities of every actor kind, technologies and agreements, some ties dated and with roles."""
    rng = random.Random(seed)
    prov = Provenance("net", "test", locator="generated")
    plain = Provenance("net", "test")

    def ents(kind: EntityKind, prefix: str, n: int, **extra: Any) -> list[Entity]:
        return [Entity(f"{prefix}/n{i}", kind, f"{kind.value} {i}", prov, **extra) for i in range(n)]

    cities = ents(EntityKind.CITY, "city", 36, country="China")
    orgs = ents(EntityKind.ORGANISATION, "org", 14, classification="company")
    inits = ents(EntityKind.INITIATIVE, "initiative", 4)
    techs = ents(EntityKind.TECHNOLOGY, "tech", 8)
    agreements = ents(EntityKind.AGREEMENT, "agreement", 12, classification="mou")
    rels: list[Relation] = []

    def add(s: Entity, kind: RelationKind, o: Entity, **extra: Any) -> None:
        if s.id != o.id:
            rels.append(Relation(s.id, kind, o.id, prov if extra else plain, **extra))

    for c in cities:
        for init in rng.sample(inits, rng.choice([0, 1, 1, 2])):
            role = rng.choice(["first cohort", "second cohort", None])
            start = rng.choice([None, None, "2015", "2018-06"])
            add(c, RelationKind.MEMBER_OF, init, role=role, start=start)
        for t in rng.sample(techs, rng.choice([0, 1, 2])):
            add(c, RelationKind.DEMONSTRATES, t)
    for _ in range(30):
        a, b = rng.sample(cities + orgs, 2)
        start = rng.choice([None, None, None, "2012", "2020-01-15"])
        end = "2016" if start == "2012" else None
        add(a, RelationKind.PARTNER_OF, b, start=start, end=end)
    for ag in agreements:
        for party in rng.sample(cities + orgs, rng.choice([2, 2, 3])):
            add(party, RelationKind.PARTY_TO, ag)
        add(ag, RelationKind.CONCERNS, rng.choice(techs))
    for init in inits:
        add(init, RelationKind.CONCERNS, rng.choice(techs))
        add(init, RelationKind.LED_BY, rng.choice(orgs))
        add(rng.choice(orgs), RelationKind.MEMBER_OF, init)
    for o in orgs[:8]:
        add(o, RelationKind.PROVIDES, rng.choice(techs))
    add(techs[1], RelationKind.BROADER, techs[0])
    # the same pair twice (two periods), to exercise multi-relations between two entities
    add(cities[0], RelationKind.MEMBER_OF, inits[0], start="2010", end="2012")
    add(cities[0], RelationKind.MEMBER_OF, inits[0], start="2019")
    # one pair, two kinds, one of them over by 2013: an as-of date keeps only the other
    add(cities[0], RelationKind.PARTNER_OF, orgs[0], start="2010", end="2011")
    add(cities[0], RelationKind.MEMBER_OF, orgs[0])
    return Batch(NET, cities + orgs + inits + techs + agreements, rels, digest="net-1")


def _load(kg: Any) -> None:
    load_bundled(kg)
    kg.load(network_batch())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Any:
    kg = EmbeddedStore(tmp_path_factory.mktemp("reference"))
    _load(kg)
    yield kg
    kg.close()


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Each store, loaded with the bundled data and the synthetic network."""
    if request.param == "embedded":
        kg: Any = EmbeddedStore(Path(tmp_path_factory.mktemp("embedded")))
    else:
        from neo4j_fixtures import clean_database, connect

        kg = connect(request.getfixturevalue("neo4j_server"))
        clean_database(kg)
    _load(kg)
    yield kg
    kg.close()


def ask(kg: Any, module: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """The store's own answer: the Cypher runner on Neo4j, the projection's otherwise."""
    fn = getattr(on_neo4j if kg.kind == "neo4j" else module, name)
    return fn(kg, *args, **kwargs)


# ---- the Store protocol ----------------------------------------------------------------------


def test_counts_and_sources(store, reference):
    assert {**store.stats(), "store": "x"} == {**reference.stats(), "store": "x"}
    assert [(s.id, s.title, s.loader, s.digest, s.triples) for s in store.sources()] == [
        (s.id, s.title, s.loader, s.digest, s.triples) for s in reference.sources()
    ]


def _entity_key(e: Any) -> tuple[Any, ...]:
    # names from several sources come in no defined order in the embedded store: compare as sets
    return (e.id, e.kind, e.label, sorted(e.labels), sorted(e.aliases), e.wikidata, e.classification,
            e.description, e.date, e.country, e.lat, e.lon, e.provenance)  # fmt: skip


def test_every_entity_reads_the_same(store, reference):
    ours = sorted((_entity_key(e) for e in store.entities()), key=repr)
    assert ours == sorted((_entity_key(e) for e in reference.entities()), key=repr)
    for kind in (EntityKind.CITY, EntityKind.TECHNOLOGY):
        assert sorted(e.id for e in store.entities(kind)) == sorted(e.id for e in reference.entities(kind))
    assert store.entity("city/nowhere") is None and store.kind_of("city/nowhere") is None


def test_every_relation_reads_the_same(store, reference):
    assert sorted(store.relations(), key=repr) == sorted(reference.relations(), key=repr)
    for eid in ("city/shenzhen", "city/n0", "tech/n1", "org/iclei"):
        assert sorted(store.relations(eid), key=repr) == sorted(reference.relations(eid), key=repr)
        assert {r.provenance.loaded_at for r in store.relations(eid)} <= {
            s.loaded_at for s in store.sources()
        }


@pytest.mark.parametrize(
    "name", ["Shenzhen", "深圳", "Q15174", "ccucc", "city/n3", "City 3", "  iclei ", "nothing at all"]
)
def test_find(store, reference, name):
    assert store.find(name) == reference.find(name)


@pytest.mark.parametrize("text", ["shen", "City 1", "iclei", "technology", "x"])
def test_search(store, reference, text):
    assert store.search(text, limit=7) == reference.search(text, limit=7)


# ---- queries ---------------------------------------------------------------------------------


def _same_paths(ours: list[Any], theirs: list[Any]) -> None:
    """Same lengths; the same paths below the longest length (ties there may differ), each hop
    of a path both found with the same evidence."""
    assert [p.length for p in ours] == [p.length for p in theirs]
    if not theirs:
        return
    longest = theirs[-1].length
    assert [p.nodes for p in ours if p.length < longest] == [p.nodes for p in theirs if p.length < longest]
    by_nodes = {tuple(p.nodes): p for p in theirs}
    for p in ours:
        if tuple(p.nodes) in by_nodes:
            assert p.to_dict() == by_nodes[tuple(p.nodes)].to_dict()


@pytest.mark.parametrize(
    "pair, options",
    [
        (("Shenzhen", "ICLEI USA"), {}),
        (("ICLEI", "Shenzhen Low-Carbon Development Foundation"), {"relations": ["party_to"]}),
        (("city/n0", "city/n5"), {"k": 8}),
        (("city/n1", "org/n2"), {"k": 4, "max_hops": 4}),
        (("city/n2", "city/n9"), {"as_of": "2014", "k": 3}),
        (("city/n3", "tech/n0"), {"avoid_kinds": ["Agreement"], "k": 3}),
        (("city/n4", "city/n7"), {"via_kinds": ["City", "Organisation"], "k": 3}),
        (("city/n5", "city/n5"), {}),
        (("tech/n0", "city/n6"), {"relations": ["broader"]}),
    ],
)
def test_shortest_paths(store, reference, pair, options):
    ours = ask(store, paths, "shortest_paths", *pair, **options)
    _same_paths(ours, paths.shortest_paths(reference, *pair, **options))


def test_all_paths(store, reference):
    ours = ask(store, paths, "shortest_paths", "city/n0", "city/n1", max_hops=3, all_paths=True)
    theirs = paths.shortest_paths(reference, "city/n0", "city/n1", max_hops=3, all_paths=True)
    assert [p.nodes for p in ours] == [p.nodes for p in theirs]
    assert ours.truncated == theirs.truncated


def _suggestions(found: Any) -> list[tuple[Any, ...]]:
    """Suggestions as comparable rows. Inside a group (no ``for_entity``) the embedded store
    orients each pair by its projection's internal order; here both are oriented by id."""
    rows = []
    for s in found:
        items = [(i.id, i.degree, sorted(i.via_a), sorted(i.via_b)) for i in s.shared]
        a, b = s.a, s.b
        if a > b:
            a, b = b, a
            items = [(i, d, vb, va) for i, d, va, vb in items]
        rows.append(
            (
                a,
                b,
                round(s.adamic_adar, 9),
                round(s.resource_allocation, 9),
                s.preferential_attachment,
                s.ties,
                items,
            )
        )
    return sorted(rows, key=lambda r: (-r[2], -r[3], -r[4], r[0], r[1]))


@pytest.mark.parametrize(
    "options",
    [
        {"for_entity": "ICLEI USA"},
        {"for_entity": "city/n0", "top": 50},
        {"for_entity": "org/n3", "top": 50},
        {"for_entity": "city/n7", "within": "initiative/n1", "top": 50},
        {"within": "initiative/n2", "top": 100},
        {"within": "initiative/n2", "top": 3, "pair": "any"},
        {"for_entity": "city/n0", "top": 2, "pair": "city-organisation"},
    ],
)
def test_suggest_partners(store, reference, options):
    ours = ask(store, gaps, "suggest_partners", **options)
    assert _suggestions(ours) == _suggestions(gaps.suggest_partners(reference, **options))


def test_coverage(store, reference):
    for group in ("CCUCC", "initiative/n0", "initiative/n1", "initiative/n3"):
        ours, theirs = ask(store, gaps, "coverage", group), gaps.coverage(reference, group)
        for cov in (ours, theirs):  # how a city covers a technology: in no defined order
            cov.matrix = {c: {t: sorted(h) for t, h in row.items()} for c, row in cov.matrix.items()}
        assert ours.to_dict() == theirs.to_dict()


def _cohort(rows: list[Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (tuple(sorted((r.a, r.b))), r.roles_a if r.a < r.b else r.roles_b, r.shared, round(r.adamic_adar, 9))
        for r in rows
    )


@pytest.mark.parametrize("options", [{}, {"role": "first cohort"}, {"top": 3}])
def test_cohort_gaps(store, reference, options):
    for group in ("initiative/n0", "initiative/n2", "CCUCC"):
        ours = ask(store, gaps, "cohort_gaps", group, **options)
        theirs = gaps.cohort_gaps(reference, group, **options)
        if "top" in options:  # the cut may fall inside a tie: compare the scores
            assert [round(r.adamic_adar, 9) for r in ours] == [round(r.adamic_adar, 9) for r in theirs]
        else:
            assert _cohort(ours) == _cohort(theirs)


def _neighbourhood(nb: Any) -> tuple[Any, ...]:
    nodes = sorted((n["id"], n["label"], n["kind"], n["distance"]) for n in nb.nodes)
    edges = sorted(repr(sorted(e.items())) for e in nb.edges)
    return nodes, edges, nb.truncated


@pytest.mark.parametrize(
    "entity, options",
    [
        ("ICLEI USA", {"hops": 1}),
        ("city/n0", {}),
        ("city/n1", {"hops": 3, "relations": ["partner_of", "member_of"]}),
        ("city/n2", {"kinds": ["City", "Initiative"], "as_of": "2013"}),
        ("city/n0", {"hops": 1, "as_of": "2013"}),
        ("Shenzhen", {"hops": 2}),
    ],
)
def test_neighbours(store, reference, entity, options):
    ours = ask(store, structure, "neighbours", entity, **options)
    assert _neighbourhood(ours) == _neighbourhood(structure.neighbours(reference, entity, **options))


def test_an_as_of_date_filters_each_kind_of_tie_between_a_pair(store):
    nb = ask(store, structure, "neighbours", "city/n0", hops=1, as_of="2013")
    between = {e["relation"] for e in nb.edges if {e["source"], e["target"]} == {"city/n0", "org/n0"}}
    assert between == {"member_of"}


def test_neighbours_say_when_the_limit_cut_them(store, reference):
    ours = ask(store, structure, "neighbours", "city/n0", hops=3, limit=5)
    theirs = structure.neighbours(reference, "city/n0", hops=3, limit=5)
    assert (ours.truncated, len(ours.nodes)) == (theirs.truncated, len(theirs.nodes)) == (True, 5)
    assert [n["distance"] for n in ours.nodes] == [n["distance"] for n in theirs.nodes]


def test_degree_centrality(store, reference):
    ours = ask(store, structure, "centrality", "degree", top=15)
    theirs = structure.centrality(reference, "degree", top=15)
    assert [c.to_dict() for c in ours] == [c.to_dict() for c in theirs]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "call",
    [
        lambda kg: on_neo4j.centrality(kg, "betweenness"),
        lambda kg: on_neo4j.centrality(kg, "pagerank"),
        lambda kg: on_neo4j.communities(kg),
        lambda kg: on_neo4j.brokers(kg),
        lambda kg: on_neo4j.suggest_partners(kg),
    ],
)
def test_what_neo4j_does_not_do_is_refused_with_a_reason(neo4j_server, call):
    from neo4j_fixtures import connect

    kg = connect(neo4j_server)
    try:
        with pytest.raises(ClimateKGError, match="Neo4j"):
            call(kg)
    finally:
        kg.close()
