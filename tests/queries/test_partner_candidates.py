"""Suggestions for one actor, scored in arrays, rank exactly as networkx on the context graph says.

A generated network with agreements of very different sizes (the largest become bits of the
array scorer's masks once ``BIG_PARTIES`` is lowered) and items held widely enough to be hubs
once ``HUB_LIMIT`` is lowered. The expected ranking, tie counts, candidate counts and hub items
come from networkx on the context graph built from the raw relations (``context_graph``).
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

import networkx as nx
import pytest
from strategies import store_with

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
from climatekg.graph.projection import projection
from climatekg.queries import limits
from climatekg.queries.gaps import suggest_partners
from climatekg.queries.projection_engine import context_matrix

R, K = RelationKind, EntityKind
PARTNERS = {K.CITY, K.ORGANISATION}


def context_graph(relations: list[tuple[str, RelationKind, str]], kinds: dict[str, EntityKind]) -> nx.Graph:
    """Actor—actor and actor—technology ties, and every two parties of an agreement, from raw relations."""
    actors = {e for e, k in kinds.items() if k in ACTOR_KINDS}
    H = nx.Graph()
    H.add_nodes_from(actors)
    parties: dict[str, set[str]] = {}
    for s, kind, o in relations:
        if (s in actors and (o in actors or kinds[o] == K.TECHNOLOGY)) or (
            o in actors and kinds[s] == K.TECHNOLOGY
        ):
            H.add_edge(s, o)
        if kind == R.PARTY_TO and s in actors:
            parties.setdefault(o, set()).add(s)
    for members in parties.values():
        H.add_edges_from(combinations(sorted(members), 2))
    return H


def generated_network(seed: int):
    """Cities, organisations, technologies, initiatives and agreements (2 to 40 parties each)."""
    rng = random.Random(seed)
    cities = [f"city/c{i:03d}" for i in range(120)]
    orgs = [f"org/o{i:02d}" for i in range(40)]
    techs = [f"tech/t{i:02d}" for i in range(15)]
    groups = [f"initiative/g{i}" for i in range(4)]
    deals = [f"agreement/a{i:02d}" for i in range(20)]
    entities = [(e, K.CITY) for e in cities] + [(e, K.ORGANISATION) for e in orgs]
    entities += [(e, K.TECHNOLOGY) for e in techs] + [(e, K.INITIATIVE) for e in groups]
    entities += [(e, K.AGREEMENT) for e in deals]
    actors = cities + orgs
    relations = []
    for j, deal in enumerate(deals):  # a few large agreements, many small ones
        relations += [(p, R.PARTY_TO, deal) for p in rng.sample(actors, max(2, 40 // (j + 1)))]
    for _ in range(150):
        x, y = rng.sample(cities, 2)
        relations.append((x, R.PARTNER_OF, y))
    for _ in range(60):
        relations.append((rng.choice(actors), R.DEMONSTRATES, rng.choice(techs)))
    for group in groups:
        relations += [(m, R.MEMBER_OF, group) for m in rng.sample(actors, rng.randint(3, 25))]
    prov = Provenance("generated", "test")
    batch = Batch(source=Source(id="generated", title="generated network", loader="test"))
    batch.entities = [Entity(eid, kind, eid.split("/")[1], prov) for eid, kind in entities]
    batch.relations = [Relation(s, kind, o, prov) for s, kind, o in relations]
    return batch, relations, actors


def expected(H: nx.Graph, kinds, a: str, hub_limit: int, top: int):
    """Candidates of ``a`` (through items held by at most ``hub_limit``), ranked as documented."""
    items = set(H[a])
    finding = {z for z in items if H.degree(z) <= hub_limit}
    found = {c for z in finding for c in H[z]} - items - {a}
    found = {c for c in found if kinds[c] in PARTNERS}
    rows = []
    for c in found:
        aa = next(iter(nx.adamic_adar_index(H, [(a, c)])))[2]
        ra = next(iter(nx.resource_allocation_index(H, [(a, c)])))[2]
        pa = next(iter(nx.preferential_attachment(H, [(a, c)])))[2]
        rows.append((round(aa, 9), round(ra, 9), pa, c))
    rows.sort(key=lambda r: (-r[0], -r[1], -r[2], r[3]))
    counts = Counter(r[0] for r in rows)
    hubs = sorted(z for z in items if H.degree(z) > hub_limit)
    return [(r[3], r[0], r[1], r[2], counts[r[0]]) for r in rows[:top]], len(rows), hubs


@pytest.mark.parametrize("seed", [1, 2])
def test_array_scored_suggestions_rank_as_networkx_with_big_agreements_and_hubs(seed, monkeypatch):
    monkeypatch.setattr(context_matrix, "BIG_PARTIES", 8)  # the largest agreements become mask bits
    monkeypatch.setattr(limits, "HUB_LIMIT", 30)
    batch, relations, actors = generated_network(seed)
    kinds = {e.id: e.kind for e in batch.entities}
    H = context_graph(relations, kinds)
    with store_with(batch) as kg:
        # the scorer's big-agreement masks and the hub rule both take part
        assert len(context_matrix.context_matrix(projection(kg)).masks) > 1
        with_hubs = 0
        for a in sorted(actors, key=H.degree, reverse=True)[:6] + random.Random(seed).sample(actors, 6):
            found = suggest_partners(kg, for_entity=a, top=15, pair="any")
            ranked, count, hubs = expected(H, kinds, a, 30, 15)
            got = [
                (s.b, s.adamic_adar, s.resource_allocation, s.preferential_attachment, s.ties) for s in found
            ]
            assert got == ranked, a
            assert found.candidates == count
            assert bool(found.notes) == bool(hubs)
            if hubs:
                with_hubs += 1
                assert found.notes[0].startswith(f"{len(hubs)} items held by more than 30 actors")
            for s in found:
                assert {i.id for i in s.shared} == set(H[a]) & set(H[s.b])
                assert all(i.degree == H.degree(i.id) for i in s.shared)
        assert with_hubs
