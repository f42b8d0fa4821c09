"""Search and profile: find an entity by any of its names, then see everything said about it.

URL: ``?q=TEXT`` (the search box) and ``?entity=ID`` (the profile shown).
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.as_of import filter_profile
from climatekg.app.explorer.views.formatting import md, relation_rows
from climatekg.graph.errors import NotFoundError
from climatekg.graph.store import Store
from climatekg.queries.resolve import describe

#: A profile shows at most this many relations of one kind (a hub can have thousands).
ROWS_PER_KIND = 100


@st.cache_data(show_spinner="Reading the profile…", max_entries=256)
def profile(_kg: Store, version: str, entity_id: str) -> dict[str, Any]:
    """``describe()`` cached by store version."""
    return describe(_kg, entity_id)


def open_entity(entity_id: str) -> None:
    """Show another entity's profile (keeps the search)."""
    st.query_params["entity"] = entity_id


kg = _shared.store()
version = kg.version()
day = _shared.as_of_banner()
st.title("Search and profile")

query = st.text_input(
    "Search by name in any language, alias, id or Wikidata id",
    key="q",
    bind="query-params",
    placeholder="e.g. Shenzhen, 深圳, CCUCC, Q15174",
    # answers while typing: a search after each pause of 250 ms, no Enter needed
    live=True,
)
if query:
    hits = _shared.search(kg, version, query)
    if not hits:
        st.warning(md(f"Nothing matches {query!r}."))
    for i, hit in enumerate(hits):
        st.button(
            md(
                f"{hit['label']} · {hit['kind']}{' · ' + hit['country'] if hit['country'] else ''} · {hit['id']}"
            ),
            key=f"hit_{i}",
            type="tertiary",
            on_click=open_entity,
            args=(hit["id"],),
        )

entity = st.query_params.get("entity")
if entity:
    p: dict[str, Any] | None
    try:
        p = filter_profile(profile(kg, version, entity), day)
    except NotFoundError as exc:
        p = None
        st.error(md(str(exc)))
    if p:
        st.divider()
        st.header(md(p["label"]), anchor=False)
        facts = [p["kind"], p["id"]]
        if p.get("classification"):
            facts.append(p["classification"].replace("_", " "))
        st.caption(md(" · ".join(facts)))
        if p.get("wikidata") and re.fullmatch(r"Q\d+", p["wikidata"]):
            st.markdown(f"Wikidata: [{p['wikidata']}](https://www.wikidata.org/wiki/{p['wikidata']})")
        if p.get("description"):
            st.text(p["description"])  # plain text: no Markdown, no HTML, no autolinks
        details = {
            "other labels": "; ".join(f"{lang}: {text}" for lang, text in p["labels"].items()),
            "aliases": "; ".join(p["aliases"]),
            "date": p.get("date") or "",
            "country": p.get("country") or "",
            "coordinates": ", ".join(str(c) for c in p["coordinates"]) if p.get("coordinates") else "",
            "source": f"{p['source']} ({p['status']})",
        }
        st.dataframe(
            [{"field": k, "value": val} for k, val in details.items() if val],
            hide_index=True,
            key="details",
        )
        links = st.columns(3)
        with links[0]:
            st.page_link(
                _shared.PAGES["network"], label="Show its network", query_params={"entities": entity}
            )
        with links[1]:
            st.page_link(_shared.PAGES["paths"], label="Find paths from it", query_params={"source": entity})
        with links[2]:
            st.page_link(_shared.PAGES["gaps"], label="Suggest partners", query_params={"for_entity": entity})

        total = sum(len(rows) for rows in p["relations"].values())
        st.subheader(f"Relations ({total})", anchor=False)
        if not total:
            st.caption("No relations" + (" on that date." if day else "."))
        for kind, rows in p["relations"].items():
            st.markdown(f"**{md(kind.replace('_', ' '))}** ({len(rows)})")
            for i, (raw, row) in enumerate(
                zip(rows[:ROWS_PER_KIND], relation_rows(rows[:ROWS_PER_KIND]), strict=True)
            ):
                c1, c2, c3 = st.columns([5, 3, 4], vertical_alignment="center")
                c1.button(
                    md(f"{row['']} {row['entity']}"),
                    key=f"rel_{kind}_{i}",
                    type="tertiary",
                    help=row["id"],
                    on_click=open_entity,
                    args=(row["id"],),
                )
                c2.caption(md(" · ".join(x for x in (row["when"], row["role"]) if x)) or " ")
                with c3.popover(md(f"{row['source']}, {row['locator'] or 'no locator'}"), width="stretch"):
                    st.caption(md(f"{raw['status']}, confidence {raw['confidence']}"))
                    if raw.get("quote"):
                        st.text(f"“{raw['quote']}”")
                    else:
                        st.text("No quote recorded for this fact.")
            if len(rows) > ROWS_PER_KIND:
                st.caption(f"… and {len(rows) - ROWS_PER_KIND} more; the Network page shows them all.")
elif not query:
    st.info("Type a name above, or open a profile from the Network, Paths or Map page.")
