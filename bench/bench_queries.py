"""Query speed on the synthetic networks: paths, k paths, gap suggestions, betweenness, the projection.

For each size the synthetic N-Triples (``bench/synthetic.py``) is loaded once into an embedded
store under ``bench/out/``; then, each case in its own process (so peak memory is its own):

* projection: build from the store (no cache), then read back from its cache file;
* queries: 100 random shortest paths (``shortest_paths(k=1)``, evidence included, and the bare
  bidirectional search), 10 k=5 path queries, partner suggestions for one city, betweenness
  (exact or sampled — the output says which);
* baseline: plain networkx on a MultiDiGraph built naively from the store (every relation
  triple an attributed edge), the same 100 and 10 pairs on its undirected view;
* scan: the floor under the projection build — pyoxigraph answering one ``SELECT ?s ?o`` (in any graph, as the build reads them) per
  relation property as TSV, one after another (no parsing, nothing built);
* hub_baseline: networkx ``adamic_adar_index`` on the hub city's candidate pairs (the hub with
  every city two ties away and not tied to it) over a plain undirected Graph of the projection's
  ties (the Graph's build not timed).

    python bench/bench_queries.py 100000 1000000 [--seed 42] [--pairs 100] [--cases build scan]
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

#: The networkx hub baseline stops after this many seconds and extrapolates to all its pairs.
BUDGET = 60.0
CASES = ("build", "scan", "cached", "queries", "hub_baseline", "baseline")


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


def case_scan(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """pyoxigraph's own time to hand over every relation triple (s, o, graph) as TSV, serially."""
    import pyoxigraph as ox

    from climatekg.graph import vocab as v

    store = ox.Store.read_only(str(home / "store"))
    started = time.perf_counter()
    rows = size = 0
    for prop in v.PROPERTY_RELATION:
        data = store.query(f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{prop}> ?o }} }}").serialize(
            format=ox.QueryResultsFormat.TSV
        )
        rows += data.count(b"\n") - 1
        size += len(data)
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "mib": size / 2**20,
        "peak_mib": peak_mib(),
    }


def hub_city(proj: Any) -> int:
    """The city with the most ties (the "hub city" of the gap suggestions)."""
    cities = [n for n in range(len(proj)) if proj.ids[n].startswith("city/") and proj.degree(n) >= 3]
    return max(cities, key=proj.degree)


def case_hub_baseline(home: Path, args: argparse.Namespace) -> dict[str, Any]:
    """networkx Adamic-Adar for the hub city and every city two ties away that it is not tied to."""
    import networkx as nx

    from climatekg.graph.projection import projection
    from climatekg.graph.stores.embedded import EmbeddedStore

    proj = projection(EmbeddedStore(home, read_only=True))
    hub = hub_city(proj)
    src, dst = proj.edge_arrays()
    G = nx.Graph()
    G.add_nodes_from(range(len(proj)))
    G.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    started = time.perf_counter()
    near = {c for z in G[hub] for c in G[z]} - set(G[hub]) - {hub}
    pairs = [(hub, c) for c in sorted(near) if proj.ids[c].startswith("city/")]
    scores, stopped = [], False
    for chunk in range(0, len(pairs), 1000):  # stops after BUDGET seconds and extrapolates
        scores.extend(nx.adamic_adar_index(G, pairs[chunk : chunk + 1000]))
        if time.perf_counter() - started > BUDGET:
            stopped = True
            break
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds * len(pairs) / max(1, len(scores)),
        "measured_seconds": seconds,
        "extrapolated": stopped,
        "entity": proj.ids[hub],
        "pairs": len(pairs),
        "pairs_scored": len(scores),
        "peak_mib": peak_mib(),
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
    from climatekg.queries.projection_engine.centrality import betweenness

    kg = EmbeddedStore(home, read_only=True)
    proj = projection(kg)
    out: dict[str, Any] = {} if args.skip_paths else path_timings(kg, proj, args)
    rng = random.Random(args.seed)
    cities = [n for n in range(len(proj)) if proj.ids[n].startswith("city/") and proj.degree(n) >= 3]
    gaps = {}
    for name, n in (("typical city", rng.choice(cities)), ("hub city", hub_city(proj))):
        started = time.perf_counter()
        suggestions = suggest_partners(kg, for_entity=proj.ids[n], top=20)
        gaps[name] = {
            "entity": proj.ids[n],
            "degree": proj.degree(n),
            "seconds": time.perf_counter() - started,
            "found": len(suggestions),
            "candidates": suggestions.candidates,
            "notes": suggestions.notes,
        }
    out["gap_suggestions"] = gaps
    if not args.skip_paths:
        started = time.perf_counter()
        _, method = betweenness(proj)
        out["betweenness"] = {"seconds": time.perf_counter() - started, "method": method}
    out["peak_mib"] = peak_mib()
    return out


def path_timings(kg: Any, proj: Any, args: argparse.Namespace) -> dict[str, Any]:
    """100 shortest paths (bare search and with evidence) and 10 k=5 path queries."""
    from climatekg.queries.projection_engine import paths

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
    return {
        "shortest_path_search": timings(bare),
        "shortest_path_with_evidence": timings(full),
        "paths_found": found,
        "k5_paths": timings(k5),
        "k5_search": timings(k5_bare),
        "k5_lengths": k5_lengths,
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
    if args.skip_paths:
        cmd.append("--skip-paths")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1]
            if proc.stderr.strip()
            else f"exit {proc.returncode}"
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(n: int, r: dict[str, Any]) -> None:
    """The cases that ran, as a table, with the ratios to their same-run baselines."""
    nan = float("nan")
    b, sc, c, q = (r.get(k) or {} for k in ("build", "scan", "cached", "queries"))
    hb, base = r.get("hub_baseline") or {}, r.get("baseline") or {}
    print(f"\n### {n:,} entities")
    errors = {k: v["error"] for k, v in r.items() if isinstance(v, dict) and "error" in v}
    if errors:
        print(json.dumps(errors, indent=1))
    if "seconds" in b:
        print(
            f"projection: {b['entities']:,} entities, {b['ties']:,} ties; build {b['seconds']:.1f} s (peak {b['peak_mib']:.0f} MiB, "
            f"arrays+ids {b['projection_mib']:.0f} MiB, cache file {b['cache_file_mib']:.0f} MiB); "
            f"from cache {c.get('seconds', nan):.2f} s"
        )
    if "seconds" in sc:
        ratio = b.get("seconds", nan) / sc["seconds"]
        print(
            f"projection build {b.get('seconds', nan):.1f} s vs pyoxigraph scan of the relation triples "
            f"({sc['rows']:,} rows, {sc['mib']:.0f} MiB TSV, serial) {sc['seconds']:.1f} s: {ratio:.2f}x the scan"
        )
    hub = q.get("gap_suggestions", {}).get("hub city")
    if hub and "seconds" in hb:
        print(
            f"hub suggestions {hub['seconds']:.2f} s ({hub['candidates']:,} candidates) vs networkx adamic_adar_index "
            f"on {hb['pairs']:,} two-hop pairs {hb['seconds']:.2f} s"
            f"{' (extrapolated from ' + format(hb['pairs_scored'], ',') + ' pairs)' if hb['extrapolated'] else ''}: {hub['seconds'] / hb['seconds']:.2f}x the baseline"
        )
    if "shortest_path_search" not in q:
        for name, g in q.get("gap_suggestions", {}).items():
            print(
                f"partner suggestions, {name} ({g['entity']}, degree {g['degree']}): {g['seconds'] * 1000:.0f} ms"
            )
        return
    print("| query | climatekg median / p95 | networkx MultiDiGraph baseline median / p95 |")
    print("|---|---|---|")
    sp, spe, bl = q["shortest_path_search"], q["shortest_path_with_evidence"], base.get("shortest_path", {})
    print(
        f"| shortest path, bare search ({sp['n']} pairs, {q['paths_found']} found) | {sp['median_ms']:.2f} / {sp['p95_ms']:.2f} ms "
        f"| {bl.get('median_ms', nan):.2f} / {bl.get('p95_ms', nan):.2f} ms |"
    )
    print(f"| shortest path with resolve + evidence | {spe['median_ms']:.1f} / {spe['p95_ms']:.1f} ms | — |")
    k5, k5s, bk5 = q["k5_paths"], q["k5_search"], base.get("k5_paths", {})
    print(
        f"| k=5 paths, bare Yen search ({k5s['n']} pairs) | {k5s['median_ms']:.1f} / {k5s['p95_ms']:.1f} ms "
        f"| {bk5.get('median_ms', nan):.1f} / {bk5.get('p95_ms', nan):.1f} ms "
        f"(+{base.get('to_simple_graph_seconds', nan):.1f} s to make a simple Graph) |"
    )
    print(f"| k=5 paths with resolve + evidence | {k5['median_ms']:.0f} / {k5['p95_ms']:.0f} ms | — |")
    for name, g in q["gap_suggestions"].items():
        print(
            f"| partner suggestions, {name} ({g['entity']}, degree {g['degree']}) "
            f"| {g['seconds'] * 1000:.0f} ms ({g['found']} found) | — |"
        )
    print(f"| betweenness ({q['betweenness']['method']}) | {q['betweenness']['seconds']:.1f} s | — |")
    print(
        f"| graph build | {b.get('seconds', nan):.1f} s, peak {b.get('peak_mib', nan):.0f} MiB | {base.get('build_seconds', nan):.1f} s, peak {base.get('build_peak_mib', nan):.0f} MiB |"
    )
    print(f"| peak memory while querying | {q['peak_mib']:.0f} MiB | {base.get('peak_mib', nan):.0f} MiB |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the networkx baseline")
    parser.add_argument("--cases", nargs="*", choices=CASES, help="run only these cases (default: all)")
    parser.add_argument(
        "--skip-paths", action="store_true", help="queries: only the gap suggestions and betweenness"
    )
    args = parser.parse_args()
    if args.case:
        n = args.sizes[0]
        worker = {
            "build": case_build,
            "scan": case_scan,
            "cached": case_cached,
            "queries": case_queries,
            "hub_baseline": case_hub_baseline,
            "baseline": case_baseline,
        }
        print(json.dumps(worker[args.case](store_home(n, args.seed), args)))
        return
    results = {}
    for n in args.sizes:
        ensure_store(n, args.seed)
        results[n] = {}
        for case in CASES:
            if (case == "baseline" and args.skip_baseline) or (args.cases and case not in args.cases):
                results[n][case] = {}
                continue
            results[n][case] = run_case(case, n, args)
            print(n, case, json.dumps(results[n][case]), flush=True)
        report(n, results[n])
    name = "bench_queries.json" if not args.cases else f"bench_queries-{'-'.join(args.cases)}.json"
    (OUT / name).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
