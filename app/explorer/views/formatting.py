"""How data is shown on the explorer's pages: text escaped for Markdown, tables, CSV for downloads.

Nothing here imports Streamlit, so each function is tested directly; pages only lay out what
these return.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=\"'&^%@/])")
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|www|xmpp)(?=\\[:.])|\\@")


def md(text: object) -> str:
    """Escape every ASCII punctuation mark Markdown (and Streamlit's extensions) could act on.

    Streamlit renders labels, headers and captions as Markdown: a label like
    ``![x](http://host/t.png)`` would fetch an image and ``:red[x]`` would colour text. With
    each mark backslash-escaped (CommonMark allows it for all ASCII punctuation) data shows as
    written. Newlines become spaces: data never starts a new block.

    >>> md("<img src=x onerror=alert(1)>")
    '\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\>'
    >>> md("![t](http://e/x.png)")
    '\\\\!\\\\[t\\\\]\\\\(http\\u2060\\\\:\\\\/\\\\/e\\\\/x\\\\.png\\\\)'
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    # GFM turns bare URLs, www. names and e-mail addresses into links even when escaped; a
    # word joiner (invisible) after the scheme, "www" and "@" keeps them plain text.
    return _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", escaped)


def relation_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One relation group of a profile as table rows (direction as an arrow, dates as a span)."""
    out = []
    for r in rows:
        span = " – ".join(x for x in (r.get("start") or "", r.get("end") or "") if x)
        if r.get("start") and not r.get("end"):
            span = f"from {r['start']}"
        elif r.get("end") and not r.get("start"):
            span = f"until {r['end']}"
        out.append(
            {
                "": "→" if r["direction"] == "out" else "←",
                "entity": r["other_label"],
                "id": r["other"],
                "when": span,
                "role": r.get("role") or "",
                "source": r.get("source") or "",
                "locator": r.get("locator") or "",
                "status": r.get("status") or "",
            }
        )
    return out


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> bytes:
    """Rows of dicts as UTF-8 CSV (with a BOM-free header), for download buttons."""
    cols = list(columns or (rows[0].keys() if rows else []))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in cols})
    return buf.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else value


def markdown_table(rows: Sequence[dict[str, Any]], numeric: Sequence[str] = ()) -> str:
    """A Markdown table of ``rows`` (the first row's keys are the columns), every cell escaped.

    Cheaper for the browser than a data grid or an Arrow table, which load scripts of their own.

    >>> print(markdown_table([{"kind": "City", "n": 2}], numeric=["n"]))
    | kind | n |
    | --- | ---: |
    | City | 2 |
    """
    if not rows:
        return ""
    columns = list(rows[0])
    lines = [
        "| " + " | ".join(md(c) for c in columns) + " |",
        "| " + " | ".join("---:" if c in numeric else "---" for c in columns) + " |",
    ]
    for row in rows:
        cells = (f"{row[c]:,}" if isinstance(row[c], int) else md(row[c]) for c in columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
