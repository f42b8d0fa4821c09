"""The text loader's entry points: a document's candidates against a store's entities
(``extract_file``), and as a batch of facts marked ``extracted`` to review later (``load_text``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch, Source, slugify
from climatekg.graph.store import Store
from climatekg.loaders.common import check_batch, check_file, file_digest, known_kinds
from climatekg.loaders.text.documents import read_document
from climatekg.loaders.text.extractor import Extraction, extract
from climatekg.loaders.text.gazetteer import Gazetteer
from climatekg.loaders.text.review import REVIEWED, Rejections, candidate_key, without
from climatekg.loaders.text.state import LOADER


def text_source(path: Path) -> Source:
    """The source a document's facts live in: one named graph per document, candidates or reviewed."""
    return Source(id=f"text-{slugify(path.stem)}", title=path.name, loader=LOADER, path=str(path))


def extract_file(
    path: Path, store: Store | None, rejections: Rejections | None = None
) -> tuple[Source, Extraction]:
    """Read ``path`` and extract its candidates against ``store``'s entities, minus rejected ones."""
    check_file(path)
    source = text_source(path)
    text = read_document(path)
    # entities this document proposed earlier are candidates again, not known names: a reload
    # replaces them, so linking to them would leave relations pointing at nothing
    known = (e for e in store.entities() if e.provenance.source != source.id) if store is not None else ()
    extraction = extract(text, Gazetteer.from_entities(known), source_id=source.id)
    return source, without(extraction, rejections.keys() if rejections else set())


def load_text(path: Path, store: Store | None = None) -> Batch:
    """The text loader: a document's candidates as facts with status ``extracted``, to review later."""
    source = text_source(path)
    stored = {info.id: info.digest for info in store.sources()} if store is not None else {}
    if stored.get(source.id, "").startswith(REVIEWED):
        raise LoadError(
            str(path),
            f"source {source.id} holds reviewed facts (climatekg extract --accept); loading the "
            "document again would replace them with unreviewed candidates",
        )
    rejections = Rejections.beside(store) if store is not None else None
    source, extraction = extract_file(path, store, rejections)
    if not extraction.entities and not extraction.relations:
        raise LoadError(str(path), "no candidate facts in the document (none found, or all rejected)")
    keys = sorted([*map(candidate_key, extraction.entities), *map(candidate_key, extraction.relations)])
    digest = file_digest(path, LOADER, hashlib.sha256("\n".join(keys).encode()).hexdigest())
    batch = Batch(source, extraction.entities, extraction.relations, digest=digest)
    return check_batch(batch, path, known_kinds(store))
