"""Every membership of a table reads back citing its file and the line that states it.

A wide table's memberships are written without a qualified node (their source says they are
stated where their member is: its row); memberships stated on another row, or dated, keep one.
Each reader is checked: the store's relations (all, and per entity), ``show``, path evidence,
the ``neo4j push`` sweep of a named graph, and an N-Quads export read back by a plain RDF
reader. Expected lines come from the raw file with the csv module: the first line on which an
actor (name, kind, country, coordinates) lists an initiative.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from climatekg.app.publish.exports import export
from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import Relation, RelationKind
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.graph.stores.neo4j_store.content import GraphReader
from climatekg.graph.stores.stated_relations import stated_relations
from climatekg.loaders.memberships import load_memberships
from climatekg.queries.paths import shortest_paths
from climatekg.queries.resolve import describe

TABLE = """name,entity_type,iso,lat,lng,initiatives,since
Lyon,City,FRA,45.76,4.84,A;;B;NA;A,
Oslo,,NOR,59.91,10.75,C;A,
Lyon,City,FRA,45.76,4.84,C;B,
Bayern,State,DEU,,,A;D,2019
San Francisco,City,USA,37.77,-122.42,A;C,
San Francisco,City,ARG,-31.43,-62.08,A,
Oslo,City,NOR,59.91,10.75,D,
"""
ISO2 = {"FRA": "FR", "NOR": "NO", "DEU": "DE", "USA": "US", "ARG": "AR"}


def _expected(path: Path) -> tuple[dict[tuple[str, str, str], tuple[int, str | None]], dict[tuple, int]]:
    """(member label, member country, initiative) → (line, since) of the first row that lists it;
    and each actor's first line."""
    ties: dict[tuple[str, str, str], tuple[int, str | None]] = {}
    first_row: dict[tuple, int] = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            line = reader.line_num
            actor = (row["name"], row["entity_type"] or "City", row["iso"], row["lat"], row["lng"])
            first_row.setdefault(actor, line)
            for item in row["initiatives"].split(";"):
                code = item.strip()
                if code and code.upper() != "NA":
                    ties.setdefault((row["name"], ISO2[row["iso"]], code), (line, row["since"] or None))
    return ties, first_row


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[EmbeddedStore, Path, list[Relation]]:
    path = tmp_path / "members.csv"
    path.write_text(TABLE, encoding="utf-8")
    kg = EmbeddedStore(tmp_path / "home")
    batch = load_memberships(path, store=kg)
    kg.load(batch)
    yield kg, path, batch.relations
    kg.close()


def _cited(
    kg: EmbeddedStore, relations: list[Relation]
) -> dict[tuple[str, str, str], tuple[int, str | None]]:
    """What the relations say, in the terms of the raw file."""
    out = {}
    for r in relations:
        assert r.kind == RelationKind.MEMBER_OF and r.provenance.source == "members-csv", r
        assert r.provenance.loader == "memberships", r
        member, initiative = kg.entity(r.subject), kg.entity(r.object)
        where = r.provenance.locator or ""
        assert where.startswith("line "), r
        out[(member.label, member.country, initiative.label)] = (int(where.removeprefix("line ")), r.start)
    return out


def test_every_membership_reads_back_at_the_line_that_states_it(loaded):
    kg, path, written = loaded
    ties, _ = _expected(path)
    everything = list(kg.relations())
    assert len(everything) == len(ties)
    assert _cited(kg, everything) == ties
    assert set(everything) == set(written)  # the very records the loader made
    per_entity = {r for e in kg.entities() for r in kg.relations(e.id)}
    assert per_entity == set(written)


def test_a_wide_table_needs_a_node_only_for_memberships_stated_off_the_members_row(loaded):
    kg, path, _ = loaded
    ties, first_row = _expected(path)
    first_line = {(name, ISO2[iso]): line for (name, _, iso, _, _), line in first_row.items()}
    # a member's first row: Oslo with no kind and Oslo the City are one actor (the default kind)
    first_line[("Oslo", "NO")] = min(n for (name, _, _, _, _), n in first_row.items() if name == "Oslo")
    off_row = {t for t, (line, since) in ties.items() if line != first_line[t[:2]] or since}
    store, graph = kg.oxigraph(), ox.NamedNode(v.graph_iri("members-csv", kg.base))
    direct = list(
        store.quads_for_pattern(None, ox.NamedNode(v.RELATION_PROPERTY[RelationKind.MEMBER_OF]), None, graph)
    )
    nodes = list(store.quads_for_pattern(None, ox.NamedNode(m.TYPE), ox.NamedNode(m.RELATION_CLASS), graph))
    assert len(direct) == len(ties)
    assert len(nodes) == len(off_row) > 0


def test_show_and_path_evidence_cite_the_line(loaded):
    kg, path, _ = loaded
    ties, _ = _expected(path)
    (oslo,) = kg.find("Oslo")
    shown = {(row["other_label"], row["locator"]) for row in describe(kg, oslo)["relations"]["member_of"]}
    assert shown == {(code, f"line {line}") for (name, _, code), (line, _) in ties.items() if name == "Oslo"}
    sf = next(e for e in kg.find("San Francisco") if kg.entity(e).country == "US")
    best = shortest_paths(kg, oslo, sf, relations=["member_of"])[0]
    cited = [(hop.evidence[0]["locator"], hop.evidence[0]["source"]) for hop in best.hops]
    via = kg.entity(best.nodes[1]).label
    assert cited == [
        (f"line {ties[('Oslo', 'NO', via)][0]}", "members-csv"),
        (f"line {ties[('San Francisco', 'US', via)][0]}", "members-csv"),
    ]


def test_the_neo4j_push_sweep_reads_the_same_memberships(loaded):
    kg, _, written = loaded
    reader = GraphReader(kg.oxigraph(), "members-csv", kg.base)
    list(reader.entities())
    assert set(reader.relations("memberships")) == set(written)


def test_an_nquads_export_read_by_a_plain_rdf_store_gives_each_line(loaded, tmp_path):
    kg, path, written = loaded
    out = tmp_path / "dump.nq"
    export(kg, "nq", out)
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    assert set(stated_relations(store, kg.base, {})) == set(written)
    assert _cited(kg, list(stated_relations(store, kg.base, {}))) == _expected(path)[0]
