"""SPARQL: a console with the project's saved queries, results as a table, CSV/JSON download.

Limits as on the endpoint: each query runs in its own process with a time limit and may return
a bounded number of rows; hitting either gives an explicit message, never a cut-off table.
Updates and SERVICE are refused. URL: ``?saved=NAME`` or ``?query=TEXT``.
"""

from __future__ import annotations

import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md, to_csv
from climatekg.app.explorer.views.sparql_console import (
    MAX_RESULTS,
    TIMEOUT,
    SparqlResult,
    binding,
    run_limited,
    variables_to_bind,
)
from climatekg.graph.store import Store
from climatekg.queries.sparql import saved_queries

DEFAULT_QUERY = """PREFIX ckg: <https://w3id.org/climatekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind (COUNT(DISTINCT ?e) AS ?entities) WHERE { ?e a ?kind } GROUP BY ?kind ORDER BY DESC(?entities)"""


@st.cache_data(show_spinner="Running the query…", max_entries=32)
def answer(_kg: Store, version: str, text: str, bindings: tuple[tuple[str, str, str], ...]) -> SparqlResult:
    """The query's result within the limits (cached per data version, text and bindings)."""
    return run_limited(_kg, text, bindings=list(bindings), timeout=TIMEOUT, max_results=MAX_RESULTS)


def load_saved() -> None:
    """Put the chosen saved query into the editor."""
    name = st.session_state.get("saved")
    if name:
        st.session_state["query"] = saved_queries().get(name, "")
        st.session_state["ran"] = False


def set_ran(value: bool) -> None:
    """Run (True) or stop showing results for an edited query (False); callbacks survive reruns."""
    st.session_state["ran"] = value


kg = _shared.store()
version = kg.version()
st.title("SPARQL")
st.caption(
    f"Read-only. Each query may run {TIMEOUT:g} s and return {MAX_RESULTS:,} rows; SPARQL Update and "
    "SERVICE are refused. The default graph is the union of all sources; each source is a named graph."
)
saved = saved_queries()
st.selectbox(
    "Saved queries",
    list(saved),
    index=None,
    key="saved",
    bind="query-params",
    on_change=load_saved,
    placeholder="choose one to load it into the editor",
)
if "query" not in st.session_state and not st.query_params.get("query"):
    st.session_state["query"] = saved.get(st.session_state.get("saved") or "", DEFAULT_QUERY)
text = st.text_area("Query", key="query", bind="query-params", height=260, on_change=set_ran, args=(False,))
bindings = []
wanted = variables_to_bind(text or "")
if wanted:
    st.caption(
        "Bind the query's variables (an entity's name or id binds its IRI; other text binds a literal):"
    )
    columns = st.columns(len(wanted))
    for column, name in zip(columns, wanted, strict=True):
        value = column.text_input(f"?{name}", key=f"bind_{name}", bind="query-params")
        if value:
            bindings.append((name, *binding(kg, value)))
st.button("Run", type="primary", key="run", on_click=set_ran, args=(True,))
# The first view (the default query, or a shared ?query=…/?saved=… link) shows its answer at
# once; after an edit, Run runs. Every run is bounded by the limits above.
if "ran" not in st.session_state:
    st.session_state["ran"] = True
if text and st.session_state["ran"]:
    result = answer(kg, version, text, tuple(bindings))
    if result.error:
        st.error(md(result.error))
    elif result.form == "ASK":
        st.success(f"ASK: {str(result.boolean).lower()} ({result.seconds:.2f} s)")
    elif result.turtle is not None:
        st.caption(f"{result.form} result as Turtle ({result.seconds:.2f} s)")
        st.code(result.turtle, language="turtle")
        st.download_button("Download Turtle", result.raw, "result.ttl", "text/turtle", key="download_ttl")
    else:
        st.caption(f"{len(result.rows):,} rows in {result.seconds:.2f} s")
        st.dataframe(result.rows, hide_index=True, key="sparql_table")
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download CSV",
            to_csv(result.rows, result.variables),
            "result.csv",
            "text/csv",
            key="download_csv",
        )
        c2.download_button(
            "Download JSON (SPARQL results)",
            result.raw,
            "result.srj",
            "application/sparql-results+json",
            key="download_json",
        )
