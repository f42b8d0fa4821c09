"""Documents: which HTML elements are blocks or invisible, the marks Markdown adds to words,
how a file announces HTML or its charset, and where a sentence ends."""

from __future__ import annotations

import re

#: HTML elements that start a paragraph of their own.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "title",
        "dd",
        "dt",
        "dl",
        "figure",
        "figcaption",
        "main",
        "aside",
    ]
)
#: Table rows and definition lists written as a Markdown table row ("| A | B |") and a labelled
#: line ("Director: A"): what each element adds to the text at its start and at its end.
INLINE_CELLS = {
    "tr": ("\n\n|", "\n\n"),
    "td": (" ", " |"),
    "th": (" ", " |"),
    "dt": ("\n\n", ": "),
    "dd": ("", "\n\n"),
}
#: HTML elements whose content is not the page's text (navigation menus name other pages).
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav"})
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MD_SUFFIXES = (".md", ".markdown")
#: The start of a file that is HTML whatever its name.
HTML_START_RE = re.compile(rb"\s*<(?:!doctype\s+html|html)", re.IGNORECASE)
CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([A-Za-z0-9_\-]{2,30})""", re.IGNORECASE)
#: A blank line: where one paragraph of visible text ends.
PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")

MD_LINK_RE = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
MD_MARK_RE = re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+)|\*\*|__|`")

#: A candidate sentence end: ".", "!", "?" (with closing quotes), their CJK forms, a line break.
BOUNDARY_RE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)|[。！？]+[”’」』)）]*|\n")
#: The word before a full stop (an abbreviation or an initial does not end a sentence).
WORD_BEFORE_RE = re.compile(r"([^\s(\"“']+)$")
