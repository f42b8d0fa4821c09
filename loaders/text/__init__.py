"""The press-release text loader: candidate facts from a document, each with its sentence.

One job per module: ``documents`` reads HTML, Markdown and plain text and splits sentences;
``gazetteer`` finds the names of known entities; ``candidates`` and ``mentions`` propose new
names; ``linking`` and ``coreference`` tie names and references to entities; ``relations``
holds the relation rules, one module per family; ``patterns`` every word list and regular
expression; ``extractor`` runs the stages (``extract``); ``review`` is the review memory;
``loader`` the entry points (``extract_file``, ``load_text``). The names callers use are
importable from here.
"""

from climatekg.loaders.text.documents import TextLoadError, html_to_text, markdown_to_text, read_document
from climatekg.loaders.text.extractor import Extraction, Mention, extract
from climatekg.loaders.text.gazetteer import Gazetteer, GazetteerEntry, GazetteerMatch
from climatekg.loaders.text.loader import extract_file, load_text, text_source
from climatekg.loaders.text.review import REJECTIONS_FILE, REVIEWED, Rejections, candidate_key, without
from climatekg.loaders.text.state import LOADER

__all__ = [
    "LOADER",
    "REJECTIONS_FILE",
    "REVIEWED",
    "Extraction",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerMatch",
    "Mention",
    "Rejections",
    "TextLoadError",
    "candidate_key",
    "extract",
    "extract_file",
    "html_to_text",
    "load_text",
    "markdown_to_text",
    "read_document",
    "text_source",
    "without",
]
