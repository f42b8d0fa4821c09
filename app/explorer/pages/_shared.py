"""What every explorer page shares: the store, the as-of date, picking entities, the footer.

The store is opened read-only once per process and location (``st.cache_resource``); query
results are cached with ``st.cache_data`` keyed by ``kg.version()``, so a load invalidates them.
The as-of date lives in ``st.session_state`` and in the URL (``?as_of=YYYY-MM-DD``) so that it
filters every page and survives a shared link.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from climatekg.app.explorer.views.as_of import parse_as_of
from climatekg.app.explorer.views.formatting import md
from climatekg.app.explorer.views.world_map import MapData, map_data
from climatekg.app.explorer.views.write_policy import write_refusal
from climatekg.graph.errors import ClimateKGError, NotFoundError
from climatekg.graph.store import Store
from climatekg.graph.stores import default_home, open_store
from climatekg.queries.resolve import resolve

AS_OF = "as_of_value"  # session key; the URL parameter is "as_of"


def _location() -> tuple[str, str]:
    return os.environ.get("CLIMATEKG_STORE", ""), str(default_home().resolve())


@st.cache_resource(show_spinner="Opening the store…", max_entries=4)
def _open_read_only(location: str, home: str) -> Store:
    return open_store(location or None, home=Path(home), read_only=True)


def _leave_legacy_pages_mode() -> None:
    """Make sure ``app/explorer/main.py`` (and its ``st.navigation``) runs every page.

    Streamlit sees the ``pages/`` folder beside the entry point and, until some session has run
    ``st.navigation``, serves a URL such as ``/map`` by running ``pages/map.py`` on its own
    (its legacy multipage mode): no explorer, no footer, a sidebar listing every file. The
    mode is a process-wide flag that ``st.navigation`` clears; clearing it here and rerunning
    sends that first request through the explorer too.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def store() -> Store:
    """The store this explorer shows (``CLIMATEKG_STORE`` or the embedded one in ``CLIMATEKG_HOME``)."""
    _leave_legacy_pages_mode()
    return _open_read_only(*_location())


@st.cache_resource(show_spinner="Reading coordinates and ties (once per data version)…", max_entries=4)
def located(_kg: Store, version: str, as_of: str | None = None) -> MapData:
    """Every located entity and tie (on ``as_of``), for the home and map pages.

    A resource, not copied per use: it can be large.
    """
    return map_data(_kg, as_of=as_of)


def reopen() -> None:
    """Forget the read-only handle so the next ``store()`` sees what a commit wrote."""
    _open_read_only.clear()


def writes_refused() -> str | None:
    """Why this explorer may not write (it is reachable from other machines), or None."""
    return write_refusal(st.get_option("server.address"), os.environ)


def open_writable() -> Store:
    """The same store opened for writing (the import page's commit, and nothing else).

    The one door to writing, so the loopback rule holds whatever page asks.
    """
    refusal = writes_refused()
    if refusal:
        raise ClimateKGError(refusal)
    location, home = _location()
    return open_store(location or None, home=Path(home))


def where(kg: Store) -> str:
    """Which store is in use, in a few words (a display of the store kind, nothing decided by it)."""
    preposition = "in" if kg.kind == "embedded" else "at"
    # never show credentials a URL may carry (bolt://user:password@host)
    location = re.sub(r"//[^/@]*@", "//", kg.location)
    return f"{kg.kind} store {preposition} {location}"


def footer() -> None:
    """The line at the bottom of every page: which store, its version."""
    kg = store()
    st.divider()
    st.caption(md(f"climatekg explorer · {where(kg)} · data version {kg.version()}"))


# ---- as of -------------------------------------------------------------------------------


def as_of() -> str | None:
    """The as-of day every page filters by: from the URL when it names one, else the session."""
    from_url = parse_as_of(st.query_params.get("as_of"))
    if from_url:
        st.session_state[AS_OF] = from_url
    elif st.session_state.get(AS_OF):
        # a page switch drops the URL's parameters; put the date back so the link stays whole
        st.query_params["as_of"] = st.session_state[AS_OF]
    return st.session_state.get(AS_OF)


def set_as_of(day: str | None) -> None:
    """Set (or clear, with None) the as-of day for every page."""
    if day:
        st.session_state[AS_OF] = day
        st.query_params["as_of"] = day
    else:
        st.session_state.pop(AS_OF, None)
        if "as_of" in st.query_params:
            del st.query_params["as_of"]


def as_of_banner() -> str | None:
    """Show the as-of filter (with a button to clear it) when one is set; return it."""
    day = as_of()
    if day:
        cols = st.columns([5, 1])
        cols[0].info(f"Showing the ties that hold on {day} (set on the Timeline page).", icon="🕰️")
        cols[1].button("Clear date", key="as_of_clear", on_click=set_as_of, args=(None,))
    return day


# ---- entities ----------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def search(_kg: Store, version: str, text: str, limit: int = 20) -> list[dict[str, str]]:
    """Entities matching ``text``: exact names, ids and Wikidata ids first, then names containing it."""
    hits = list(dict.fromkeys([*_kg.find(text), *_kg.search(text, limit=limit)]))[:limit]
    rows = []
    for eid in hits:
        e = _kg.entity(eid)
        if e is not None:
            rows.append({"id": e.id, "label": e.label, "kind": e.kind.value, "country": e.country or ""})
    return rows


@st.cache_data(show_spinner=False, max_entries=4096)
def label_of(_kg: Store, version: str, entity_id: str) -> str:
    """An entity's English label (its id when it has none or is unknown)."""
    e = _kg.entity(entity_id)
    return e.label if e is not None else entity_id


def resolve_or_none(kg: Store, text: str) -> tuple[str | None, list[str]]:
    """The entity ``text`` names (id, name, alias, Wikidata id) and candidates when it is unclear."""
    if not text.strip():
        return None, []
    try:
        return resolve(kg, text.strip()), []
    except NotFoundError as exc:
        return None, exc.candidates


def entity_input(label: str, key: str, *, help: str | None = None) -> str | None:
    """A text box bound to the URL parameter ``key`` that resolves to one entity id.

    Unclear names list their candidates as buttons that fill the box with the chosen id.
    """
    kg = store()
    text = st.text_input(
        label, key=key, bind="query-params", help=help, placeholder="name, alias, id or Q-id"
    )
    if not text:
        return None
    eid, candidates = resolve_or_none(kg, text)
    if eid:
        if eid != text:
            st.caption(md(f"{label_of(kg, kg.version(), eid)} ({eid})"))
        return eid
    if candidates:
        st.caption(md(f"{text!r} is not one entity; choose:"))
        for i, cand in enumerate(candidates[:8]):
            st.button(
                md(f"{label_of(kg, kg.version(), cand)} · {cand}"),
                key=f"{key}_pick_{i}",
                on_click=_fill,
                args=(key, cand),
            )
    else:
        st.warning(md(f"No entity named {text!r}."))
    return None


def _fill(key: str, value: str) -> None:
    st.session_state[key] = value


def guarded(action: Callable[[], Any], what: str) -> Any:
    """Run a query; a user-facing error becomes a message instead of a traceback."""
    try:
        return action()
    except ClimateKGError as exc:
        st.error(md(f"{what}: {exc}"))
    except ValueError as exc:
        st.error(md(f"{what}: {exc}"))
    return None


def profile_page() -> Any:
    """The profile page object (for links and ``st.switch_page``)."""
    return PAGES["profile"]


#: Filled by ``app/explorer/main.py``: url_path → st.Page, so pages can link to each other.
PAGES: dict[str, Any] = {}
