"""The explorer end to end in Debian's Chromium: every page renders, offline, and data stays text.

The app is started as ``make app`` starts it (``streamlit run app/explorer/server.py`` with
``CLIMATEKG_HOME``) on a free port, on a store holding the bundled data and two XSS probes. The
browser may talk to 127.0.0.1 only: every other request is aborted and fails the test. Any
dialog (an ``alert`` from a probe), page error or console error fails it too. Screenshots of
every page go to ``tests/artifacts/`` (git-ignored).

The address comes from the project's ``.streamlit/config.toml`` (``server.address = "127.0.0.1"``),
as it does for ``make app``: a test reads the listening sockets back from the kernel.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
#: Screenshots of every page on the twin-cities store (see tests/README or README, Explorer).
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IMG_PROBE = "<img src=x onerror=alert(1)>"
SCRIPT_PROBE = "</script><script>alert(1)</script>"
PROBE_ENTITIES = f"""kind,label,description,country,lat,lon,quote
Organisation,{IMG_PROBE},"**bold** ![t](http://example.com/t.png) <b>tag</b> :red[red]",France,,,"<img src=x onerror=alert(2)>"
City,{SCRIPT_PROBE},A probe city: <!-- comment --> & ampersand,China,31.23,121.47,"</script><script>alert(3)</script>"
"""
PROBE_RELATIONS = """subject,kind,object,start,role,quote
org/img-src-x-onerror-alert-1,partner_of,org/iclei,2016,<i>role</i>,"<script>alert(4)</script> [link](javascript:alert(5))"
city/script-script-alert-1-script,member_of,initiative/ccucc,2016,second cohort,</script><!-- quote -->
city/script-script-alert-1-script,partner_of,city/shenzhen,2017,,
"""
IMG_ID = "org/img-src-x-onerror-alert-1"
SCRIPT_ID = "city/script-script-alert-1-script"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_home(folder: Path) -> Path:
    """Bundled data plus the probes (a curated CSV of entities and one of relations)."""
    from climatekg.data import bundled_files
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.curated import load_curated

    (folder / "probes-entities.csv").write_text(PROBE_ENTITIES, encoding="utf-8")
    (folder / "probes-relations.csv").write_text(PROBE_RELATIONS, encoding="utf-8")
    kg = EmbeddedStore(folder / "home")
    for path in [*bundled_files(), folder / "probes-entities.csv", folder / "probes-relations.csv"]:
        kg.load(load_curated(path, store=kg))
    kg.close()
    return folder / "home"


def start_explorer(home: Path, port: int, log: Path) -> subprocess.Popen:
    """``streamlit run app/explorer/server.py`` as ``make app`` runs it."""
    streamlit = Path(sys.executable).parent / "streamlit"
    env = {**os.environ, "CLIMATEKG_HOME": str(home)}
    for name in ("CLIMATEKG_STORE", "STREAMLIT_SERVER_ADDRESS"):
        env.pop(name, None)
    cmd = [str(streamlit), "run", "app/explorer/server.py", "--server.port", str(port)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("the explorer did not become healthy")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is not installed (make system-deps installs it)")
    folder = tmp_path_factory.mktemp("browser")
    home = make_home(folder)
    port = free_port()
    proc = start_explorer(home, port, folder / "streamlit.log")
    try:
        wait_healthy(port, proc)
        SERVER_PIDS[f"http://127.0.0.1:{port}"] = proc.pid
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    log = (folder / "streamlit.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log


#: The explorer's process id per server URL (to read its sockets back).
SERVER_PIDS: dict[str, int] = {}


def socket_inodes(pid: int) -> set[int]:
    """The inodes of the sockets process ``pid`` holds open (its /proc/PID/fd links)."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                found.add(int(target[8:-1]))
    return found


def listening_addresses(
    port: int | None = None, inodes: set[int] | None = None
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The local addresses of the listening sockets on ``port`` or with one of ``inodes``, as the kernel reports them."""
    found = []
    for table, size in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        with contextlib.suppress(FileNotFoundError), open(table, encoding="ascii") as f:
            for line in list(f)[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], int(fields[9])
                address, hex_port = local.split(":")
                wanted = int(hex_port, 16) == port if inodes is None else inode in inodes
                if state == "0A" and wanted:  # 0A: LISTEN
                    raw = bytes.fromhex(address)
                    # the kernel prints each 32-bit word in host (little-endian) order
                    packed = b"".join(raw[i : i + 4][::-1] for i in range(0, size, 4))
                    found.append(ipaddress.ip_address(packed))
    return found


def test_the_explorer_listens_on_loopback_only(server: str) -> None:
    addresses = listening_addresses(int(server.rsplit(":", 1)[1]))
    assert addresses, "no listening socket found for the explorer's port"
    assert all(a.is_loopback for a in addresses), addresses
    # read back from the explorer's own process: every socket it listens on is on loopback
    mine = listening_addresses(inodes=socket_inodes(SERVER_PIDS[server]))
    assert mine and all(a.is_loopback for a in mine), mine
    assert str(mine[0]) == "127.0.0.1"


class Watch:
    """What the browser did that a test must fail on."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.not_found: list[str] = []

    def problems(self) -> list[str]:
        return [
            *(f"request to another host: {u}" for u in self.external),
            *(f"dialog opened: {d}" for d in self.dialogs),
            *(f"page error: {e}" for e in self.page_errors),
            *(f"console error: {c}" for c in self.console_errors),
            *(f"404: {u}" for u in self.not_found),
        ]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    watch = Watch()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def route(r: Any) -> None:
        host = r.request.url.split("/")[2].rsplit(":", 1)[0] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            watch.external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    pg.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    pg.on("response", lambda r: r.status == 404 and watch.not_found.append(r.url))
    pg.watch = watch
    yield pg
    context.close()
    assert not watch.problems(), watch.problems()


def open_page(pg: Any, base: str, path: str, *, shot: str | None = None, timeout: float = 90_000) -> None:
    """Open ``path`` and wait until the page has run to its footer (every page ends with it)."""
    pg.goto(f"{base}/{path}")
    pg.get_by_text("climatekg explorer ·").wait_for(timeout=timeout)
    pg.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout)
    # some elements load their code on first use and show a skeleton until then
    pg.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=30_000)
    if shot:
        screenshot(pg, shot)


def screenshot(pg: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.wait_for_timeout(800)  # let charts and fonts settle
    pg.screenshot(path=str(path))
    return path


def network_frame(pg: Any) -> Any:
    """The network view's iframe, once vis-network has drawn and stabilised."""
    for _ in range(240):
        for frame in pg.frames:
            try:
                if frame != pg.main_frame and frame.evaluate("() => !!window.ckgStable"):
                    return frame
            except Exception:  # a frame still loading cannot be evaluated yet
                pass
        # not time.sleep: Playwright's sync API learns of new frames only while it is called
        pg.wait_for_timeout(250)
    screenshot(pg, "failed-network-view")
    frames = []
    for f in pg.frames:
        try:
            state = f.evaluate(
                "() => [typeof window.ckgNetwork, window.ckgStable, (document.getElementById('status') || {}).textContent]"
            )
        except Exception as exc:  # report, do not hide, why a frame could not be read
            state = repr(exc)
        frames.append((f.url, state))
    raise AssertionError(f"no network view stabilised within 60 s; frames: {frames}")


def picture_frame(pg: Any) -> Any:
    """The home page's network picture (an SVG in its iframe), once it has drawn its nodes."""
    for _ in range(240):
        for frame in pg.frames:
            try:
                if frame != pg.main_frame and frame.evaluate("() => !!window.ckgPicture"):
                    return frame
            except Exception:  # a frame still loading cannot be evaluated yet
                pass
        pg.wait_for_timeout(250)
    screenshot(pg, "failed-home-picture")
    raise AssertionError("no network picture drawn within 60 s")


def map_frame(pg: Any) -> Any:
    """The map of the home page or of the Map page (an SVG in its iframe)."""
    for _ in range(240):
        for frame in pg.frames:
            try:
                if frame != pg.main_frame and frame.evaluate(
                    "() => !!document.querySelector('svg[aria-label^=\"map of\"]')"
                ):
                    return frame
            except Exception:  # a frame still loading cannot be evaluated yet
                pass
        pg.wait_for_timeout(250)
    raise AssertionError("no map drawn within 60 s")


#: Dots a map drew.
MAP_DOTS = "() => document.querySelectorAll('svg circle').length"
#: Nodes the home picture drew (circles inside the SVG's node groups).
DRAWN_NODES = "() => document.querySelectorAll('svg g.node circle').length"


def assert_no_injected_markup(frame: Any) -> None:
    """The probes never became elements: no <img>, no stray scripts, the title unchanged."""
    assert frame.evaluate("() => document.querySelectorAll('img[src=x], img[onerror]').length") == 0
    assert frame.evaluate("() => [...document.scripts].every(s => !s.textContent.includes('alert(1)</'))")


# ---- every page --------------------------------------------------------------------------


PAGES = [
    ("home", ""),
    ("profile", "profile?entity=city/shenzhen"),
    ("network", "network?entities=org/iclei&hops=2"),
    ("paths", "paths?source=city/shenzhen&target=org/iclei"),
    ("gaps", "gaps?initiative=initiative/ccucc"),
    ("map", "map"),
    ("timeline", "timeline"),
    ("sparql", "sparql?saved="),
    ("quality", "quality"),
    ("import", "import_data"),
    ("downloads", "downloads"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_renders_offline(server, page, name, path):
    open_page(page, server, path, shot=f"page-{name}")
    title = page.title()
    assert "alert" not in title
    assert page.query_selector("[data-testid=stException]") is None, page.inner_text("body")[:2000]
    if name in ("network", "paths"):
        frame = network_frame(page)
        assert frame.query_selector("canvas") is not None
        assert frame.evaluate("() => window.ckgNetwork.body.data.nodes.length") > 1
        assert_no_injected_markup(frame)
        screenshot(page, f"page-{name}")
    if name == "home":
        frame = picture_frame(page)
        assert frame.evaluate(DRAWN_NODES) > 1
        assert_no_injected_markup(frame)
        screenshot(page, "page-home")
    if name == "map":
        frame = map_frame(page)
        # every located entity is a dot: the bundled ones and the probe city
        located = page.get_by_test_id("stMetric").filter(has_text="Located entities").inner_text()
        assert frame.evaluate(MAP_DOTS) == int(located.split()[-1].replace(",", "")) >= 2
        assert_no_injected_markup(frame)
        screenshot(page, "page-map")
        # a click on a dot opens that entity's profile in a new tab
        with page.expect_popup() as opened:
            frame.locator("a circle").first.click()
        opened.value.wait_for_load_state()
        assert re.search(r"/profile\?entity=\w+%2F", opened.value.url), opened.value.url
        opened.value.close()
    assert page.title() == title  # nothing rewrote the document


# ---- search → profile → path, by clicking ------------------------------------------------


def test_search_then_profile_then_path_by_clicking(server, page):
    open_page(page, server, "")
    page.get_by_role("link", name="Search for an entity by name, alias, id or Wikidata id").click()
    page.get_by_text("climatekg explorer ·").wait_for(timeout=60_000)
    box = page.get_by_label("Search by name in any language, alias, id or Wikidata id", exact=True)
    box.fill("深圳")
    box.press("Enter")
    page.get_by_role("button", name=re.compile(r"Shenzhen · City")).click()
    page.get_by_role("heading", name="Shenzhen").wait_for(timeout=30_000)
    assert "entity=city%2Fshenzhen" in page.url or "entity=city/shenzhen" in page.url
    screenshot(page, "flow-1-profile")
    page.get_by_role("link", name="Find paths from it").click()
    page.get_by_text("climatekg explorer ·").wait_for(timeout=60_000)
    target = page.get_by_label("To", exact=True)
    target.fill("ICLEI")
    target.press("Enter")
    page.get_by_text(re.compile(r"^\d+ paths?$")).wait_for(timeout=60_000)
    frame = network_frame(page)
    assert frame.evaluate("() => window.ckgNetwork.body.data.nodes.length") >= 2
    screenshot(page, "flow-2-paths")


def test_search_answers_while_typing(server, page):
    open_page(page, server, "profile")
    box = page.get_by_label("Search by name in any language, alias, id or Wikidata id", exact=True)
    box.press_sequentially("Shenz", delay=60)  # no Enter, no leaving the box
    page.get_by_role("button", name=re.compile(r"Shenzhen · City")).wait_for(timeout=30_000)
    assert box.evaluate("el => el === document.activeElement")
    box.fill("")
    box.press_sequentially("ICLEI U", delay=60)
    page.get_by_role("button", name=re.compile(r"ICLEI USA")).first.wait_for(timeout=30_000)
    page.get_by_role("button", name=re.compile(r"^Shenzhen · City")).wait_for(
        state="detached", timeout=30_000
    )


def test_clicking_a_node_opens_its_profile(server, page):
    open_page(page, server, "network?entities=city/shenzhen&hops=1")
    frame = network_frame(page)
    pos = frame.evaluate(
        "() => window.ckgNetwork.canvasToDOM(window.ckgNetwork.getPositions(['initiative/ccucc'])['initiative/ccucc'])"
    )
    iframe = page.query_selector("iframe[title*='components'], iframe")
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.get_by_role("heading", name="California-China Urban Climate Collaborative").wait_for(timeout=60_000)
    assert "initiative" in page.url


# ---- the XSS probes ------------------------------------------------------------------------


@pytest.mark.parametrize("entity", [IMG_ID, SCRIPT_ID])
def test_probes_execute_nothing(server, page, entity):
    label = IMG_PROBE if entity == IMG_ID else SCRIPT_PROBE
    open_page(page, server, f"?entity={entity}", shot=f"probe-profile-{entity.split('/')[0]}")
    page.get_by_role("heading", name=label).wait_for(timeout=30_000)  # shown as text
    assert page.evaluate("() => document.querySelectorAll('img[src=x], img[onerror]').length") == 0
    # the quotes behind the sources
    for popover in page.get_by_role("button", name=re.compile("probes-relations")).all():
        popover.click()
        page.wait_for_timeout(300)
    assert (
        page.evaluate(
            "() => document.querySelectorAll('img[src=x], img[onerror], a[href^=javascript]').length"
        )
        == 0
    )
    open_page(page, server, f"network?entities={entity}&hops=1")
    frame = network_frame(page)
    # hover the probe: its tooltip shows the label as text
    pos = frame.evaluate(
        f"() => window.ckgNetwork.canvasToDOM(window.ckgNetwork.getPositions(['{entity}'])['{entity}'])"
    )
    iframe = page.query_selector("iframe")
    box = iframe.bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    frame.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    tooltip = frame.inner_text("div.vis-tooltip")
    assert label in tooltip
    assert frame.evaluate("() => document.querySelector('div.vis-tooltip').children[0].children.length") == 0
    assert_no_injected_markup(frame)
    screenshot(page, f"probe-network-{entity.split('/')[0]}")
    assert page.title() != "" and "alert" not in page.title()


# ---- import, preview, commit ------------------------------------------------------------------


def test_import_preview_and_commit(server, page, tmp_path):
    csv = tmp_path / "new-partners.csv"
    csv.write_text("kind,label,country\nCity,Testville,Nowhere\nCity,Probeton,Nowhere\n", encoding="utf-8")
    open_page(page, server, "import_data")
    page.locator("input[type=file]").set_input_files(str(csv))
    page.get_by_text("Valid: source new-partners").wait_for(timeout=60_000)
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Commit").click()
    page.get_by_text("Loaded source new-partners").wait_for(timeout=60_000)
    open_page(page, server, "?q=Testville")
    page.get_by_role("button", name=re.compile("Testville")).wait_for(timeout=30_000)


def test_text_review_and_commit(server, page, tmp_path):
    news = tmp_path / "harbour-news.txt"
    news.write_text(
        "The Green Harbour Foundation and the City of Northbridge (the Parties) signed a "
        "Memorandum of Understanding (MOU) at the Clean Cities Summit in Paris.",
        encoding="utf-8",
    )
    open_page(page, server, "import_data")
    page.locator("input[type=file]").set_input_files(str(news))
    page.get_by_text(re.compile(r"candidate relations and \d+ new entities")).wait_for(timeout=60_000)
    page.get_by_text("Accepted:").wait_for(timeout=30_000)
    screenshot(page, "import-review")
    page.get_by_role("button", name="Commit the accepted facts").click()
    page.get_by_text("Loaded source text-harbour-news").wait_for(timeout=60_000)
    open_page(page, server, "?entity=org/green-harbour-foundation")
    page.get_by_role("heading", name="Green Harbour Foundation").wait_for(timeout=30_000)


def test_chromium_is_debians(browser):
    assert shutil.which("chromium") == CHROMIUM or Path(CHROMIUM).exists()
    assert browser.version


# ---- the home page's picture and Chinese glyphs --------------------------------------------------


def test_home_page_is_a_picture_of_the_network(server, page):
    open_page(page, server, "")
    frame = picture_frame(page)
    assert frame.query_selector("svg") is not None
    assert frame.evaluate(DRAWN_NODES) >= 1
    # a click on the best-connected node opens its profile
    first = frame.evaluate("() => document.querySelector('g.node:last-of-type').getAttribute('data-id')")
    frame.click(f'g.node[data-id="{first}"] circle')
    page.wait_for_url(re.compile(r"/profile\?entity="), timeout=60_000)
    page.get_by_text("climatekg explorer ·").wait_for(timeout=60_000)
    open_page(page, server, "")
    # the map is drawn too: the located entities' dots (the probe city and Shenzhen at least)
    assert map_frame(page).evaluate(MAP_DOTS) >= 2
    links = page.get_by_role("link", name=re.compile(r"^(How is|Who could|Which technologies|What is)"))
    assert links.count() == 4
    screenshot(page, "home")


#: Draws one character in the page's own font and returns its pixels' alpha values.
GLYPH_PIXELS = """(ch) => {
  const c = document.createElement('canvas');
  c.width = 64; c.height = 64;
  const ctx = c.getContext('2d');
  ctx.font = '48px ' + getComputedStyle(document.body).fontFamily;
  ctx.fillText(ch, 4, 52);
  return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3));
}"""


def test_chinese_labels_render_as_glyphs(server, page):
    """深 and 圳 drawn in the page's font differ: without a CJK font both are the same empty box."""
    open_page(page, server, "profile?q=深圳")
    page.get_by_role("button", name=re.compile(r"Shenzhen · City")).wait_for(timeout=30_000)
    shen, zhen, missing = (page.evaluate(GLYPH_PIXELS, ch) for ch in ("深", "圳", "\U0010fffd"))
    assert sum(1 for a in shen if a) > 50, "深 drew nothing"
    assert shen != zhen, "深 and 圳 drew the same shape: a missing-glyph box"
    assert shen != missing and zhen != missing
    box = page.get_by_label("Search by name in any language, alias, id or Wikidata id", exact=True)
    assert box.input_value() == "深圳"
    screenshot(page, "chinese-label")


# ---- every page on the twin-cities store, for the record ---------------------------------------


@pytest.fixture(scope="module")
def twin_server(tmp_path_factory) -> Iterator[str]:
    """The explorer on the bundled data plus the ~17,700 Wikipedia twin cities."""
    from climatekg.data import bundled_files
    from climatekg.graph.stores.embedded import EmbeddedStore
    from climatekg.loaders.curated import load_curated
    from climatekg.loaders.twin_cities import load_twin_cities

    folder = tmp_path_factory.mktemp("twin-browser")
    kg = EmbeddedStore(folder / "home")
    for path in bundled_files():
        kg.load(load_curated(path, store=kg))
    kg.load(load_twin_cities(ROOT / "data" / "twin-cities-wikipedia" / "twin_cities_geocoded.csv", store=kg))
    kg.close()
    port = free_port()
    proc = start_explorer(folder / "home", port, folder / "streamlit.log")
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    log = (folder / "streamlit.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log


TWIN_PAGES = [
    ("home", ""),
    ("profile", "profile?entity=city/shanghai-cn"),
    ("network", "network?entities=city/shanghai-cn&hops=1"),
    ("paths", "paths?source=city/shanghai-cn&target=city/bethlehem-ps"),
    ("gaps", "gaps?for_entity=city/shanghai-cn"),
    ("map", "map"),
    ("timeline", "timeline"),
    ("sparql", "sparql?saved="),
    ("quality", "quality"),
    ("import", "import_data"),
    ("downloads", "downloads"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "path"), TWIN_PAGES, ids=[p[0] for p in TWIN_PAGES])
def test_every_page_on_the_twin_cities(twin_server, page, name, path):
    # the first visit reads the whole store into the server's caches: minutes on a busy machine
    open_page(page, twin_server, path, timeout=600_000)
    assert page.query_selector("[data-testid=stException]") is None, page.inner_text("body")[:2000]
    if name in ("network", "paths"):
        frame = network_frame(page)
        assert frame.evaluate("() => window.ckgNetwork.body.data.nodes.length") >= 1
    if name == "home":
        assert picture_frame(page).evaluate(DRAWN_NODES) >= 1
        assert map_frame(page).evaluate(MAP_DOTS) > 1000  # one dot per 2° cell holding a city
    if name == "map":
        # every located city is a dot (not one per grid cell, as on the home page)
        assert map_frame(page).evaluate(MAP_DOTS) > 10_000
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its own container, so a full-page shot is one screen: make it tall
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(max(1000, tall + 40), 6000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SCREENSHOTS / f"twin-{name}.png"), full_page=True)
