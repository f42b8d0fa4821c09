"""Import and review: validate an uploaded file, preview what it changes, commit it all or nothing.

CSV (curated or edge list), Turtle and the other RDF formats, GraphML, GEXF and curated YAML go
through the same loaders as ``climatekg load``; a text document (``.txt``/``.md``) goes through
the text extractor, and its candidate facts are reviewed (accept, edit, reject) before commit.

The explorer holds the store read-only; a commit opens it for writing just for the load, then
the read-only handle is reopened so every page sees the new data. RocksDB allows one writer
process: if another one (``climatekg load``, a second explorer importing) holds the store, the
commit says so and changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from climatekg.app.explorer.pages import _shared
from climatekg.app.explorer.views.formatting import md
from climatekg.app.explorer.views.import_preview import Preview, preview_batch
from climatekg.app.review.decisions import (
    DECISIONS,
    rejected_keys,
    review_rows,
    reviewed_batch,
)
from climatekg.graph.errors import ClimateKGError, LoadError, StoreError
from climatekg.graph.model import Batch, EntityKind, RelationKind, Source
from climatekg.graph.store import Store
from climatekg.loaders.registry import LOADERS, detect_loader
from climatekg.loaders.text import Extraction, Rejections, extract_file

FILE_TYPES = [
    "html",
    "htm",
    "csv",
    "yaml",
    "yml",
    "ttl",
    "nt",
    "nq",
    "trig",
    "jsonld",
    "rdf",
    "owl",
    "graphml",
    "gexf",
    "txt",
    "md",
]
TEXT_TYPES = (".txt", ".md", ".html", ".htm")


def saved_upload(uploaded: Any) -> Path:
    """Write the upload to this session's own temporary folder, keeping a safe form of its name.

    Loaders name the source after the file (``partners.csv`` → source ``partners``), so the
    name matters; path parts and odd characters are dropped.
    """
    folder = st.session_state.get("upload_dir")
    if not folder or not Path(folder).exists():
        folder = tempfile.mkdtemp(prefix="climatekg-upload-")
        st.session_state["upload_dir"] = folder
    name = re.sub(r"[^\w.\-]+", "_", Path(uploaded.name).name).lstrip(".") or "upload"
    path = Path(folder) / name
    path.write_bytes(uploaded.getvalue())
    return path


def commit(batch: Batch, rejections: Rejections | None = None, rejected: list[str] | None = None) -> None:
    """Load ``batch`` through a writable handle (all or nothing), then reopen read-only.

    A button callback: the outcome is kept in the session and shown by ``show_outcome``.
    """
    try:
        writer = _shared.open_writable()
    except StoreError as exc:
        st.session_state["outcome"] = (
            "error",
            f"The store cannot be opened for writing: {exc}. Another process is probably writing to it "
            "(a `climatekg load`, or another explorer importing); wait for it to finish and commit again.",
        )
        return
    except ClimateKGError as exc:  # writes refused on a non-loopback address
        st.session_state["outcome"] = ("error", f"Nothing was changed: {exc}")
        return
    try:
        report = writer.load(batch)
    except ClimateKGError as exc:
        st.session_state["outcome"] = ("error", f"Nothing was changed: {exc}")
        return
    finally:
        writer.close()
    if rejections is not None and rejected:
        rejections.add(rejected)
    _shared.reopen()
    if report.changed:
        message = (
            f"Loaded source {report.source}: {report.triples:,} triples. Every page now shows the new data."
        )
        st.session_state["outcome"] = ("success", message)
    else:
        message = f"Source {report.source} was already loaded with the same content; nothing changed."
        st.session_state["outcome"] = ("info", message)


def show_outcome() -> None:
    """The result of the last commit, once."""
    outcome = st.session_state.pop("outcome", None)
    if outcome:
        kind, message = outcome
        {"error": st.error, "success": st.success, "info": st.info}[kind](md(message))


def show_preview(preview: Preview) -> None:
    """The counts, and the lists behind them."""
    if preview.unchanged:
        st.info(md(f"Source {preview.source} is already loaded with exactly this content."))
    if preview.triples_new is not None:
        st.write(
            f"{preview.triples_new:,} triples would replace the {preview.triples_stored or 0:,} "
            f"stored for source `{preview.source}`."
        )
        return
    st.dataframe([preview.summary()], hide_index=True, key="preview_summary")
    for title, items in (
        ("Entities added", preview.entities_added),
        ("Entities removed", preview.entities_removed),
        ("Relations added", preview.relations_added),
        ("Relations removed", preview.relations_removed),
    ):
        if items:
            with st.expander(f"{title} ({len(items)})"):
                st.dataframe([{"": i} for i in items[:2000]], hide_index=True, key=f"preview_{title}")


@st.cache_resource(show_spinner="Reading the document and linking its names…", max_entries=4)
def extraction_of(
    _kg: Store, version: str, path: str, content: str, _rejections: Rejections, rejected: tuple[str, ...]
) -> tuple[Source, Extraction]:
    """The document's candidates, once per data version, content and set of remembered rejections."""
    return extract_file(Path(path), _kg, _rejections)


def review_text(kg: Store, path: Path) -> None:
    """Candidate facts from a text document, for a person to accept, edit or reject."""
    import pandas as pd

    version = kg.version()
    rejections = Rejections.beside(kg)
    try:
        # Its own source (text-<name>): reviewing the press release keeps the curated facts from it.
        remembered = tuple(sorted(rejections.keys()))
        content = hashlib.sha256(path.read_bytes()).hexdigest()  # a new upload under the same name
        source, extraction = extraction_of(kg, version, str(path), content, rejections, remembered)
    except LoadError as exc:
        st.error(md(f"The document was refused: {exc}"))
        return
    entity_rows, relation_rows = review_rows(extraction, lambda eid: _shared.label_of(kg, version, eid))
    st.success(
        md(
            f"{len(relation_rows)} candidate relations and {len(entity_rows)} new entities found in "
            f"{path.name}. Review them: set a row to reject, or edit its cells. Rejected candidates "
            "are remembered and not proposed again."
        )
    )
    decision = st.column_config.SelectboxColumn("decision", options=list(DECISIONS), required=True)
    read_only = ["id", "confidence", "quote", "chars", "ref", "reads"]
    st.subheader("New entities", anchor=False)
    edited_entities = st.data_editor(
        pd.DataFrame(
            entity_rows, columns=["decision", "kind", "label", "id", "confidence", "quote", "chars", "ref"]
        ),
        key="review_entities",
        hide_index=True,
        disabled=read_only,
        column_config={
            "decision": decision,
            "kind": st.column_config.SelectboxColumn("kind", options=[k.value for k in EntityKind]),
            "quote": st.column_config.TextColumn("quote", width="large"),
            "ref": None,
        },
    )
    st.subheader("Relations", anchor=False)
    edited_relations = st.data_editor(
        pd.DataFrame(
            relation_rows,
            columns=[
                "decision",
                "reads",
                "subject",
                "kind",
                "object",
                "role",
                "start",
                "end",
                "confidence",
                "quote",
                "chars",
                "ref",
            ],
        ),
        key="review_relations",
        hide_index=True,
        disabled=read_only,
        column_config={
            "decision": decision,
            "kind": st.column_config.SelectboxColumn("kind", options=[k.value for k in RelationKind]),
            "quote": st.column_config.TextColumn("quote", width="large"),
            "ref": None,
        },
    )
    try:
        batch = reviewed_batch(
            extraction,
            edited_entities.to_dict("records"),
            edited_relations.to_dict("records"),
            source=source,
            path=path,
            known=kg.kind_of,
        )
    except LoadError as exc:
        st.error(md(f"Not ready to commit: {exc}"))
        return
    st.info(
        md(
            f"Accepted: {len(batch.entities)} entities and {len(batch.relations)} relations, "
            f"as source {source.id} (status: curated, each citing its sentence as the quote)."
        )
    )
    show_preview(preview_batch(kg, batch))
    rejected = rejected_keys(
        extraction, edited_entities.to_dict("records"), edited_relations.to_dict("records")
    )
    st.button(
        "Commit the accepted facts",
        type="primary",
        key="commit_review",
        on_click=commit,
        args=(batch, rejections, rejected),
    )


kg = _shared.store()
st.title("Import and review")
refusal = _shared.writes_refused()
if refusal:
    st.info(refusal)
    st.stop()
st.caption(
    "Upload a file to see what it would change. Nothing is written until you commit, and a commit "
    f"loads the whole file or nothing. Files up to {st.get_option('server.maxUploadSize')} MB "
    "(larger ones: `climatekg load`)."
)
show_outcome()
uploaded = st.file_uploader("File to load", type=FILE_TYPES, key="upload")
if uploaded is not None:
    path = saved_upload(uploaded)
    if path.suffix.lower() in TEXT_TYPES:
        review_text(kg, path)
    else:
        try:
            detected = detect_loader(path)
        except LoadError as exc:
            detected = "curated"
            st.warning(md(str(exc)))
        names = list(LOADERS)
        loader = st.selectbox("Loader", names, index=names.index(detected), key="loader")
        options: dict[str, Any] = {"store": kg}
        if loader == "edges":
            mapping = st.text_input(
                "Column mapping", key="mapping", placeholder="source=from, target=to, kind=type"
            )
            if mapping:
                options["mapping"] = dict(
                    part.strip().split("=", 1) for part in mapping.split(",") if "=" in part
                )
        try:
            batch = LOADERS[loader](path, **options)
        except (LoadError, ValueError) as exc:
            st.error(md(f"The file was refused: {exc}"))
        else:
            st.success(
                md(
                    f"Valid: source {batch.source.id} with {len(batch.entities):,} entities and "
                    f"{len(batch.relations):,} relations."
                    if not batch.rdf_path
                    else f"Valid RDF for source {batch.source.id}."
                )
            )
            show_preview(preview_batch(kg, batch))
            # a callback: the click must survive the rerun Streamlit may do first
            st.button("Commit", type="primary", key="commit", on_click=commit, args=(batch,))
