"""The explorer in headless Chromium: time to the first page, and to a stabilised network view.

Reported, not asserted (numbers depend on the machine). Three measurements:

1. **first page** — from starting ``streamlit run app/explorer/server.py`` on the bundled data (as
   ``make app`` does) to the profile page fully rendered (its footer drawn, no script running);
   the time to ``/_stcore/health`` is reported beside it.
2. **network view, component only** — the page ``app/explorer/views/network.py`` builds for a synthetic
   network of 100, 500 and 2,000 nodes, opened straight in Chromium: time to build the HTML in
   Python, and from navigation to vis-network's "stable" (physics done, or first drawing when
   the layout was computed in Python).
3. **network view, through the app** — the Network page of a running explorer on a synthetic
   store (``bench/synthetic.py``) of about that many entities, from navigation to the view
   stabilised in its iframe; the nodes actually shown are reported.

4. **home page on the twin cities** — the home page (the default page, a picture of the graph) on
   the bundled data plus the ~17,700 Wikipedia twin cities, after the preparation ``make app``
   runs: from navigation to the first contentful paint, to the network picture drawn (its SVG's
   nodes exist), and to fully settled (the script done, the network picture and the map drawn);
   the Map page to all located cities drawn (its first visit, which draws the SVG, apart); the Network page around a hub at 4 hops (stable,
   and how many nodes the size guard let through); the search box, from the last key typed to
   the hit shown (no Enter). Baseline in the same run: Streamlit's own ``streamlit hello`` page, navigation to first
   contentful paint and to its script done. The first visit after start is reported apart (it
   reads the store into the server's caches); then the median of ``--repeat`` visits.

    python bench/bench_explorer.py [--sizes 100 500 2000] [--repeat 3] [--only-home]
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
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is scripts, not a package
from synthetic import generate  # noqa: E402

from climatekg.app.explorer.views.network import NODE_CAP  # noqa: E402

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
        "app/explorer/server.py",
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


FCP = "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"


def twin_home(folder: Path) -> Path:
    """The bundled data plus the Wikipedia twin cities, as ``make app`` loads them."""
    from climatekg.data import bundled_files
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.curated import load_curated
    from climatekg.loaders.twin_cities import load_twin_cities

    kg = EmbeddedStore(folder)
    for path in bundled_files():
        kg.load(load_curated(path, store=kg))
    kg.load(load_twin_cities(ROOT / "data" / "twin-cities-wikipedia" / "twin_cities_geocoded.csv", store=kg))
    kg.close()
    return folder


def hello_baseline(browser: Any, repeat: int) -> dict[str, float]:
    """Streamlit's own hello page: first contentful paint and its script done (median, warm)."""
    port = free_port()
    cmd = [str(Path(sys.executable).parent / "streamlit"), "hello", "--server.port", str(port)]
    cmd += [
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fcp, done = [], []
    try:
        wait_healthy(port)
        for i in range(repeat + 1):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_text("Welcome to Streamlit").first.wait_for(timeout=120_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
            if i:  # the first visit warms the server
                done.append(time.perf_counter() - t0)
                fcp.append(page.evaluate(FCP) / 1000)
            page.close()
    finally:
        proc.terminate()
        proc.wait()
    return {"fcp_s": statistics.median(fcp), "done_s": statistics.median(done)}


#: The home page's network picture is drawn: its SVG nodes (or a vis-network canvas) exist.
PICTURE = "() => !!document.querySelector('svg g.node circle')"

#: Both of the home page's pictures (the network, the map) have drawn: their SVGs hold dots.
DRAWN = "() => !!document.querySelector('svg circle')"


def _drawn(frame: Any) -> bool:
    try:
        return bool(frame.evaluate(DRAWN))
    except Exception:  # a frame still loading
        return False


def home_visit(browser: Any, base: str) -> dict[str, float]:
    """One visit of the home page: first contentful paint, network drawn, fully settled (s)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(base + "/")
    picture = None
    deadline = time.monotonic() + 300
    while picture is None and time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame != page.main_frame and frame.evaluate(PICTURE):
                    picture = time.perf_counter() - t0
            except Exception:  # a frame still loading
                pass
        page.wait_for_timeout(20)
    rendered(page)
    while sum(1 for f in page.frames if f != page.main_frame and _drawn(f)) < 2:
        page.wait_for_timeout(20)
    settled = time.perf_counter() - t0
    fcp = page.evaluate(FCP) / 1000
    page.close()
    return {"fcp_s": fcp, "picture_s": picture or float("nan"), "settled_s": settled}


def map_visit(browser: Any, base: str) -> float:
    """The Map page, from navigation to every located city drawn (its marks exist, script done)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(base + "/map")
    rendered(page)
    deadline = time.monotonic() + 300
    # the SVG map in its iframe holds dots (a Vega chart, before it, drew its marks in the page)
    while not (page.query_selector("canvas.marks, svg.marks") or any(_drawn(f) for f in page.frames[1:])):
        if time.monotonic() > deadline:
            raise TimeoutError("the map was not drawn within 300 s")
        page.wait_for_timeout(20)
    took = time.perf_counter() - t0
    page.close()
    return took


def network_visit(browser: Any, base: str, entity: str, hops: int) -> tuple[float, int]:
    """The Network page around ``entity``, from navigation to the view stable; and the nodes shown."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(f"{base}/network?entities={quote(entity)}&hops={hops}")
    frame = stable_frame(page)
    took = time.perf_counter() - t0
    shown = frame.evaluate("() => window.ckgNetwork.body.data.nodes.length")
    page.close()
    return took, shown


def search_visit(browser: Any, base: str, text: str, expect: str) -> float:
    """Typing ``text`` in the search box (no Enter): from the last key to the hit ``expect`` shown."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/profile")
    rendered(page)
    box = page.get_by_label("Search by name in any language, alias, id or Wikidata id", exact=True)
    box.press_sequentially(text[:-1], delay=80)
    t0 = time.perf_counter()
    box.press(text[-1])
    page.get_by_role("button", name=expect).first.wait_for(timeout=300_000)
    took = time.perf_counter() - t0
    page.close()
    return took


#: Three hubs of the twin cities (69-74 sister-city agreements each); four hops from them reach more
#: entities than the network view's cap (NODE_CAP), so the view shows the cap and says so.
HUB = "city/shanghai-cn,city/bethlehem-ps,city/rio-de-janeiro-br"


def prepare(home: Path) -> float:
    """What ``make app`` runs before serving: the home overview for the current data (seconds)."""
    t0 = time.perf_counter()
    env = {**os.environ, "CLIMATEKG_HOME": str(home)}
    cmd = [sys.executable, "-m", "climatekg.app.explorer.prepare"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def home_page(browser: Any, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        home = twin_home(Path(tmp))
        prepared = prepare(home)
        port = free_port()
        t0 = time.perf_counter()
        proc = start(home, port)
        try:
            wait_healthy(port)
            health = time.perf_counter() - t0
            base = f"http://127.0.0.1:{port}"
            first = home_visit(browser, base)
            visits = [home_visit(browser, base) for _ in range(repeat)]
            maps = [map_visit(browser, base) for _ in range(repeat + 1)]  # the first draws the map
            networks = [network_visit(browser, base, HUB, 4) for _ in range(repeat + 1)][1:]
            searches = [search_visit(browser, base, "Shangha", "Shanghai · City") for _ in range(repeat + 1)][
                1:
            ]
        finally:
            proc.terminate()
            proc.wait()
    warm = {k: statistics.median(v[k] for v in visits) for k in visits[0]}
    return {
        "prepare_s": prepared,
        "health_s": health,
        "first_visit": first,
        "warm": warm,
        "map_first_s": maps[0],
        "map_s": statistics.median(maps[1:]),
        "network_s": statistics.median(t for t, _ in networks),
        "network_nodes": networks[0][1],
        "search_s": statistics.median(searches),
    }


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
    parser.add_argument("--only-home", action="store_true", help="only the home page and its baseline")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        results["hello"] = hello_baseline(browser, args.repeat)
        results["home"] = home_page(browser, args.repeat)
        hello, home = results["hello"], results["home"]
        print(
            f"baseline, Streamlit's hello page: first paint {hello['fcp_s']:.2f} s, done {hello['done_s']:.2f} s"
        )
        print(f"home page, bundled data + twin cities (healthy after {home['health_s']:.2f} s):")
        print("| visit | first paint s | network picture s | settled s | settled / hello done |")
        print("|---|---|---|---|---|")
        for name, v in (
            ("first after start", home["first_visit"]),
            (f"median of {args.repeat}", home["warm"]),
        ):
            print(
                f"| {name} | {v['fcp_s']:.2f} | {v['picture_s']:.2f} | {v['settled_s']:.2f} | "
                f"{v['settled_s'] / hello['done_s']:.1f}x |"
            )
        print(
            f"map page, every located city drawn: first visit {home['map_first_s']:.2f} s, then "
            f"{home['map_s']:.2f} s (median of {args.repeat}) = {home['map_s'] / hello['done_s']:.1f}x hello done"
        )
        print(
            f"network page, {HUB.replace(',', ', ')} at 4 hops: stable after {home['network_s']:.2f} s, "
            f"{home['network_nodes']:,} nodes shown (cap {NODE_CAP:,})"
        )
        print(f"search while typing 'Shangha': the hit shown {home['search_s']:.2f} s after the last key")
        print(
            f"(make app's preparation of the home overview took {home['prepare_s']:.1f} s before the start)"
        )
        if args.only_home:
            browser.close()
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / "bench_explorer.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
            return
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
