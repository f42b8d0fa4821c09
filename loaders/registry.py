"""Which loader reads which file: a literal table, and detection by name and extension."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch
from climatekg.loaders.curated import load_curated
from climatekg.loaders.memberships import load_memberships
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
    "memberships": load_memberships,
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
        if "initiative" in header or "initiatives" in header:
            return "memberships"
        if "label" in header or "subject" in header:
            return "curated"
        return "edges"
    if suffix in (".txt", ".md", ".markdown", ".html", ".htm"):
        return "text"  # candidates with status extracted, until `climatekg extract --accept`
    raise LoadError(str(path), f"no loader for {suffix or 'files without an extension'!r}; use --loader")


#: Which loaders read files that others refer to: entities before the ties and text that cite them.
LOAD_ORDER = ("curated", "rdf", "graphml", "gexf", "edges", "memberships", "twin-cities", "text")

#: Files a data folder holds for people, not for the store.
DOCUMENTS = ("readme", "licence", "license", "source", "notice", "copying")


def files_in(folder: Path) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """The files of ``folder`` a loader reads, in dependency order, and those skipped with why.

    Curated entity files come before curated relation files, every curated file before the
    network, membership, twin-cities and text files that may refer to its entities.
    """
    chosen: list[tuple[Path, str]] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            skipped.append((path, "a folder (name it to load what it holds)"))
        elif path.stem.lower().split("-")[0].split("_")[0] in DOCUMENTS:
            skipped.append((path, "a document for people, not data"))
        elif path.suffix.lower() == ".py":
            skipped.append((path, "Python code, not data"))
        else:
            try:
                chosen.append((path, detect_loader(path)))
            except LoadError as exc:
                skipped.append((path, exc.reason))
    return sorted(chosen, key=_rank), skipped


def _rank(item: tuple[Path, str]) -> tuple[int, bool, str]:
    path, name = item
    relations = False
    if name == "curated" and path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8", errors="replace") as f:
            relations = "subject" in f.readline().lower().split(",")
    return LOAD_ORDER.index(name), relations, path.name


def accepted_options(name: str) -> set[str]:
    """The keyword options loader ``name`` takes (``mapping``, ``default_kind``, ``encoding`` …)."""
    return set(inspect.signature(LOADERS[name]).parameters) - {"path"}
