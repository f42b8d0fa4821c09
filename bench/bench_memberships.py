"""Reading a membership table: climatekg's memberships loader against pandas, same file, same run.

The file is generated: wide format, one row per city with ~5 initiatives (of 99) in one
``;``-separated column, with ``;;`` and ``NA`` items as in real tables. The floor is pandas
``read_csv`` plus splitting and exploding the initiative column (what the loader must at least
do); climatekg is measured reading the file into a validated batch, and reading plus writing it
into a fresh embedded store. The last case times Oxigraph alone storing the batch's triples (bulk
load and compaction, as the store does): the part of the write no change to climatekg can remove.
A membership stated on its member's row is one triple (its source is marked
``ckg:plainRelationsCiteSubject``, see ``graph/rdf_mapping.py``), so the generated table is ~3
triples per membership in all (10 actor statements per row of ~5 memberships). Each measurement
runs in its own process so its peak memory (ru_maxrss) is its own.

    python bench/bench_memberships.py 100000 [--skip-write] [--repeat 3] [--compare-with ../main/.venv/bin/python]

``--compare-with PYTHON`` also measures the read and the read + write of another checkout (the
interpreter of its virtual environment) on the same file in the same run: the before/after of a change.
``--repeat N`` runs the cases N times, in turn, and keeps each case's fastest run: on a shared
machine the ratios of the fastest runs are steadier than those of single ones. Processor time
(user + system, all threads: Oxigraph's bulk loader uses several) is shown beside wall time; on
a busy machine its ratios are the steadier ones.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {
    "pandas read_csv + split (floor)": (
        "import pandas as pd; df = pd.read_csv(FILE, keep_default_na=False);"
        "s = df['initiatives'].str.split(';').explode().str.strip();"
        "s = s[(s != '') & (s != 'NA')]; n = len(s.reset_index().drop_duplicates())"
    ),
    "climatekg read (memberships loader)": (
        "from pathlib import Path; from climatekg.loaders.memberships import load_memberships;"
        "n = len(load_memberships(Path(FILE), mapping={'country': 'iso'}).relations)"
    ),
    "climatekg read + write (embedded store)": (
        "from pathlib import Path; from climatekg.loaders.memberships import load_memberships;"
        "from climatekg.graph.stores.embedded import EmbeddedStore;"
        "kg = EmbeddedStore(Path(TMP)); b = load_memberships(Path(FILE), mapping={'country': 'iso'});"
        "kg.load(b); kg.close(); n = len(b.relations)"
    ),
    # what the write cannot go below: Oxigraph storing the batch's triples (written untimed first)
    "oxigraph alone: write of its triples": (
        "from pathlib import Path; import pyoxigraph as ox; from climatekg.graph import rdf_mapping as m;"
        "from climatekg.loaders.memberships import load_memberships;"
        "b = load_memberships(Path(FILE), mapping={'country': 'iso'}); nt = Path(TMP) / 'b.nt';"
        "nt.write_text(''.join(m.batch_ntriples(b, 'https://w3id.org/climatekg/')), encoding='utf-8');"
        "started, cpu_started = time.perf_counter(), cpu(); st = ox.Store(str(Path(TMP) / 's'));"
        "st.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode('urn:g'), lenient=True);"
        "st.flush(); st.optimize(); n = len(b.relations)"
    ),
}

RUNNER = """
import resource, sys, time, json
FILE, TMP = sys.argv[1], sys.argv[2]
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime
started, cpu_started = time.perf_counter(), cpu()
{code}
print(json.dumps({{"seconds": time.perf_counter() - started, "cpu": cpu() - cpu_started, "n": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

COUNTRIES = ["FRA", "DEU", "USA", "CHN", "BRA", "IND", "JPN", "GBR", "ITA", "ESP", "MEX", "CAN"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A wide membership table of ``rows`` cities, ~5 of 99 initiatives each."""
    rnd = random.Random(seed)
    codes = [f"INIT{i:02d}" for i in range(99)]
    with open(path, "w", encoding="utf-8") as f:
        f.write("name,entity_type,iso,lat,lng,population,initiatives\n")
        for i in range(rows):
            items = rnd.sample(codes, rnd.randint(1, 9))
            if i % 7 == 0:
                items.insert(1, "")  # ';;'
            if i % 11 == 0:
                items.append("NA")
            kind = "Region" if i % 10 == 0 else "City"
            lat, lon = rnd.uniform(-60, 70), rnd.uniform(-180, 180)
            f.write(
                f"Place {i},{kind},{rnd.choice(COUNTRIES)},{lat:.4f},{lon:.4f},{rnd.randint(1000, 9_000_000)},"
            )
            f.write(";".join(items) + "\n")


def run(code: str, file: Path, python: str = sys.executable) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [python, "-c", RUNNER.format(code=code), str(file), tmp], capture_output=True, text=True
        )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int, default=[100_000])
    parser.add_argument("--skip-write", action="store_true", help="measure reading only (no store write)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest is kept")
    parser.add_argument(
        "--compare-with",
        metavar="PYTHON",
        help="also measure the read and write with another checkout's interpreter",
    )
    args = parser.parse_args()
    cases = {k: (c, sys.executable) for k, c in CASES.items() if not (args.skip_write and "write" in k)}
    if args.compare_with:
        for name, code in CASES.items():
            if name.startswith("climatekg ") and not (args.skip_write and "write" in name):
                cases[f"{name.removeprefix('climatekg ')} with {args.compare_with}"] = (
                    code,
                    args.compare_with,
                )
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / "members.csv"
            generate(file, rows)
            print(f"\n{rows} rows ({file.stat().st_size / 1e6:.1f} MB)")
            results: dict[str, dict[str, float]] = {}
            for _ in range(max(1, args.repeat)):
                for name, (code, python) in cases.items():
                    r = run(code, file, python)
                    if name not in results or r["seconds"] < results[name]["seconds"]:
                        results[name] = r
        floor = results["pandas read_csv + split (floor)"]
        width = max(map(len, results))
        head = f"{'case':{width}} {'seconds':>8} {'× floor':>8} {'cpu s':>8} {'× floor':>8}"
        print(f"{head} {'peak MB':>8} {'memberships':>12}")
        for name, r in results.items():
            ratio, cpu_ratio = r["seconds"] / floor["seconds"], r["cpu"] / floor["cpu"]
            print(
                f"{name:{width}} {r['seconds']:8.2f} {ratio:8.1f} {r['cpu']:8.2f} {cpu_ratio:8.1f}"
                f" {r['peak_mb']:8.0f} {int(r['n']):12}"
            )


if __name__ == "__main__":
    main()
