"""The press-release text loader: candidate facts from a document, each with its sentence.

One job per module: ``documents`` reads HTML, Markdown and plain text and splits sentences;
``gazetteer`` finds the names of known entities; ``candidates`` and ``mentions`` propose new
names; ``linking`` and ``coreference`` tie names and references to entities; ``relations``
holds the relation rules, one module per family; ``patterns`` every word list and regular
expression; ``extractor`` runs the stages (``extract``); ``review`` is the review memory;
``loader`` the entry points (``extract_file``, ``load_text``). The names callers use are
importable from here.
"""

from climatekg.loaders.text.documents import TextLoadError, read_document
from climatekg.loaders.text.extractor import Extraction, extract
from climatekg.loaders.text.gazetteer import Gazetteer, GazetteerEntry
from climatekg.loaders.text.loader import extract_file, load_text
from climatekg.loaders.text.review import REVIEWED, Rejections, candidate_key

__all__ = [
    "REVIEWED",
    "Extraction",
    "Gazetteer",
    "GazetteerEntry",
    "Rejections",
    "TextLoadError",
    "candidate_key",
    "extract",
    "extract_file",
    "load_text",
    "read_document",
]
