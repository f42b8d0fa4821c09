"""Data quality: SHACL violations, likely duplicates, facts without a source, counts by source."""

from __future__ import annotations

from typing import Any

import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md, to_csv
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, rdf_store
from climatekg.queries.quality import likely_duplicates, unsourced, validate


@st.cache_data(show_spinner="Validating with the SHACL shapes…", max_entries=4)
def shacl(_kg: Store, version: str) -> list[dict[str, str]]:
    """SHACL violations, by entity (cached per data version: seconds even on large graphs, but not free)."""
    return validate(_kg)


@st.cache_data(show_spinner="Comparing names…", max_entries=4)
def duplicates(_kg: Store, version: str) -> list[dict[str, Any]]:
    """Likely duplicate pairs."""
    return likely_duplicates(_kg)


@st.cache_data(show_spinner="Checking provenance…", max_entries=4)
def without_source(_kg: Store, version: str) -> list[str]:
    """Relations whose provenance names no source."""
    return unsourced(_kg)


kg = _shared.store()
version = kg.version()
st.title("Data quality")

sources = [s.__dict__ for s in kg.sources()]
st.subheader("Sources", anchor=False)
st.dataframe(sources, hide_index=True, key="sources_table")
stats = kg.stats()
c1, c2, c3 = st.columns(3)
c1.metric("Entities", f"{stats['entities']:,}")
c2.metric("Relations", f"{stats['relations']:,}")
c3.metric("Sources", len(sources))

st.subheader("SHACL validation", anchor=False)
big = int(str(stats.get("triples", 0))) > 200_000
run = st.toggle(
    "Validate now" + (" (a large store: this takes minutes)" if big else ""),
    value=not big,
    key="run_shacl",
    bind="query-params",
)
refused: str | None = None  # why this store cannot be validated (Neo4j), if it cannot
try:
    rdf_store(kg, "SHACL validation")
except ClimateKGError as exc:
    refused = str(exc)
if run and refused:
    st.info(md(refused))
elif run:
    violations = _shared.guarded(lambda: shacl(kg, version), "Validation failed")
    if violations == []:
        st.success("The data conforms to the shapes.")
    elif violations:
        st.error(f"{len(violations)} violations.")
        st.dataframe(violations, hide_index=True, key="shacl_table")
        st.download_button(
            "Download violations (CSV)",
            to_csv(violations),
            "shacl-violations.csv",
            "text/csv",
            key="shacl_csv",
        )

st.subheader("Likely duplicates", anchor=False)
# Names are compared pairwise within blocks (kind, country, first letters); on a big network one
# block can be huge (the twin cities' 25,900 "Sister city …" agreements: ~3e8 pairs, hours).
compare = st.toggle(
    "Compare names now" + (" (a large store: this can take hours)" if big else ""),
    value=not big,
    key="run_duplicates",
    bind="query-params",
)
pairs = duplicates(kg, version) if compare else None
if pairs is None:
    st.info("Turn on the comparison to list likely duplicates.")
elif pairs:
    st.caption(
        f"{len(pairs)} pairs of the same kind and country with near-identical names; nothing is merged."
    )
    st.dataframe(pairs, hide_index=True, key="duplicates_table")
    st.download_button(
        "Download pairs (CSV)", to_csv(pairs), "likely-duplicates.csv", "text/csv", key="dup_csv"
    )
else:
    st.success("No likely duplicates.")

st.subheader("Facts without a source", anchor=False)
missing = without_source(kg, version)
if missing:
    st.error(f"{len(missing)} relations name no source.")
    st.dataframe([{"relation": m} for m in missing], hide_index=True, key="unsourced_table")
else:
    st.success("Every relation names its source.")
