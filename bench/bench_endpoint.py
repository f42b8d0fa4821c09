"""Endpoint throughput and latency: our SPARQL endpoint side by side with Apache Jena Fuseki.

Both serve the same synthetic graph (``bench/synthetic.py``, default 100k entities) on 127.0.0.1;
``--clients`` closed-loop clients (default 8, each a thread with one keep-alive connection) send
the same seeded sequence of queries for ``--duration`` seconds (default 30) after a warm-up:

- **1-hop**: an entity's neighbours (both directions) with their labels;
- **2-hop**: distinct entities two relation hops out (outgoing), with labels.

Reported per server and query: requests/s, p50 and p99 latency, errors, mean result rows.
Results are printed and written to ``bench/out/bench_endpoint.json``.

    .venv/bin/python bench/bench_endpoint.py --entities 100000 --duration 30
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the Jena helpers live with the test servers
sys.path.insert(0, str(ROOT / "bench"))

from servers import jena_tools  # noqa: E402
from synthetic import OUT, entity_id, generate  # noqa: E402

from climatekg.graph import vocab as v  # noqa: E402
from climatekg.graph.model import EntityKind, RelationKind  # noqa: E402

RELS = " ".join(f"<{v.RELATION_PROPERTY[k]}>" for k in RelationKind)
LABEL = v.RDFS + "label"
# ``__E__`` is replaced by an entity IRI per request.
QUERIES = {
    "1-hop": f"SELECT ?p ?n ?label WHERE {{ {{ <__E__> ?p ?n }} UNION {{ ?n ?p <__E__> }} ?n <{LABEL}> ?label }}",
    "2-hop": (
        f"SELECT DISTINCT ?m ?label WHERE {{ VALUES ?p1 {{ {RELS} }} VALUES ?p2 {{ {RELS} }} "
        f"<__E__> ?p1 ?n . ?n ?p2 ?m . ?m <{LABEL}> ?label }}"
    ),
}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def entities(n_entities: int, seed: int, count: int = 5000) -> list[str]:
    """A seeded sequence of city IRIs (cities are 38% of the synthetic entities)."""
    rng = random.Random(seed)
    cities = int(n_entities * 0.38)
    return [v.entity_iri(entity_id(EntityKind.CITY, rng.randrange(cities))) for _ in range(count)]


def run_clients(url: str, query: str, targets: list[str], clients: int, seconds: float) -> dict[str, float]:
    """``clients`` closed-loop clients for ``seconds``; latencies of successful requests."""
    parts = urlsplit(url)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    rows: list[int] = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds
    headers = {
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
    }

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        k = i
        while time.monotonic() < stop:
            body = urlencode({"query": query.replace("__E__", targets[k % len(targets)])})
            k += clients
            t0 = time.perf_counter()
            try:
                conn.request("POST", parts.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
                continue
            dt = time.perf_counter() - t0
            if resp.status != 200:
                errors[i] += 1
                continue
            latencies[i].append(dt)
            rows[i] += data.count(b'"label"') - 1  # one in the head
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    lat = sorted(x for per in latencies for x in per)
    n = len(lat)
    return {
        "requests": n,
        "errors": sum(errors),
        "throughput_rps": n / wall if wall else 0.0,
        "p50_ms": 1000 * lat[n // 2] if n else float("nan"),
        "p99_ms": 1000 * lat[min(n - 1, int(n * 0.99))] if n else float("nan"),
        "mean_ms": 1000 * statistics.fmean(lat) if n else float("nan"),
        "mean_rows": sum(rows) / n if n else 0.0,
    }


def wait_ready(url: str, timeout: float = 120) -> None:
    """Poll the endpoint with ASK {} until it answers."""
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            conn.request("GET", parts.path + "?" + urlencode({"query": "ASK {}"}))
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def build_store(nt: Path, home: Path) -> None:
    """Load the synthetic N-Triples into an embedded store (once; reused when present)."""
    from climatekg.graph.model import Batch, Source
    from climatekg.graph.stores.embedded import EmbeddedStore

    kg = EmbeddedStore(home)
    if not kg.sources():
        src = Source(id="synthetic", title="Synthetic benchmark network", loader="synthetic")
        t0 = time.monotonic()
        kg.load(Batch(source=src, rdf_path=str(nt), rdf_format="application/n-triples", digest=nt.name))
        print(f"loaded {nt.name} into the embedded store in {time.monotonic() - t0:.1f} s", flush=True)
    kg.close()


class Fuseki(jena_tools.FusekiServer):
    """Fuseki with a heap large enough for the benchmark graph (the test helper uses 1 GB)."""

    heap = "4g"

    def start(self) -> Fuseki:  # same as the helper's, with -Xmx from ``heap``
        cp = jena_tools.build_classpath()
        self.port = free_port()
        fd, log = tempfile.mkstemp(prefix="fuseki-bench-", suffix=".log")
        self._log = Path(log)
        cmd = [
            jena_tools._which("java"),
            f"-Xmx{self.heap}",
            "-cp",
            cp,
            jena_tools.FUSEKI_MAIN,
            "--localhost",
            f"--port={self.port}",
            f"--file={self.data_file}",
            f"/{self.dataset}",
        ]
        with os.fdopen(fd, "wb") as logf:
            self._proc = subprocess.Popen(
                cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        if not self._wait_ready():
            text = self.log_text()
            self.stop()
            raise RuntimeError(f"Fuseki did not start:\n{text[-3000:]}")
        return self


def main() -> None:
    """Run the comparison and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of measurement per run")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per run")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=None, help="our --max-concurrent [CPU count]")
    ap.add_argument("--only", choices=["ours", "fuseki"], default=None)
    args = ap.parse_args()

    nt = generate(args.entities, args.seed)
    home = OUT / f"endpoint-store-{args.entities}-{args.seed}"
    build_store(nt, home)
    targets = entities(args.entities, args.seed)
    results: dict[str, dict[str, dict[str, float]]] = {}

    def measure(name: str, url: str) -> None:
        results[name] = {}
        for qname, query in QUERIES.items():
            run_clients(url, query, targets[::-1], args.clients, args.warmup)
            r = run_clients(url, query, targets, args.clients, args.duration)
            results[name][qname] = r
            print(
                f"{name:8} {qname:6} {r['throughput_rps']:8.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                f"p99 {r['p99_ms']:8.2f} ms  errors {r['errors']:.0f}  rows/answer {r['mean_rows']:.1f}",
                flush=True,
            )

    if args.only != "fuseki":
        port = free_port()
        cmd = [
            sys.executable,
            "-m",
            "climatekg.app",
            "--home",
            str(home),
            "serve",
            "--port",
            str(port),
            "--max-results",
            "1000000",
            "--timeout",
            "60",
        ]
        if args.workers:
            cmd += ["--max-concurrent", str(args.workers)]
        server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/sparql"
            wait_ready(url)
            measure("ours", url)
        finally:
            server.terminate()
            server.wait(timeout=30)

    if args.only != "ours" and shutil.which("java"):
        t0 = time.monotonic()
        with Fuseki(nt, "ds", startup_timeout=600) as fuseki:
            print(f"Fuseki loaded {nt.name} in {time.monotonic() - t0:.1f} s", flush=True)
            measure("fuseki", fuseki.query_url)

    report = {
        "entities": args.entities,
        "clients": args.clients,
        "duration_s": args.duration,
        "cpus": os.cpu_count(),
        "results": results,
    }
    (OUT / "bench_endpoint.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    if "ours" in results and "fuseki" in results:
        for qname in QUERIES:
            ratio = results["ours"][qname]["throughput_rps"] / max(
                results["fuseki"][qname]["throughput_rps"], 1e-9
            )
            print(f"{qname}: ours / Fuseki throughput = {ratio:.2f}")


if __name__ == "__main__":
    main()
