"""Each saved SPARQL query gives the same answer as its Python counterpart on the same data."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from strategies import networks, property_settings, store_with

from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.projection import projection
from climatekg.queries.gaps import cohort_gaps, coverage, suggest_partners
from climatekg.queries.pairing import PARTNER_KINDS
from climatekg.queries.paths import shortest_paths
from climatekg.queries.sparql import run_sparql, saved_queries, saved_query, term_value
from climatekg.queries.structure import neighbours

R = RelationKind
ROLES = ["first cohort", "second cohort"]
SOME = property_settings(max_examples=20)


def rows_of(kg, name: str, **bindings) -> list[list]:
    names, rows = run_sparql(kg, saved_query(name), bindings)
    return [[term_value(kg, t) for t in row] for row in rows]


def python_neighbours(kg, entity: str) -> set[tuple[str, str, str]]:
    edges = neighbours(kg, entity, hops=1).edges
    return {
        (e["target"], v.RELATION_PROPERTY[R(e["relation"])], "out")
        if e["source"] == entity
        else (e["source"], v.RELATION_PROPERTY[R(e["relation"])], "in")
        for e in edges
        if entity in (e["source"], e["target"])
    }


def sparql_neighbours(kg, entity: str) -> set[tuple[str, str, str]]:
    return {(n, rel, d) for _, n, rel, d in rows_of(kg, "neighbours", entity=entity)}


def python_coverage(kg, initiative: str) -> set[tuple[str, str, str]]:
    return {
        (c, t, how)
        for c, row in coverage(kg, initiative).matrix.items()
        for t, hows in row.items()
        for how in hows
    }


def sparql_coverage(kg, initiative: str) -> set[tuple[str, str, str]]:
    return {
        (city, tech, how if how == "demonstrates" else f"{how} {via}")
        for _, city, tech, how, via in rows_of(kg, "coverage", initiative=initiative)
    }


# ---- the saved queries themselves ----------------------------------------------------------


def test_saved_queries_are_the_rq_files():
    folder = Path(__file__).resolve().parents[2] / "queries"
    assert sorted(saved_queries()) == sorted(p.stem for p in folder.glob("*.rq"))
    assert {"neighbours", "coverage", "cohort_gaps", "shared_context", "reachability"} <= set(saved_queries())


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_runs_and_lists_every_relation_property(bundled_kg, name):
    text = saved_query(name)
    names, _ = run_sparql(bundled_kg, text, {})
    assert names
    prefixes = {"ckg:": v.CKG, "org:": v.ORG, "schema:": v.SCHEMA, "skos:": v.SKOS}
    if "VALUES ?p" in text or "|^" in text:
        for prop in v.PROPERTY_RELATION:
            short = next(p + prop[len(ns) :] for p, ns in prefixes.items() if prop.startswith(ns))
            assert short in text, (name, short)


def test_bindings_are_bound_not_pasted(bundled_kg):
    # a value that would change the query if it were pasted into the text is refused as an IRI
    with pytest.raises(ClimateKGError, match=r"cannot bind \?entity"):
        run_sparql(bundled_kg, saved_query("neighbours"), {"?entity": "city/x> } UNION { ?s ?p ?o"})
    names, rows = run_sparql(bundled_kg, saved_query("neighbours"), {"$entity": "city/nowhere"})
    assert rows == []
    with pytest.raises(ClimateKGError, match="SPARQL"):
        run_sparql(bundled_kg, "SELECT ?x WHERE { ?x ?p }", {})
    names, rows = run_sparql(bundled_kg, "ASK { ?s ?p ?o }", {})
    assert names == ["boolean"] and rows[0][0] == ox.Literal(True)
    literal = ox.Literal("first cohort")
    names, rows = run_sparql(
        bundled_kg, saved_query("cohort_gaps_by_role"), {"initiative": "CCUCC", "role": literal}
    )
    assert rows == []  # "CCUCC" is not an id: bound as <…/id/CCUCC>, which has no members


# ---- the bundled data ----------------------------------------------------------------------


def test_neighbours_equal_on_the_bundled_data(bundled_kg):
    for e in bundled_kg.entities():
        assert sparql_neighbours(bundled_kg, e.id) == python_neighbours(bundled_kg, e.id), e.id


def test_coverage_equals_on_the_bundled_data(bundled_kg):
    assert sparql_coverage(bundled_kg, "initiative/ccucc") == python_coverage(bundled_kg, "initiative/ccucc")
    assert python_coverage(bundled_kg, "initiative/ccucc")


def test_reachability_equals_on_the_twin_cities(twin_kg):
    ids = sorted(projection(twin_kg).ids)
    rng = random.Random(2)
    unbounded = len(ids)
    for a, b in [("city/shenzhen", "org/iclei-usa"), *(rng.sample(ids, 2) for _ in range(12))]:
        python = bool(shortest_paths(twin_kg, a, b, k=1, max_hops=unbounded))
        assert bool(rows_of(twin_kg, "reachability", source=a, target=b)) == python, (a, b)


# ---- random networks -----------------------------------------------------------------------


@SOME
@given(batch=networks(max_relations=18, dated=True, roles=ROLES))
def test_every_query_equals_python_on_random_networks(batch):
    kinds = {e.id: e.kind for e in batch.entities}
    with store_with(batch) as kg:
        ids = sorted(kinds)
        for e in ids:
            assert sparql_neighbours(kg, e) == python_neighbours(kg, e)
        for a in ids:
            for b in ids:
                if a != b:
                    python = bool(shortest_paths(kg, a, b, k=1, max_hops=len(ids)))
                    assert bool(rows_of(kg, "reachability", source=a, target=b)) == python
        for group in (e for e, k in kinds.items() if k in (EntityKind.INITIATIVE, EntityKind.ORGANISATION)):
            assert sparql_coverage(kg, group) == python_coverage(kg, group)
            python_pairs = {(g.a, g.b) for g in cohort_gaps(kg, group)}
            assert {(a, b) for _, a, b in rows_of(kg, "cohort_gaps", initiative=group)} == python_pairs
            for role in ROLES:
                python_pairs = {(g.a, g.b) for g in cohort_gaps(kg, group, role=role)}
                sparql_pairs = {
                    (a, b)
                    for _, _, a, b in rows_of(
                        kg, "cohort_gaps_by_role", initiative=group, role=ox.Literal(role)
                    )
                }
                assert sparql_pairs == python_pairs
        # partners are suggested between cities and organisations, any pairing of the two
        actors = [e for e, k in kinds.items() if k in PARTNER_KINDS]
        for a in actors:
            explained = {s.b: s for s in suggest_partners(kg, for_entity=a, top=100, pair="any")}
            for b in actors:
                if b == a:
                    continue
                shared = {item: int(degree) for _, _, item, degree in rows_of(kg, "shared_context", a=a, b=b)}
                if b in explained:
                    # a shared country is a signal, not an entity in the graph (queries/country_signal.py)
                    assert shared == {i.id: i.degree for i in explained[b].shared if i.kind != "Country"}
                elif shared:  # sharing context without a suggestion means the two are tied
                    assert any({r.subject, r.object} == {a, b} for r in kg.relations(a)) or _co_parties(
                        kg, a, b
                    )


def _co_parties(kg, a: str, b: str) -> bool:
    mine = {r.object for r in kg.relations(a) if r.kind == R.PARTY_TO and r.subject == a}
    return any(r.kind == R.PARTY_TO and r.subject == b and r.object in mine for r in kg.relations(b))
