"""A seeded synthetic network in the project's vocabulary, at any size (10k, 100k, 1M entities).

Kinds follow MEASURED.md (City 40%, Organisation 30%, Technology 20%, Agreement 10%) with a
small share of every other kind; ~5 relations per entity, targets drawn with a power law so
a few hubs collect most ties; one relation in twenty is dated (those get qualified nodes).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.model import (
    RELATION_SIGNATURE,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
)

OUT = Path(__file__).resolve().parent / "out"
SHARES = [
    (EntityKind.CITY, 0.38),
    (EntityKind.ORGANISATION, 0.28),
    (EntityKind.TECHNOLOGY, 0.18),
    (EntityKind.AGREEMENT, 0.10),
    (EntityKind.INITIATIVE, 0.02),
    (EntityKind.EVENT, 0.02),
    (EntityKind.PERSON, 0.015),
    (EntityKind.PLACE, 0.005),
]
SOURCE = Source(id="synthetic", title="Synthetic benchmark network", loader="synthetic")
PROV = Provenance(source="synthetic", loader="synthetic")


def entity_id(kind: EntityKind, i: int) -> str:
    """The id of the i-th synthetic entity of a kind."""
    return f"{kind.value.lower()}/s{i}"


def generate(n_entities: int, seed: int = 42, out_dir: Path = OUT) -> Path:
    """Write (or reuse) ``synthetic-<n>-<seed>.nt`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"synthetic-{n_entities}-{seed}.nt"
    if path.exists():
        return path
    rng = random.Random(seed)
    counts = {kind: max(1, int(n_entities * share)) for kind, share in SHARES}
    base = v.base_iri()
    # Relation kinds each subject kind may start, with the object kinds they allow.
    options = {
        kind: [
            (rk, sorted(objs & counts.keys()))
            for rk, (subs, objs) in RELATION_SIGNATURE.items()
            if kind in subs
        ]
        for kind in counts
    }
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.writelines(t + " .\n" for t in m.source_triples(SOURCE, base))
        for kind, count in counts.items():
            for i in range(count):
                e = Entity(entity_id(kind, i), kind, f"{kind.value} {i}", PROV)
                out.writelines(t + " .\n" for t in m.entity_triples(e, base))
                relations = []  # one entity's relations: a triple can only repeat among them
                for _ in range(_relation_count(rng)):
                    rk, objects = rng.choice(options[kind])
                    obj_kind = rng.choice(objects)
                    # power law: index ~ n * u^3 concentrates ties on the first entities (hubs)
                    j = int(counts[obj_kind] * rng.random() ** 3)
                    if obj_kind == kind and j == i:
                        continue
                    start = str(rng.randint(1995, 2024)) if rng.random() < 0.05 else None
                    relations.append(
                        Relation(entity_id(kind, i), rk, entity_id(obj_kind, j), PROV, start=start)
                    )
                out.writelines(m.relations_ntriples(relations, base))
    tmp.rename(path)
    return path


def membership_network(
    n_cities: int = 14_382,
    n_regions: int = 324,
    n_initiatives: int = 99,
    largest: int = 10_000,
    seed: int = 42,
    dated: bool = False,
) -> Batch:
    """A membership table's network: one row per actor (a city or a region, as an organisation),
    ~100 initiatives of very different sizes, the largest with ``largest`` members.

    ``dated`` gives every membership a start year and the table row it came from, as a real
    commitment table does: each then has a qualified node (~4 times the triples).

    Shaped like the Global Covenant of Mayors data the issue describes: initiative sizes fall as a
    power law from ``largest`` down to a handful; each actor is in its country's share of them.
    """
    rng = random.Random(seed)
    source = Source(id="synthetic-memberships", title="generated membership network", loader="synthetic")
    prov = Provenance(source=source.id, loader="synthetic")
    countries = [f"C{i:02d}" for i in range(60)]
    weights = [1 / (i + 1) for i in range(len(countries))]
    actors = [(f"city/m{i:05d}", EntityKind.CITY) for i in range(n_cities)]
    actors += [(f"org/region{i:03d}", EntityKind.ORGANISATION) for i in range(n_regions)]
    country = dict(zip((a for a, _ in actors), rng.choices(countries, weights, k=len(actors)), strict=True))
    entities = [
        Entity(
            a,
            kind,
            f"{kind.value} {a.split('/')[1]}",
            prov,
            country=country[a],
            classification="region" if kind == EntityKind.ORGANISATION else None,
        )
        for a, kind in actors
    ]
    relations = []
    ids = [a for a, _ in actors]
    row_of = {a: i + 2 for i, a in enumerate(ids)}  # the table's header is row 1
    for k in range(n_initiatives):
        group = f"initiative/g{k:03d}"
        entities.append(Entity(group, EntityKind.INITIATIVE, f"Initiative {k}", prov))
        size = min(len(ids), largest if k == 0 else max(3, int(largest * 0.4 / (k**1.1))))
        members = sorted(rng.sample(ids, size))
        if not dated:
            relations += [Relation(m, RelationKind.MEMBER_OF, group, prov) for m in members]
            continue
        for member in members:
            row = Provenance(source=source.id, loader="synthetic", locator=f"row {row_of[member]}")
            start = str(rng.randint(2008, 2024))
            relations.append(Relation(member, RelationKind.MEMBER_OF, group, row, start=start))
    digest = f"memberships-{n_cities}-{seed}" + ("-dated" if dated else "")
    return Batch(source=source, entities=entities, relations=relations, digest=digest)


def _relation_count(rng: random.Random) -> int:
    return min(40, int(rng.paretovariate(1.6) * 2.5))


def main() -> None:
    """``python bench/synthetic.py 100000`` writes the file and prints its path and size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    path = generate(args.n, args.seed)
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    print(f"{path} {lines} triples")


if __name__ == "__main__":
    main()
