"""Paths: how two entities are connected — ranked paths as sentences, each hop with its evidence.

URL: ``?source=ID&target=ID&k=5&max_hops=6&relations=…&via_kinds=…&avoid_kinds=…&all_paths=true
&chosen=1`` (and the shared ``as_of``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md, to_csv
from climatekg.app.explorer.views.network import ViewNode, merge_views, render_network
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.store import Store
from climatekg.queries.paths import path_sentence, shortest_paths

HEIGHT = 460


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


@st.cache_data(show_spinner="Searching paths…", max_entries=64)
def find_paths(
    _kg: Store,
    version: str,
    source: str,
    target: str,
    k: int,
    max_hops: int,
    relations: tuple[str, ...],
    via_kinds: tuple[str, ...],
    avoid_kinds: tuple[str, ...],
    as_of: str | None,
    all_paths: bool,
) -> tuple[list[dict[str, Any]], bool]:
    """``shortest_paths`` as plain data (nodes, hops with evidence, sentence) and whether the
    all-paths search stopped at its limit; cached per version."""
    found = shortest_paths(
        _kg,
        source,
        target,
        k=k,
        max_hops=max_hops,
        relations=list(relations) or None,
        via_kinds=list(via_kinds) or None,
        avoid_kinds=list(avoid_kinds) or None,
        as_of=as_of,
        all_paths=all_paths,
    )
    out = []
    for p in found:
        hops = [
            {
                "source": _plain(h.source),
                "target": _plain(h.target),
                "relation": str(_plain(h.relation)),
                "direction": str(_plain(h.direction)),
                "start": h.start,
                "end": h.end,
                "role": h.role,
                "evidence": [dict(ev) for ev in (h.evidence or [])],
            }
            for h in p.hops
        ]
        out.append(
            {"nodes": list(p.nodes), "hops": hops, "sentence": path_sentence(_kg, p), "data": p.to_dict()}
        )
    return out, bool(getattr(found, "truncated", False))


def set_day() -> None:
    """Copy the page's date picker into the shared as-of setting."""
    picked = st.session_state.get("paths_as_of")
    _shared.set_as_of(picked.isoformat() if isinstance(picked, date) else None)


kg = _shared.store()
version = kg.version()
day = _shared.as_of_banner()
st.title("Paths")

c1, c2 = st.columns(2)
with c1:
    source = _shared.entity_input("From", "source")
with c2:
    target = _shared.entity_input("To", "target")
with st.expander("Filters", expanded=False):
    f1, f2, f3 = st.columns(3)
    k = f1.number_input("Paths (k)", 1, 50, 5, key="k", bind="query-params")
    max_hops = f2.number_input("At most hops", 1, 12, 6, key="max_hops", bind="query-params")
    all_paths = f3.toggle("All simple paths up to that length", key="all_paths", bind="query-params")
    relations = st.multiselect(
        "Only through these relations", [r.value for r in RelationKind], key="relations", bind="query-params"
    )
    kinds = [kind.value for kind in EntityKind]
    g1, g2 = st.columns(2)
    via_kinds = g1.multiselect("Only through these kinds", kinds, key="via_kinds", bind="query-params")
    avoid_kinds = g2.multiselect("Never through these kinds", kinds, key="avoid_kinds", bind="query-params")
    if "paths_as_of" not in st.session_state and day:
        st.session_state["paths_as_of"] = date.fromisoformat(day)
    st.date_input(
        "As of (ties valid on this day; shared with every page)",
        value=None,
        key="paths_as_of",
        on_change=set_day,
        format="YYYY-MM-DD",
    )

if not (source and target):
    st.info("Name two entities to see how they are connected.")
elif source == target:
    st.warning("Choose two different entities.")
else:
    a, b = source, target  # named for the closure: both are set here
    result = _shared.guarded(
        lambda: find_paths(
            kg,
            version,
            a,
            b,
            int(k),
            int(max_hops),
            tuple(relations),
            tuple(via_kinds),
            tuple(avoid_kinds),
            day,
            bool(all_paths),
        ),
        "The path search failed",
    )
    paths: list[dict[str, Any]] | None = result[0] if result is not None else None
    truncated = bool(result and result[1])
    if truncated:
        st.warning("The search stopped at its limit of paths: lower the hops or add filters to see them all.")
    if paths is not None and not paths:
        st.warning(
            "No path within these limits. Allow more hops, remove filters or clear the as-of date."
            if (relations or via_kinds or avoid_kinds or day)
            else "No path within these limits. Allow more hops."
        )
    if paths:
        st.subheader(f"{len(paths)} path{'s' if len(paths) != 1 else ''}", anchor=False)
        listed = paths
        numbers = list(range(1, len(paths) + 1))
        chosen = st.radio(
            "Highlight",
            numbers,
            format_func=lambda i: f"path {i} ({len(listed[i - 1]['hops'])} hops)",
            key="chosen",
            bind="query-params",
            horizontal=True,
        )
        picked = paths[(chosen or 1) - 1]
        ids, edges = merge_views((p["nodes"], p["hops"]) for p in paths)
        filled = []
        for n in ids:
            e = kg.entity(n.id)
            filled.append(ViewNode(n.id, e.label if e else n.id, e.kind.value if e else ""))
        view = render_network(
            filled,
            edges,
            highlight_nodes=picked["nodes"],
            highlight_edges=list(zip(picked["nodes"], picked["nodes"][1:], strict=False)),
            focus=[source, target],
            height=HEIGHT,
            link_query={"as_of": day} if day else None,
        )
        components.html(view.html, height=HEIGHT + 12)
        st.page_link(
            _shared.PAGES["network"],
            label="Open the chosen path in the Network page",
            query_params={"path": ",".join(picked["nodes"]), "hops": "1"},
            icon=":material/hub:",
        )
        for i, p in enumerate(paths, start=1):
            mark = "▶ " if i == chosen else ""
            st.markdown(f"{mark}**{i}.** " + md(p["sentence"]))
            with st.expander(f"Evidence for path {i}", expanded=i == chosen and len(paths) == 1):
                for j, hop in enumerate(p["hops"], start=1):
                    arrow = "→" if hop["direction"] != "in" else "←"
                    when = " – ".join(x for x in (hop["start"] or "", hop["end"] or "") if x)
                    st.markdown(
                        md(
                            f"{j}. {_shared.label_of(kg, version, hop['source'])} {arrow} {hop['relation']} "
                            f"{arrow} {_shared.label_of(kg, version, hop['target'])}"
                            + (f" ({when})" if when else "")
                            + (f", role: {hop['role']}" if hop["role"] else "")
                        )
                    )
                    for ev in hop["evidence"] or [{}]:
                        where = ", ".join(str(x) for x in (ev.get("source"), ev.get("locator")) if x)
                        quote = ev.get("quote")
                        st.caption(md(f"{where or 'no source recorded'}" + (f": “{quote}”" if quote else "")))
        rows = [
            {"path": i, "hops": len(p["hops"]), "sentence": p["sentence"], "nodes": " > ".join(p["nodes"])}
            for i, p in enumerate(paths, start=1)
        ]
        st.download_button("Download the paths (CSV)", to_csv(rows), "paths.csv", "text/csv", key="paths_csv")
