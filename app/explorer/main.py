"""The climatekg explorer (Streamlit): served by ``app/explorer/server.py`` (``make app``).

One script per page under ``app/explorer/pages/``; this entry point only declares them. The
home page (a picture of the graph) is the default. Every page opens from its URL with its parameters (``/profile?entity=city/shenzhen``,
``/paths?source=…&target=…``); ``?page=NAME&…`` on any page is accepted too and forwards to that
page with the other parameters.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from climatekg.app.explorer.pages import _shared

HERE = Path(__file__).resolve().parent / "pages"

#: (url path, script, title, icon); the first is the default page. The url path is the script's
#: name: a URL such as /map may first reach Streamlit's legacy pages mode, which knows pages by
#: file name (see ``_shared._leave_legacy_pages_mode``).
PAGE_TABLE = [
    ("home", "home.py", "Home", ":material/home:"),
    ("profile", "profile.py", "Search and profile", ":material/search:"),
    ("network", "network.py", "Network", ":material/hub:"),
    ("paths", "paths.py", "Paths", ":material/route:"),
    ("gaps", "gaps.py", "Gaps", ":material/join_inner:"),
    ("map", "map.py", "Map", ":material/public:"),
    ("timeline", "timeline.py", "Timeline", ":material/timeline:"),
    ("sparql", "sparql.py", "SPARQL", ":material/terminal:"),
    ("quality", "quality.py", "Data quality", ":material/fact_check:"),
    ("import_data", "import_data.py", "Import and review", ":material/upload_file:"),
    ("downloads", "downloads.py", "Downloads", ":material/download:"),
]

# A local image: a ":material/…" favicon would be fetched from a font CDN.
st.set_page_config(
    page_title="climatekg explorer", page_icon=str(HERE.parent / "static" / "favicon.png"), layout="wide"
)

pages = {
    path: st.Page(str(HERE / script), title=title, icon=icon, url_path=path, default=i == 0)
    for i, (path, script, title, icon) in enumerate(PAGE_TABLE)
}
_shared.PAGES.clear()
_shared.PAGES.update(pages)
current = st.navigation(list(pages.values()))

requested = st.query_params.get("page")
if requested in pages and pages[requested] is not current and requested != current.url_path:
    rest = {k: v for k, v in st.query_params.to_dict().items() if k != "page"}
    st.switch_page(pages[requested], query_params=rest)

current.run()
_shared.footer()
