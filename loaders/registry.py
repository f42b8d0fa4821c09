"""Which loader reads which file: a literal table, and detection by name and extension."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch
from climatekg.loaders.curated import load_curated
from climatekg.loaders.network import load_edge_list, load_gexf, load_graphml
from climatekg.loaders.rdf import MEDIA_TYPES, load_rdf
from climatekg.loaders.text import load_text
from climatekg.loaders.twin_cities import load_twin_cities

Loader = Callable[..., Batch]

LOADERS: dict[str, Loader] = {
    "curated": load_curated,
    "rdf": load_rdf,
    "graphml": load_graphml,
    "gexf": load_gexf,
    "edges": load_edge_list,
    "twin-cities": load_twin_cities,
    "text": load_text,
}


def detect_loader(path: Path) -> str:
    """The loader for ``path``: by extension, and by header for CSV files."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "curated"
    if suffix in MEDIA_TYPES:
        return "rdf"
    if suffix in (".graphml", ".gexf"):
        return suffix[1:]
    if suffix == ".csv":
        with open(path, encoding="utf-8", errors="replace") as f:
            header = f.readline().strip().lower().split(",")
        if "city1" in header:  # the twin-cities loader names any missing column
            return "twin-cities"
        if "label" in header or "subject" in header:
            return "curated"
        return "edges"
    if suffix in (".txt", ".md", ".markdown", ".html", ".htm"):
        return "text"  # candidates with status extracted, until `climatekg extract --accept`
    raise LoadError(str(path), f"no loader for {suffix or 'files without an extension'!r}; use --loader")
