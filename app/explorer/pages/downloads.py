"""Downloads: the whole graph in every export format, a publication bundle, the dataset description."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.app.publish.description import dataset_description, turtle
from climatekg.app.publish.exports import FORMATS, NETWORK_FORMATS, export
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, rdf_store

MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "text/csv",
}
TITLES = {
    "ttl": "Turtle",
    "nt": "N-Triples",
    "nq": "N-Quads (one named graph per source)",
    "trig": "TriG (one named graph per source)",
    "jsonld": "JSON-LD",
    "rdf": "RDF/XML",
    "graphml": "GraphML (Gephi, Cytoscape, yEd)",
    "gexf": "GEXF (Gephi)",
    "csv": "Edge list CSV (readable back with the edges loader)",
}


@st.cache_data(show_spinner="Exporting…", max_entries=12)
def exported(_kg: Store, version: str, fmt: str) -> tuple[bytes, int]:
    """One format's file and its item count (triples or edges)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"climatekg.{fmt}"
        n = export(_kg, fmt, path)
        return path.read_bytes(), n


@st.cache_data(show_spinner="Building the publication…", max_entries=2)
def publication(_kg: Store, version: str) -> bytes:
    """Every RDF dump plus ontology, shapes and VoID/DCAT description, zipped."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        export(_kg, "all", Path(tmp) / "climatekg")
        for f in sorted((Path(tmp) / "climatekg").iterdir()):
            zf.write(f, f"climatekg/{f.name}")
    return buf.getvalue()


@st.cache_data(show_spinner="Describing the dataset…", max_entries=4)
def description(_kg: Store, version: str) -> bytes:
    """The VoID + DCAT + PROV description of the stored dataset (Turtle)."""
    return turtle(dataset_description(_kg), _kg.base)


def _remember(key: str, value: object) -> None:
    st.session_state[key] = value


kg = _shared.store()
version = kg.version()
st.title("Downloads")
rdf_refused: str | None = None  # why RDF exports cannot be offered on this store, if they cannot
try:
    rdf_store(kg, "RDF exports and the dataset description")
except ClimateKGError as exc:
    rdf_refused = str(exc)
    st.info(md(f"{rdf_refused}. Network formats work on every store."))

st.subheader("The whole graph in one format", anchor=False)
ORDER: list[str] = [
    f for f in ("ttl", "nt", "nq", "trig", "jsonld", "rdf", "graphml", "gexf", "csv") if f in FORMATS
]
ORDER += [f for f in FORMATS if f not in ORDER]
choice = st.selectbox(
    "Format", ORDER, format_func=lambda f: f"{f} — {TITLES.get(f, f)}", key="format", bind="query-params"
)
if choice and (not rdf_refused or choice in NETWORK_FORMATS):
    # Buttons act through callbacks: their effect survives the rerun Streamlit may do first.
    st.button("Prepare the file", key="prepare", on_click=_remember, args=("prepared", (version, choice)))
    if st.session_state.get("prepared") == (version, choice):
        data, n = exported(kg, version, choice)
        unit = "edges" if choice in NETWORK_FORMATS else "statements"
        st.download_button(
            f"Download climatekg.{choice} ({n:,} {unit}, {len(data) / 1024:,.0f} KiB)",
            data,
            f"climatekg.{choice}",
            MEDIA.get(choice, "application/octet-stream"),
            key="download_format",
        )

if not rdf_refused:
    st.subheader("Publication", anchor=False)
    st.caption("Every RDF format with ontology.ttl, shapes.ttl and void.ttl (VoID, DCAT, PROV), as one zip.")
    st.button(
        "Prepare the publication",
        key="prepare_publication",
        on_click=_remember,
        args=("prepared_publication", version),
    )
    if st.session_state.get("prepared_publication") == version:
        st.download_button(
            "Download climatekg-publication.zip",
            publication(kg, version),
            "climatekg-publication.zip",
            "application/zip",
            key="download_publication",
        )

    st.subheader("Dataset description", anchor=False)
    text = description(kg, version)
    st.download_button("Download void.ttl", text, "void.ttl", "text/turtle", key="download_void")
    with st.expander("Show the description"):
        st.code(text.decode("utf-8"), language="turtle")
