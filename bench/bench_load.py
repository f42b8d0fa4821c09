"""Load throughput and peak memory: climatekg's embedded store against two baselines, same file, same run.

Baselines: (a) rdflib's default in-memory store parsing the N-Triples, (b) pyoxigraph's bulk
load of the same file (in memory, and into an on-disk store — the floor for this design).
Each measurement runs in its own process so peak memory (ru_maxrss) is its own.

    python bench/bench_load.py 10000 100000 1000000 [--rdflib-limit 600]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is scripts, not a package
from synthetic import generate  # noqa: E402

CASES = {
    "climatekg": (
        "from pathlib import Path; from climatekg.graph.stores.embedded import EmbeddedStore;"
        "from climatekg.loaders.rdf import load_rdf;"
        "kg = EmbeddedStore(Path(TMP)); kg.load(load_rdf(Path(FILE))); kg.close()"
    ),
    "rdflib-memory": "import rdflib; g = rdflib.Graph(); g.parse(FILE, format='nt')",
    "pyoxigraph-memory": (
        "import pyoxigraph as ox; s = ox.Store(); s.bulk_load(path=FILE, format=ox.RdfFormat.N_TRIPLES)"
    ),
    "pyoxigraph-disk": (
        "import pyoxigraph as ox; s = ox.Store(TMP); s.bulk_load(path=FILE, format=ox.RdfFormat.N_TRIPLES); s.flush()"
    ),
}

RUNNER = """
import resource, sys, time, json
FILE, TMP = sys.argv[1], sys.argv[2]
t = time.perf_counter()
{code}
print(json.dumps({{"seconds": time.perf_counter() - t,
                   "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(case: str, path: Path, timeout: float) -> dict[str, float] | None:
    """Run one case in a fresh process; None when it exceeds ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", RUNNER.format(code=CASES[case]), str(path), tmp],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=True,
            )
        except subprocess.TimeoutExpired:
            return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--rdflib-limit", type=float, default=600.0, help="seconds before rdflib is stopped")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        path = generate(n)
        triples = count_lines(path)
        row: dict[str, object] = {"entities": n, "triples": triples}
        for case in CASES:
            started = time.perf_counter()
            result = measure(case, path, args.rdflib_limit if case == "rdflib-memory" else 3600)
            row[case] = result or {"seconds": None, "stopped_after": round(time.perf_counter() - started)}
            print(n, case, row[case], flush=True)
        rows.append(row)
    print(table(rows))


def count_lines(path: Path) -> int:
    """Lines (triples) in an N-Triples file."""
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def table(rows: list[dict]) -> str:
    """A Markdown table: seconds, and each baseline's time relative to ours."""
    lines = [
        "| entities | triples | climatekg s (triples/s, peak MiB) | rdflib memory s (peak MiB) | pyoxigraph memory s "
        "| pyoxigraph disk s | rdflib / ours | ours / pyoxigraph memory | ours / pyoxigraph disk |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ours = r["climatekg"]["seconds"]
        rd, pm, pd = (r[c].get("seconds") for c in ("rdflib-memory", "pyoxigraph-memory", "pyoxigraph-disk"))
        rd_cell = (
            f"{rd:.2f} ({r['rdflib-memory']['peak_mib']:.0f})"
            if rd
            else f"stopped after {r['rdflib-memory']['stopped_after']} s"
        )
        lines.append(
            f"| {r['entities']:,} | {r['triples']:,} | {ours:.2f} ({r['triples'] / ours:,.0f}/s, "
            f"{r['climatekg']['peak_mib']:.0f}) | {rd_cell} | {pm:.2f} | {pd:.2f} "
            f"| {(rd / ours if rd else float('nan')):.2f}× | {ours / pm:.2f}× | {ours / pd:.2f}× |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
