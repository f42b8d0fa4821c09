"""Gaps at the issue's scale: cohort gaps in a 10,000-member group and default partner suggestions
over a ~15k-actor membership network (``synthetic.membership_network``: one row per actor, 99
initiatives of very different sizes, the largest with 10,000 members).

Each case runs in its own process, so its peak memory (``ru_maxrss``, minus the process's peak
before the question) is its own:

* cohort: ``cohort_gaps(kg, largest, top=20)``; baseline: networkx ``adamic_adar_index`` on the
  same members' pairs (actor–initiative graph) for the same wall time — how far it got;
* partners: ``suggest_partners(kg, top=20)`` (no ``--for``: every city pair, city-city default);
* validate: ``quality.validate(kg)`` (SHACL compiled to SPARQL, run by Oxigraph) on the same store —
  the store's triple count is shown; validate-pyshacl: the same with ``engine="pyshacl"``, the
  reference (baseline). ``--dated --largest 13000`` makes the store 475k triples, about the issue's
  457k: every membership dated and with its row, so each has a qualified node;
* duplicates: ``quality.likely_duplicates(kg)`` on the same ~15k actors.

``--cases`` picks some (default: all). A case that runs past ``--limit`` seconds is stopped and
reported as such.

    python bench/bench_gaps_scale.py [--cities 14382] [--largest 10000] [--seed 42] [--cases validate duplicates]
    python bench/bench_gaps_scale.py --dated --largest 13000 --cases validate validate-pyshacl --limit 300
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is scripts, not a package
from synthetic import OUT, membership_network  # noqa: E402

from climatekg.graph.model import RelationKind  # noqa: E402
from climatekg.graph.stores import open_store  # noqa: E402
from climatekg.queries.engine import engine_for  # noqa: E402
from climatekg.queries.gaps import cohort_gaps, suggest_partners  # noqa: E402
from climatekg.queries.quality import likely_duplicates, validate  # noqa: E402

CASES = ("cohort", "partners", "validate", "validate-pyshacl", "duplicates")


def home(args: argparse.Namespace) -> Path:
    dated = "-dated" if args.dated else ""
    return OUT / f"memberships-{args.cities}-{args.largest}-{args.seed}{dated}"


def ensure(args: argparse.Namespace) -> None:
    """Load the generated network once (reused by later runs)."""
    if (home(args) / "loaded").exists():
        return
    kg = open_store(home=home(args))
    t = time.perf_counter()
    kg.load(membership_network(args.cities, largest=args.largest, seed=args.seed, dated=args.dated))
    engine_for(kg).prepare(kg)
    kg.close()
    (home(args) / "loaded").write_text(f"{time.perf_counter() - t:.1f}")


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def vm_hwm_mb() -> float:
    """This process's own peak resident memory (ru_maxrss would include the parent's, across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def case(name: str, args: argparse.Namespace) -> dict[str, object]:
    kg = open_store(home=home(args), read_only=True)
    engine_for(kg).prepare(kg)
    largest = "initiative/g000"
    before = peak_kib()
    cpu = time.process_time()
    t = time.perf_counter()
    if name == "cohort":
        rows = cohort_gaps(kg, largest, top=20)
        spent = time.perf_counter() - t
        grown, peak = peak_kib() - before, peak_kib()
        done, total = _networkx_pairs(args, spent)
        return {
            "case": "cohort top 20 of the 10,000-member group",
            "seconds": round(spent, 2),
            "peak_growth_mb": round(grown / 1024, 1),
            "process_peak_mb": round(peak / 1024, 1),
            "top_score": rows[0].adamic_adar if rows else None,
            "baseline": f"networkx adamic_adar_index scored {done:,} of {total:,} member pairs "
            f"({done / total:.2%}) in the same {spent:.1f} s",
        }
    if name in ("validate", "validate-pyshacl", "duplicates"):
        if name == "duplicates":
            rows = likely_duplicates(kg)
        else:
            rows = validate(kg, engine="pyshacl" if name == "validate-pyshacl" else "sparql")
        spent = time.perf_counter() - t
        return {
            "case": f"{name} on {kg.stats()['triples']:,} triples ({kg.stats()['entities']:,} entities)",
            "seconds": round(spent, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),  # less sensitive to a loaded machine
            "peak_growth_mb": round((peak_kib() - before) / 1024, 1),
            "process_peak_mb": vm_hwm_mb(),
            "rows": len(rows),
        }
    found = suggest_partners(kg, top=20)
    spent = time.perf_counter() - t
    return {
        "case": f"default partner suggestions ({found.pair}), top 20",
        "seconds": round(spent, 2),
        "peak_growth_mb": round((peak_kib() - before) / 1024, 1),
        "process_peak_mb": round(peak_kib() / 1024, 1),
        "candidate_pairs_scored": found.candidates,
        "best": [(s.a, s.b, round(s.adamic_adar, 3), s.ties) for s in found[:3]],
    }


def _networkx_pairs(args: argparse.Namespace, budget: float) -> tuple[int, int]:
    """How many member pairs networkx's adamic_adar_index scores in ``budget`` seconds."""
    import networkx as nx

    batch = membership_network(args.cities, largest=args.largest, seed=args.seed)
    G = nx.Graph((r.subject, r.object) for r in batch.relations if r.kind == RelationKind.MEMBER_OF)
    members = sorted(r.subject for r in batch.relations if r.object == "initiative/g000")
    total = len(members) * (len(members) - 1) // 2
    done = 0
    pairs = itertools.combinations(members, 2)
    start = time.perf_counter()
    # in chunks: networkx checks a whole ebunch before its first score
    while time.perf_counter() - start < budget:
        chunk = list(itertools.islice(pairs, 10_000))
        if not chunk:
            break
        done += sum(1 for _ in nx.adamic_adar_index(G, chunk))
    return done, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=14_382)
    parser.add_argument("--largest", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--dated", action="store_true", help="every membership dated, with its row: a qualified node each"
    )
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--limit", type=float, default=600, help="seconds before a case is stopped")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.case, args)))
        return
    ensure(args)
    print(f"loaded in {(home(args) / 'loaded').read_text()} s (once)")
    for name in args.cases:
        cmd = [sys.executable, __file__, "--case", name, "--cities", str(args.cities)]
        cmd += ["--largest", str(args.largest), "--seed", str(args.seed)] + (
            ["--dated"] if args.dated else []
        )
        print(run_case(name, cmd, args.limit), flush=True)


def run_case(name: str, cmd: list[str], limit: float) -> dict[str, object]:
    """Run one case in a child process; past ``limit`` seconds stop it and report how much memory it
    had reached (its VmHWM, read every half second)."""
    start, peak = time.perf_counter(), 0.0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        status = Path(f"/proc/{child.pid}/status")
        while child.poll() is None:
            try:
                hwm = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
                peak = max(peak, int(hwm.split()[1]) / 1024)
            except (OSError, StopIteration):
                pass
            if time.perf_counter() - start > limit:
                child.kill()
                child.wait()
                return {"case": name, "stopped_after_seconds": limit, "peak_mb_when_stopped": round(peak, 1)}
            time.sleep(0.5)
        out = child.stdout.read() if child.stdout else ""
    if child.returncode:
        return {"case": name, "failed_with_exit_code": child.returncode}
    return dict(json.loads(out.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
