"""Query speed on the synthetic networks: paths, k paths, gap suggestions, betweenness, the projection.

For each size the synthetic N-Triples (``bench/synthetic.py``) is loaded once into an embedded
store under ``bench/out/``; then, each case in its own process (so peak memory is its own):

* projection: build from the store (no cache), then read back from its cache file;
* queries: 100 random shortest paths (``shortest_paths(k=1)``, evidence included, and the bare
  bidirectional search), 10 k=5 path queries, partner suggestions for one city, betweenness
  (exact or sampled — the output says which);
* baseline: plain networkx on a MultiDiGraph built naively from the store (every relation
  triple an attributed edge), the same 100 and 10 pairs on its undirected view.

    python bench/bench_queries.py 100000 1000000 [--seed 42] [--pairs 100]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is scripts, not a package
from synthetic import OUT, generate  # noqa: E402

CASES = ("build", "cached", "queries", "baseline")


def store_home(n: int, seed: int) -> Path:
    return OUT / f"store-{n}-{seed}"


def ensure_store(n: int, seed: int) -> Path:
    """Generate and load the synthetic network once (a reload of the same file is a no-op)."""
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.rdf import load_rdf

    path = generate(n, seed)
    home = store_home(n, seed)
    kg = EmbeddedStore(home)
    started = time.perf_counter()
    report = kg.load(load_rdf(path))
    kg.close()
    if report.changed:
        print(f"loaded {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return home


def timings(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "n": len(ordered)}


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: after a fork, ru_maxrss counts the parent's too)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def random_pairs(ids: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [tuple(rng.sample(ids, 2)) for _ in range(count)]  # type: ignore[misc]


# ---- the cases (each runs in a fresh process) ----------------------------------------------


def case_build(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    from climatekg.graph.projection import projection
    from climatekg.graph.stores.embedded import EmbeddedStore

    for old in home.glob("projection-*.pkl"):
        old.unlink()
    kg = EmbeddedStore(home, read_only=True)
    started = time.perf_counter()
    proj = projection(kg)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mib": peak_mib(),
        "entities": len(proj),
        "ties": proj.tie_count,
        "dated_pairs": len(proj.dated),
        "projection_mib": proj.nbytes() / 2**20,
        "cache_file_mib": sum(f.stat().st_size for f in home.glob("projection-*.pkl")) / 2**20,
    }


def case_cached(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    from climatekg.graph.projection import projection
    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home, read_only=True)
    base = peak_mib()
    started = time.perf_counter()
    projection(kg)
    return {"seconds": time.perf_counter() - started, "peak_mib": peak_mib(), "store_open_mib": base}


def case_queries(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    from climatekg.graph.projection import projection
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.queries.gaps import suggest_partners
    from climatekg.queries.projection_engine import paths
    from climatekg.queries.projection_engine.centrality import betweenness

    kg = EmbeddedStore(home, read_only=True)
    proj = projection(kg)
    view = proj.view()
    pairs = random_pairs(proj.ids, args.pairs, args.seed)
    bare, full, found = [], [], 0
    for a, b in pairs:
        s, t = proj.index_of(a), proj.index_of(b)
        started = time.perf_counter()
        route = paths.bidirectional_bfs(view, s, t, 6)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = paths.shortest_paths(kg, a, b, k=1)
        full.append(time.perf_counter() - started)
        found += bool(result)
        assert bool(result) == (route is not None)
    k5, k5_bare, k5_lengths = [], [], []
    for a, b in pairs[:10]:
        started = time.perf_counter()
        paths.k_shortest(view, proj.index_of(a), proj.index_of(b), 5, 6)
        k5_bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = paths.shortest_paths(kg, a, b, k=5)
        k5.append(time.perf_counter() - started)
        k5_lengths.append([p.length for p in result])
    rng = random.Random(args.seed)
    cities = [n for n in range(len(proj)) if proj.ids[n].startswith("city/") and proj.degree(n) >= 3]
    gaps = {}
    for name, n in (("typical city", rng.choice(cities)), ("hub city", max(cities, key=proj.degree))):
        started = time.perf_counter()
        suggestions = suggest_partners(kg, for_entity=proj.ids[n], top=20)
        gaps[name] = {
            "entity": proj.ids[n],
            "degree": proj.degree(n),
            "seconds": time.perf_counter() - started,
            "found": len(suggestions),
            "notes": suggestions.notes,
        }
    started = time.perf_counter()
    _, method = betweenness(proj)
    return {
        "shortest_path_search": timings(bare),
        "shortest_path_with_evidence": timings(full),
        "paths_found": found,
        "k5_paths": timings(k5),
        "k5_search": timings(k5_bare),
        "k5_lengths": k5_lengths,
        "gap_suggestions": gaps,
        "betweenness": {"seconds": time.perf_counter() - started, "method": method},
        "peak_mib": peak_mib(),
    }


def case_baseline(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """networkx the naive way: a MultiDiGraph with an attributed edge per relation triple."""
    import networkx as nx
    import pyoxigraph as ox

    from climatekg.graph import vocab as v

    store = ox.Store.read_only(str(home / "store"))
    started = time.perf_counter()
    G = nx.MultiDiGraph()
    for cls in v.CLASS_KIND:
        for q in store.quads_for_pattern(None, ox.NamedNode(v.RDF + "type"), ox.NamedNode(cls)):
            G.add_node(q.subject.value, kind=cls)
    for prop, kind in v.PROPERTY_RELATION.items():
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            G.add_edge(
                q.subject.value, q.object.value, key=kind.value, kind=kind.value, graph=q.graph_name.value
            )
    build = time.perf_counter() - started
    build_peak = peak_mib()
    U = G.to_undirected(as_view=True)
    prefix = v.entity_iri("")
    ids = sorted(n[len(prefix) :] for n in G)
    pairs = random_pairs(ids, args.pairs, args.seed)
    single = []
    for a, b in pairs:
        started = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.bidirectional_shortest_path(U, prefix + a, prefix + b)
        single.append(time.perf_counter() - started)
    started = time.perf_counter()
    simple = nx.Graph(U)  # shortest_simple_paths refuses multigraphs
    convert = time.perf_counter() - started
    k5 = []
    for a, b in pairs[:10]:
        started = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath):
            list(zip(range(5), nx.shortest_simple_paths(simple, prefix + a, prefix + b), strict=False))
        k5.append(time.perf_counter() - started)
    return {
        "build_seconds": build,
        "build_peak_mib": build_peak,
        "shortest_path": timings(single),
        "to_simple_graph_seconds": convert,
        "k5_paths": timings(k5),
        "peak_mib": peak_mib(),
    }


def run_case(case: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        str(n),
        "--case",
        case,
        "--seed",
        str(args.seed),
        "--pairs",
        str(args.pairs),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1]
            if proc.stderr.strip()
            else f"exit {proc.returncode}"
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(n: int, r: dict[str, Any]) -> None:
    b, c, q, base = r["build"], r["cached"], r["queries"], r["baseline"]
    print(f"\n### {n:,} entities")
    if "error" in b or "error" in q:
        print(json.dumps(r, indent=1))
        return
    print(
        f"projection: {b['entities']:,} entities, {b['ties']:,} ties; build {b['seconds']:.1f} s (peak {b['peak_mib']:.0f} MiB, "
        f"arrays+ids {b['projection_mib']:.0f} MiB, cache file {b['cache_file_mib']:.0f} MiB); "
        f"from cache {c['seconds']:.2f} s"
    )
    print("| query | climatekg median / p95 | networkx MultiDiGraph baseline median / p95 |")
    print("|---|---|---|")
    sp, spe, bl = q["shortest_path_search"], q["shortest_path_with_evidence"], base.get("shortest_path", {})
    print(
        f"| shortest path, bare search ({sp['n']} pairs, {q['paths_found']} found) | {sp['median_ms']:.2f} / {sp['p95_ms']:.2f} ms "
        f"| {bl.get('median_ms', float('nan')):.2f} / {bl.get('p95_ms', float('nan')):.2f} ms |"
    )
    print(f"| shortest path with resolve + evidence | {spe['median_ms']:.1f} / {spe['p95_ms']:.1f} ms | — |")
    k5, k5s, bk5 = q["k5_paths"], q["k5_search"], base.get("k5_paths", {})
    print(
        f"| k=5 paths, bare Yen search ({k5s['n']} pairs) | {k5s['median_ms']:.1f} / {k5s['p95_ms']:.1f} ms "
        f"| {bk5.get('median_ms', float('nan')):.1f} / {bk5.get('p95_ms', float('nan')):.1f} ms "
        f"(+{base.get('to_simple_graph_seconds', float('nan')):.1f} s to make a simple Graph) |"
    )
    print(f"| k=5 paths with resolve + evidence | {k5['median_ms']:.0f} / {k5['p95_ms']:.0f} ms | — |")
    for name, g in q["gap_suggestions"].items():
        print(
            f"| partner suggestions, {name} ({g['entity']}, degree {g['degree']}) "
            f"| {g['seconds'] * 1000:.0f} ms ({g['found']} found) | — |"
        )
    print(f"| betweenness ({q['betweenness']['method']}) | {q['betweenness']['seconds']:.1f} s | — |")
    print(
        f"| graph build | {b['seconds']:.1f} s, peak {b['peak_mib']:.0f} MiB | {base.get('build_seconds', float('nan')):.1f} s, peak {base.get('build_peak_mib', float('nan')):.0f} MiB |"
    )
    print(
        f"| peak memory while querying | {q['peak_mib']:.0f} MiB | {base.get('peak_mib', float('nan')):.0f} MiB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the networkx baseline")
    args = parser.parse_args()
    if args.case:
        n = args.sizes[0]
        worker = {
            "build": case_build,
            "cached": case_cached,
            "queries": case_queries,
            "baseline": case_baseline,
        }
        print(json.dumps(worker[args.case](store_home(n, args.seed), args)))
        return
    results = {}
    for n in args.sizes:
        ensure_store(n, args.seed)
        results[n] = {}
        for case in CASES:
            if case == "baseline" and args.skip_baseline:
                results[n][case] = {}
                continue
            results[n][case] = run_case(case, n, args)
            print(n, case, json.dumps(results[n][case]), flush=True)
        report(n, results[n])
    (OUT / "bench_queries.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
