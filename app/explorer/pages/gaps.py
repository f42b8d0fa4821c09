"""Gaps: who could partner with whom and why, which technologies an initiative's cities cover,
who brokers between groups, and cohort members without a tie of their own. Every table downloads
as CSV.

URL: ``?tab=…&for_entity=ID&within=ID&pair=any&initiative=ID&cohort_initiative=ID&role=…&top=20``.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md, to_csv
from climatekg.app.explorer.views.gap_tables import (
    broker_rows,
    cohort_rows,
    coverage_cells,
    gap_rows,
    partner_rows,
)
from climatekg.graph.store import Store
from climatekg.queries.gaps import brokers as find_brokers
from climatekg.queries.gaps import cohort_gaps, suggest_partners
from climatekg.queries.gaps import coverage as technology_coverage
from climatekg.queries.pairing import PAIRS

TABS = ["Suggested partners", "Technology coverage", "Brokers and bridges", "Cohort gaps"]


@st.cache_data(show_spinner="Scoring candidate partners…", max_entries=32)
def partners(
    _kg: Store, version: str, for_entity: str | None, within: str | None, top: int, pair: str | None
) -> dict[str, Any]:
    """``suggest_partners`` as plain data."""
    return suggest_partners(_kg, for_entity=for_entity, within=within, top=top, pair=pair).to_dict()


@st.cache_data(show_spinner="Building the coverage matrix…", max_entries=32)
def coverage(_kg: Store, version: str, initiative: str) -> dict[str, Any]:
    """``coverage`` as plain data."""
    return technology_coverage(_kg, initiative).to_dict()


@st.cache_data(show_spinner="Finding brokers…", max_entries=8)
def brokers(_kg: Store, version: str, top: int) -> dict[str, Any]:
    """``brokers`` as plain data."""
    return find_brokers(_kg, top=top).to_dict()


@st.cache_data(show_spinner="Comparing cohort members…", max_entries=32)
def cohort(_kg: Store, version: str, initiative: str, role: str | None, top: int) -> list[dict[str, Any]]:
    """``cohort_gaps`` as plain data (the best ``top``: bounded work on a large group)."""
    return [g.to_dict() for g in cohort_gaps(_kg, initiative, role=role, top=top)]


def table(rows: list[dict[str, Any]], name: str) -> None:
    """A result table with its CSV download."""
    wide = {"why": st.column_config.TextColumn(width="large")} if rows and "why" in rows[0] else None
    st.dataframe(rows, hide_index=True, key=f"{name}_table", column_config=wide)
    st.download_button(f"Download {name} (CSV)", to_csv(rows), f"{name}.csv", "text/csv", key=f"{name}_csv")


kg = _shared.store()
version = kg.version()
st.title("Gaps")
if _shared.as_of():
    st.caption("Gaps are computed on the whole network: the as-of date does not filter this page.")
top = st.slider("How many results", 5, 100, 20, key="top", bind="query-params")
tab_partners, tab_coverage, tab_brokers, tab_cohort = st.tabs(TABS, key="tab", bind="query-params")

with tab_partners:
    st.caption(
        "Pairs of actors without a tie, ranked by the context they share (Adamic-Adar: a shared partner "
        "with few ties counts more than a hub); each suggestion says why."
    )
    c1, c2 = st.columns(2)
    with c1:
        for_entity = _shared.entity_input("For (optional)", "for_entity")
    with c2:
        within = _shared.entity_input("Within an initiative (optional)", "within")
    pair = st.selectbox(
        "Pair",
        ["default", *PAIRS],
        key="pair",
        bind="query-params",
        help="Which actors to pair; the default is city-city when there are cities. "
        "Initiatives, agreements and technologies are never suggested, only shared.",
    )
    chosen = None if pair == "default" else pair
    found = _shared.guarded(lambda: partners(kg, version, for_entity, within, top, chosen), "No suggestions")
    if found is not None:
        for note in found.get("notes", []):
            st.caption(md(note))
        if any(s.get("ties", 1) > 1 for s in found.get("suggestions", [])):
            st.caption(md(f"Equal scores: {found['tie_break']}."))
        rows = partner_rows(found)
        if rows:
            # as sentences first: a table cell cannot show a whole explanation
            for i, row in enumerate(rows, start=1):
                st.markdown(
                    rf"{i}\. **{md(row['partner'])}** and **{md(row['suggested'])}** "
                    f"· score {row['score (Adamic-Adar)']:.2f} · {row['shared items']} shared"
                    + (
                        f" · {row['candidates at this score']:,} tie"
                        if row["candidates at this score"] > 1
                        else ""
                    )
                )
                st.caption(md(row["why"]))
            with st.expander("As a table"):
                table(rows, "suggested-partners")
        else:
            st.info("No suggestions: every candidate pair is already tied, or nothing is shared.")

with tab_coverage:
    st.caption("Which member cities of an initiative cover which technologies; an empty cell is a gap.")
    initiative = _shared.entity_input("Initiative", "initiative")
    if initiative:
        group = initiative  # named for the closure: set here
        cov = _shared.guarded(lambda: coverage(kg, version, group), "No coverage")
        if cov is not None:
            cells = coverage_cells(cov)
            if not cells:
                st.info(
                    md(
                        f"{cov.get('initiative_label', initiative)} has no member cities covering a technology."
                    )
                )
            else:
                heat = (
                    alt.Chart(alt.Data(values=cells))
                    .mark_rect(stroke="#ffffff", strokeWidth=2)
                    .encode(
                        x=alt.X(
                            "technology:N",
                            title=None,
                            axis=alt.Axis(orient="top", labelAngle=-25, labelLimit=260),
                        ),
                        y=alt.Y("city:N", title=None, axis=alt.Axis(labelLimit=240)),
                        color=alt.Color(
                            "covered:Q",
                            scale=alt.Scale(domain=[0, 1], range=["#eeeeee", "#2ca02c"]),
                            legend=None,
                        ),
                        tooltip=["city:N", "technology:N", "how:N"],
                    )
                    .properties(height=alt.Step(40))
                )
                st.altair_chart(heat, key="coverage_chart", width="stretch")
                table(cells, "coverage")
                missing = gap_rows(cov)
                if missing:
                    st.markdown("**Gaps**: technologies a member lacks that its peers cover")
                    table(missing, "coverage-gaps")
                if cov.get("providers"):
                    st.markdown("**Providers tied to no city** that offer these technologies")
                    table(
                        [
                            {
                                "provider": p.get("provider_label", p["provider"]),
                                "technologies": "; ".join(p["technologies"]),
                                "cities lacking them": "; ".join(p["cities_lacking"]),
                            }
                            for p in cov["providers"]
                        ],
                        "providers",
                    )

with tab_brokers:
    st.caption(
        "Actors many shortest paths run through (betweenness), cut points whose removal splits a group, "
        "and the ties that alone join two groups."
    )
    found_brokers = _shared.guarded(lambda: brokers(kg, version, top), "No brokers")
    if found_brokers is not None:
        broker_table, bridge_table = broker_rows(found_brokers)
        st.caption(md(f"Betweenness: {found_brokers.get('method', '')}"))
        if broker_table:
            table(broker_table, "brokers")
        if bridge_table:
            st.markdown(f"**Bridges** ({found_brokers.get('bridge_count', len(bridge_table))} in all)")
            table(bridge_table, "bridges")

with tab_cohort:
    st.caption("Members of an initiative (optionally of one cohort role) with no tie of their own.")
    c1, c2 = st.columns(2)
    with c1:
        cohort_of = _shared.entity_input("Initiative", "cohort_initiative")
    with c2:
        role = st.text_input(
            "Role (optional)", key="role", bind="query-params", placeholder="e.g. first cohort"
        )
    if cohort_of:
        members_of = cohort_of  # named for the closure: set here
        pairs = _shared.guarded(lambda: cohort(kg, version, members_of, role or None, top), "No cohort gaps")
        if pairs:
            table(cohort_rows(pairs), "cohort-gaps")
        elif pairs == []:
            st.info("No gaps: every pair of members is tied (or the cohort has fewer than two members).")
