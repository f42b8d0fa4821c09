"""Every benchmark, one after another (``make bench``): each prints its own table and ratios.

The sizes follow the issues: load and queries at 10k / 100k / 1M entities, Neo4j push at 100k and
1M, the endpoint at 100k, the extractor on 1 MB of text, the explorer in headless Chromium, a 100k-row membership table against pandas. Each
script measures its named baseline in the same run; output is also kept in ``bench/out/``.

    python bench/run.py [--quick] [--only load queries …]

``--quick`` runs the smallest size of each (minutes, for checking the scripts still work).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name → (full arguments, quick arguments)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "load": (["10000", "100000", "1000000", "--rdflib-limit", "300"], ["10000"]),
    "queries": (["10000", "100000", "1000000"], ["10000"]),
    "neo4j": (["100000", "1000000", "--batch-sizes", "5000", "20000"], ["10000", "--batch-sizes", "5000"]),
    "endpoint": (["--entities", "100000"], ["--entities", "10000", "--duration", "5", "--warmup", "1"]),
    "extract": ([], ["--repeat", "1"]),
    "explorer": ([], ["--repeat", "1", "--skip-app"]),
    "link_prediction": ([], ["--queries", "20", "--cities", "1000"]),
    "memberships": (["100000"], ["10000"]),
    "gaps_scale": ([], ["--cities", "3000", "--largest", "2000"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smallest size of each benchmark")
    parser.add_argument("--only", nargs="*", choices=list(BENCHES), help="run only these")
    args = parser.parse_args()
    failed = []
    for name in args.only or BENCHES:
        full, quick = BENCHES[name]
        cmd = [sys.executable, str(HERE / f"bench_{name}.py"), *(quick if args.quick else full)]
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        started = time.perf_counter()
        if subprocess.run(cmd).returncode != 0:
            failed.append(name)
        print(f"=== {name} took {time.perf_counter() - started:.0f} s", flush=True)
    if failed:
        sys.exit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
