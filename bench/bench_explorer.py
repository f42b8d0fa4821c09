"""The explorer in headless Chromium: time to the first page, and to a stabilised network view.

Reported, not asserted (numbers depend on the machine). Three measurements:

1. **first page** — from starting ``streamlit run app/explorer/main.py`` on the bundled data (as
   ``make app`` does) to the profile page fully rendered (its footer drawn, no script running);
   the time to ``/_stcore/health`` is reported beside it.
2. **network view, component only** — the page ``app/explorer/views/network.py`` builds for a synthetic
   network of 100, 500 and 2,000 nodes, opened straight in Chromium: time to build the HTML in
   Python, and from navigation to vis-network's "stable" (physics done, or first drawing when
   the layout was computed in Python).
3. **network view, through the app** — the Network page of a running explorer on a synthetic
   store (``bench/synthetic.py``) of about that many entities, from navigation to the view
   stabilised in its iframe; the nodes actually shown are reported.

    python bench/bench_explorer.py [--sizes 100 500 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is scripts, not a package
from synthetic import generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(home: Path, port: int) -> subprocess.Popen:
    """The explorer as ``make app`` starts it (bound to 127.0.0.1: no public-IP lookup)."""
    env = {**os.environ, "CLIMATEKG_HOME": str(home), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
    cmd = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        "app/explorer/main.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("explorer not healthy")


def rendered(page: Any, timeout: float = 180_000) -> None:
    """The page ran to its end: the footer is drawn and Streamlit's running indicator is gone."""
    page.get_by_text("climatekg explorer ·").wait_for(timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout)


def stable_frame(page: Any, timeout: float = 300) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame != page.main_frame and frame.evaluate("() => !!window.ckgStable"):
                    return frame
            except Exception:  # still loading
                pass
        page.wait_for_timeout(20)  # not time.sleep: the sync API sees new frames only while called
    raise TimeoutError("no stable network view")


def bundled_home(folder: Path) -> Path:
    from climatekg.data import bundled_files
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.curated import load_curated

    kg = EmbeddedStore(folder)
    for path in bundled_files():
        kg.load(load_curated(path, store=kg))
    kg.close()
    return folder


def synthetic_home(folder: Path, n: int) -> tuple[Path, str]:
    """A store with ``generate(n)`` loaded; returns it and the best-connected entity (the seed)."""
    from collections import Counter

    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.rdf import load_rdf

    kg = EmbeddedStore(folder)
    kg.load(load_rdf(generate(n, 42)))
    degree: Counter[str] = Counter()
    for r in kg.relations():
        degree[r.subject] += 1
        degree[r.object] += 1
    kg.close()
    return folder, degree.most_common(1)[0][0]


def first_page(browser: Any, repeat: int) -> dict[str, float]:
    health, first = [], []
    with tempfile.TemporaryDirectory() as tmp:
        home = bundled_home(Path(tmp))
        for _ in range(repeat):
            port = free_port()
            t0 = time.perf_counter()
            proc = start(home, port)
            try:
                wait_healthy(port)
                health.append(time.perf_counter() - t0)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/?entity=city/shenzhen")
                rendered(page)
                first.append(time.perf_counter() - t0)
                page.close()
            finally:
                proc.terminate()
                proc.wait()
    return {"health_s": statistics.median(health), "first_page_s": statistics.median(first)}


def synthetic_view(n: int, seed: int = 7) -> tuple[list[Any], list[Any]]:
    from climatekg.app.explorer.views.network import ViewEdge, ViewNode

    rng = random.Random(seed)
    kinds = ["City", "Organisation", "Technology", "Agreement", "Initiative"]
    nodes = [ViewNode(f"x/n{i}", f"Entity {i}", kinds[i % len(kinds)]) for i in range(n)]
    edges = []
    for i in range(1, n):
        for _ in range(2):
            j = int(i * rng.random() ** 2)  # preferential towards early nodes: a few hubs
            edges.append(ViewEdge(f"x/n{i}", f"x/n{j}", "partner_of"))
    return nodes, edges


def component(browser: Any, n: int, repeat: int) -> dict[str, Any]:
    from climatekg.app.explorer.views.network import render_network

    nodes, edges = synthetic_view(n)
    build, stable = [], []
    view = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        view = render_network(nodes, edges)
        build.append(time.perf_counter() - t0)
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
            f.write(view.html)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t1 = time.perf_counter()
        page.goto(Path(f.name).as_uri())
        page.wait_for_function("() => !!window.ckgStable", timeout=300_000)
        stable.append(time.perf_counter() - t1)
        page.close()
        os.unlink(f.name)
    assert view is not None
    return {
        "nodes": view.nodes_shown,
        "edges": view.edges_shown,
        "physics": view.physics,
        "html_mib": round(len(view.html) / 2**20, 2),
        "build_s": statistics.median(build),
        "stable_s": statistics.median(stable),
    }


def through_app(browser: Any, n: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        home, seed = synthetic_home(Path(tmp), n)
        port = free_port()
        proc = start(home, port)
        times, shown = [], 0
        try:
            wait_healthy(port)
            for i in range(repeat + 1):  # the first visit warms the server's caches; not counted
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/network?entities={seed}&hops=4")
                frame = stable_frame(page)
                if i:
                    times.append(time.perf_counter() - t0)
                shown = frame.evaluate("() => window.ckgNetwork.body.data.nodes.length")
                page.close()
        finally:
            proc.terminate()
            proc.wait()
    return {"entities": n, "nodes_shown": shown, "stable_s": statistics.median(times) if times else None}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-app", action="store_true", help="skip the through-the-app network views")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        results["first_page"] = first_page(browser, args.repeat)
        print(
            f"first page (bundled data): healthy after {results['first_page']['health_s']:.2f} s, "
            f"rendered after {results['first_page']['first_page_s']:.2f} s"
        )
        results["component"] = [component(browser, n, args.repeat) for n in args.sizes]
        print("\nnetwork view, component only (median of", args.repeat, "):")
        print("| nodes | edges | layout | HTML MiB | build s | to stable s |\n|---|---|---|---|---|---|")
        for r in results["component"]:
            layout = "physics" if r["physics"] else "precomputed"
            print(
                f"| {r['nodes']} | {r['edges']} | {layout} | {r['html_mib']} | {r['build_s']:.3f} | {r['stable_s']:.2f} |"
            )
        if not args.skip_app:
            results["app"] = [through_app(browser, n, args.repeat) for n in args.sizes]
            print("\nnetwork view through the Network page (synthetic store, hub seed, 4 hops):")
            print("| entities | nodes shown | to stable s |\n|---|---|---|")
            for r in results["app"]:
                print(f"| {r['entities']} | {r['nodes_shown']} | {r['stable_s']:.2f} |")
        browser.close()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_explorer.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
