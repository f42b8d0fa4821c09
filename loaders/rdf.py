"""RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) loaded as they are.

The file becomes one source (one named graph). Nothing is read here beyond a sanity check:
the store streams and validates the file with Oxigraph's parsers before writing anything.
"""

from __future__ import annotations

from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch, Source, slugify
from climatekg.graph.store import Store
from climatekg.loaders.common import check_file, file_digest
from climatekg.loaders.safe_read import check_bounded

LOADER = "rdf"
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
}


def load_rdf(path: Path, *, store: Store | None = None, source_id: str | None = None) -> Batch:
    """A batch that streams ``path`` into its own named graph.

    Examples:
        >>> from pathlib import Path
        >>> load_rdf(Path("org.ttl")).rdf_format
        Traceback (most recent call last):
        ...
        climatekg.graph.errors.LoadError: org.ttl: no such file
    """
    check_file(path)
    media = MEDIA_TYPES.get(path.suffix.lower())
    if media is None:
        raise LoadError(str(path), f"unknown RDF file extension {path.suffix!r} ({', '.join(MEDIA_TYPES)})")
    check_bounded(path, xml=media == "application/rdf+xml")
    sid = source_id or slugify(path.name)
    src = Source(id=sid, title=path.name, loader=LOADER, path=str(path))
    return Batch(source=src, digest=file_digest(path, LOADER), rdf_path=str(path), rdf_format=media)
