"""Reading documents: the visible text of HTML, Markdown without its marks, plain text; and
splitting a text into sentences, the unit every pattern and every quote works on."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from climatekg.graph.errors import LoadError
from climatekg.loaders.text.patterns.markup import (
    BLOCK_TAGS,
    BOUNDARY_RE,
    CHARSET_RE,
    HTML_START_RE,
    HTML_SUFFIXES,
    INLINE_CELLS,
    MD_LINK_RE,
    MD_MARK_RE,
    MD_SUFFIXES,
    PARAGRAPH_BREAK_RE,
    SKIP_TAGS,
    WORD_BEFORE_RE,
)
from climatekg.loaders.text.patterns.stopwords import ABBREVIATIONS

#: Sentences longer than this are cut (at a space) so every pattern runs on bounded text.
MAX_SENTENCE = 1000


class TextLoadError(LoadError):
    """A document that cannot be read as text (names the file and the reason)."""


class _HTMLText(HTMLParser):
    """Collects the visible text of an HTML page; blocks become paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in SKIP_TAGS:
            self.skip += 1
        elif tag in INLINE_CELLS:
            self.parts.append(INLINE_CELLS[tag][0])
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in INLINE_CELLS:
            self.parts.append(INLINE_CELLS[tag][1])
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML document: no tags, scripts, styles or comments."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    body = "".join(parser.parts)
    paragraphs = (" ".join(p.split()) for p in PARAGRAPH_BREAK_RE.split(body))
    return "\n\n".join(p for p in paragraphs if p)


def markdown_to_text(markup: str) -> str:
    """Markdown with links, emphasis and heading marks removed (the words stay)."""
    return MD_MARK_RE.sub("", MD_LINK_RE.sub(r"\1", markup))


def read_document(path: str | Path) -> str:
    """The text of a .txt, .md or .html file (HTML: visible text only; Markdown: marks removed).

    Text is decoded as UTF-8; an HTML page that declares another charset is decoded with it. An
    empty file gives ``""``. A binary or undecodable file raises :class:`TextLoadError` naming it.

    Examples:
        >>> import pathlib, tempfile
        >>> page = pathlib.Path(tempfile.mkdtemp()) / "news.html"
        >>> _ = page.write_text("<p>Hi <b>Paris</b></p><script>var x = 'Oslo';</script>")
        >>> read_document(page)
        'Hi Paris'
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TextLoadError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise TextLoadError(str(path), "binary file, not text (found NUL bytes)")
    suffix = path.suffix.lower()
    is_html = suffix in HTML_SUFFIXES or (suffix not in MD_SUFFIXES and HTML_START_RE.match(data[:512]))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = CHARSET_RE.search(data[:4096]) if is_html else None
        try:
            if declared is None:
                raise LookupError
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            line = data[: exc.start].count(b"\n") + 1
            raise TextLoadError(
                str(path), "not valid UTF-8 text (re-save it as UTF-8, or it is a binary file)", line=line
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_html:
        return html_to_text(text)
    if suffix in MD_SUFFIXES:
        return markdown_to_text(text)
    return text


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (whitespace trimmed); 'Mr.', 'U.S.' and initials do not end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in BOUNDARY_RE.finditer(text):
        end = m.end()
        g = m.group()
        nxt = text[end : end + 40].lstrip()[:1]
        if g == "\n":
            if nxt.islower():
                continue
        elif g[0] == "." and len(g.rstrip("\"”’')]")) == 1:
            word = WORD_BEFORE_RE.search(text, max(0, m.start() - 20), m.start())
            w = word.group(1).casefold() if word else ""
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or nxt.islower() or nxt.isdigit():
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > MAX_SENTENCE:
            cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
            cut = cut if cut > s else s + MAX_SENTENCE
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out or [(0, len(text))]
