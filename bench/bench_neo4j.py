"""Neo4j push throughput and server-side path latency, side by side with their baselines, one run.

For each size: the synthetic network (bench/synthetic.py) is loaded into an embedded store, then
pushed into one Neo4j test server (emptied in between) with each batch size; the naive baseline —
one MERGE per relationship, each in its own transaction — writes a sample of the same relationships
(all of them up to ``--naive-sample``, 10k by default: at 1M the full baseline would take hours).
Then path queries between seeded random pairs of entities run on the server (queries/on_neo4j.py)
and on the embedded store's projection (queries/paths.py), median and p95.

    python bench/bench_neo4j.py 100000 [1000000] [--batch-sizes 1000 5000 20000] [--pairs 30]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is scripts, not a package
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from synthetic import generate  # noqa: E402

from climatekg.graph.stores.embedded import EmbeddedStore  # noqa: E402
from climatekg.graph.stores.neo4j_store import Credentials, Neo4jStore  # noqa: E402
from climatekg.graph.stores.neo4j_store import sync as neo4j_sync  # noqa: E402
from climatekg.graph.stores.neo4j_store.codec import REL_TYPE, relation_row  # noqa: E402
from climatekg.loaders.rdf import load_rdf  # noqa: E402
from climatekg.queries import cypher_engine as on_neo4j  # noqa: E402
from climatekg.queries import paths  # noqa: E402

NAIVE = """
MERGE (a:Entity {{id: $s}})
MERGE (b:Entity {{id: $o}})
MERGE (a)-[r:{type} {{graph: $graph, rid: $rid}}]->(b)
SET r.source = coalesce($source, $graph), r.loader = $loader
"""


def clean(neo: Neo4jStore) -> None:
    """Empty the database, schema included."""
    neo.wipe()
    for row in neo.run_read("SHOW CONSTRAINTS YIELD name RETURN name"):
        neo._auto(f"DROP CONSTRAINT `{row['name']}` IF EXISTS")
    for row in neo.run_read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        neo._auto(f"DROP INDEX `{row['name']}` IF EXISTS")
    neo._schema_ready = False


def timed_push(kg: EmbeddedStore, neo: Neo4jStore, batch_size: int) -> dict[str, float]:
    """One full push; the relationship phase is timed from the first to the last relationship batch."""
    marks: dict[str, float] = {}
    counts = {"entities": 0, "relations": 0}

    def progress(what: str, n: int) -> None:
        now = time.perf_counter()
        marks.setdefault(f"first_{what}", now)
        marks[f"last_{what}"] = now
        counts[what] += n

    started = time.perf_counter()
    neo4j_sync.push(kg, neo, batch_size=batch_size, progress=progress)
    total = time.perf_counter() - started
    # the first relationship batch's own time is not in (last - first): add one batch's share
    rel_span = marks["last_relations"] - marks["last_entities"]
    return {
        "batch_size": batch_size,
        "entities": counts["entities"],
        "relations": counts["relations"],
        "total_s": round(total, 1),
        "relations_phase_s": round(rel_span, 1),
        "relations_per_s_phase": round(counts["relations"] / rel_span),
        "relations_per_s_end_to_end": round(counts["relations"] / total),
    }


def naive(kg: EmbeddedStore, neo: Neo4jStore, sample: int) -> dict[str, float]:
    """One MERGE per relationship, each its own transaction, into a separate graph id."""
    info = kg.sources()[0]
    reader = neo4j_sync.GraphReader(kg.oxigraph(), info.id, kg.base)
    for _ in reader.entities():
        pass
    rows = []
    for r in reader.relations(info.loader):
        rows.append((REL_TYPE[r.kind], relation_row(r, "naive", info.loader)))
        if len(rows) >= sample:
            break
    started = time.perf_counter()
    for rel_type, row in rows:
        neo._query(
            NAIVE.format(type=rel_type),
            write=True,
            s=row["s"],
            o=row["o"],
            rid=row["rid"],
            graph="naive",
            source=row.get("source"),
            loader=info.loader,
        )
    spent = time.perf_counter() - started
    return {"relations": len(rows), "seconds": round(spent, 1), "relations_per_s": round(len(rows) / spent)}


def latencies(fn, pairs: list[tuple[str, str]]) -> dict[str, float]:
    times = []
    found = 0
    for s, t in pairs:
        began = time.perf_counter()
        result = fn(s, t)
        times.append(time.perf_counter() - began)
        found += bool(result)
    times.sort()
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 1),
        "pairs_with_a_path": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--batch-sizes", nargs="*", type=int, default=[1_000, 5_000, 20_000])
    parser.add_argument("--naive-sample", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=30)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "out" / "bench_neo4j.json"
    )
    args = parser.parse_args()

    from servers.neo4j_server import Neo4jServer

    results = []
    with Neo4jServer(startup_timeout=300) as server:
        neo = Neo4jStore.connect(server.uri, credentials=Credentials("neo4j", None))
        for n in args.sizes:
            path = generate(n)
            with tempfile.TemporaryDirectory() as tmp:
                kg = EmbeddedStore(Path(tmp))
                began = time.perf_counter()
                kg.load(load_rdf(path))
                row: dict[str, object] = {
                    "entities": n,
                    "embedded_load_s": round(time.perf_counter() - began, 1),
                }
                print(n, "embedded load", row["embedded_load_s"], "s", flush=True)
                pushes = []
                for size in args.batch_sizes:
                    clean(neo)
                    pushes.append(timed_push(kg, neo, size))
                    print(n, "push", pushes[-1], flush=True)
                row["push"] = pushes
                row["naive"] = naive(kg, neo, args.naive_sample)
                print(n, "naive", row["naive"], flush=True)
                rng = random.Random(42)
                ids = [e for e in (f"city/s{rng.randrange(int(n * 0.38))}" for _ in range(args.pairs * 2))]
                pairs = list(zip(ids[::2], ids[1::2], strict=True))
                began = time.perf_counter()
                paths.shortest_paths(kg, *pairs[0], k=1)  # builds (and caches) the projection
                row["projection_build_s"] = round(time.perf_counter() - began, 1)
                for k in (1, 5):
                    row[f"paths_k{k}_neo4j"] = latencies(
                        lambda s, t, k=k: on_neo4j.shortest_paths(neo, s, t, k=k, max_hops=6), pairs
                    )
                    row[f"paths_k{k}_embedded"] = latencies(
                        lambda s, t, k=k, kg=kg: paths.shortest_paths(kg, s, t, k=k, max_hops=6), pairs
                    )
                    print(
                        n, f"paths k={k}", row[f"paths_k{k}_neo4j"], row[f"paths_k{k}_embedded"], flush=True
                    )
                kg.close()
                results.append(row)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text(json.dumps(results, indent=2))
        neo.close()

    print(
        "\n| entities | batch | relationships | push s | rel/s (write phase) | rel/s (end to end) | naive rel/s | × naive |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in results:
        for p in row["push"]:  # type: ignore[attr-defined]
            base = row["naive"]["relations_per_s"]  # type: ignore[index]
            print(
                f"| {row['entities']:,} | {p['batch_size']:,} | {p['relations']:,} | {p['total_s']} "
                f"| {p['relations_per_s_phase']:,} | {p['relations_per_s_end_to_end']:,} | {base:,} "
                f"| {p['relations_per_s_phase'] / base:.0f}× |"
            )
    print("\n| entities | query | Neo4j median / p95 ms | embedded median / p95 ms |")
    print("|---|---|---|---|")
    for row in results:
        for k in (1, 5):
            a, b = row[f"paths_k{k}_neo4j"], row[f"paths_k{k}_embedded"]
            print(
                f"| {row['entities']:,} | k={k} | {a['median_ms']} / {a['p95_ms']} | {b['median_ms']} / {b['p95_ms']} |"
            )  # type: ignore[index]


if __name__ == "__main__":
    main()
