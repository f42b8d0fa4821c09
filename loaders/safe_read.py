"""Bounded reading: what every loader checks before a parser sees the file.

Parsers fail badly on small hostile files: a 965-byte RDF/XML file of nested entity
declarations made Oxigraph's parser try a 4.8 GB allocation (the process aborted), a YAML alias
bomb took 3 GB, and a 200 MB line ended in a MemoryError. So, in one streaming pass with
bounded memory, before parsing:

- no line may be longer than ``MAX_LINE_BYTES`` (a value can be no longer either);
- XML inputs (RDF/XML, GraphML, GEXF) may not declare entities (``<!ENTITY``): nothing in
  these formats needs them, and refusing them turns off expansion for every XML parser used;
- YAML data files may anchor only text values (``&x "…"``, reused as ``*x``), never lists or
  mappings: an alias bomb is a few lines of nested anchored lists.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from climatekg.graph.errors import LoadError
from climatekg.loaders.common import check_file

#: Most YAML aliases one data file may use.
MAX_ALIASES = 10_000
#: Longest line (and so longest value) any input file may have, in bytes.
MAX_LINE_BYTES = 4 * 1024 * 1024
_CHUNK = 1 << 20
_ENTITY = b"<!ENTITY"


def check_bounded(path: Path, *, xml: bool = False) -> None:
    """Refuse a line over ``MAX_LINE_BYTES`` and, for XML, any entity declaration; names the line."""
    check_file(path)
    line, length, tail = 1, 0, b""
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            if xml:
                window = tail + chunk
                at = window.find(_ENTITY)
                if at >= 0:
                    where = line - tail.count(b"\n") + window[:at].count(b"\n")
                    raise LoadError(
                        str(path), "XML entity declarations (<!ENTITY) are not accepted", line=where
                    )
                tail = window[-len(_ENTITY) :]
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                _check_length(path, line, length + end - start)
                line, length, start = line + 1, 0, end + 1
            length += len(chunk) - start
            _check_length(path, line, length)


def _check_length(path: Path, line: int, length: int) -> None:
    if length > MAX_LINE_BYTES:
        raise LoadError(
            str(path),
            f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB (the limit for one line or value)",
            line=line,
        )


def refuse_yaml_aliases(path: Path) -> None:
    """Refuse YAML anchors on lists or mappings, and more than ``MAX_ALIASES`` aliases; names the line.

    An alias of a text value (``quote: *top``) stays cheap: the value is shared, not copied.
    Only an anchored collection can nest into an alias bomb. Reads events only, expands nothing.
    """
    aliases = 0
    try:
        with open(path, encoding="utf-8-sig") as f:
            for event in yaml.parse(f, Loader=yaml.SafeLoader):
                line = event.start_mark.line + 1 if event.start_mark else None
                if isinstance(event, yaml.CollectionStartEvent) and event.anchor is not None:
                    raise LoadError(
                        str(path),
                        "YAML anchors on lists or mappings (&name) are not accepted in data files",
                        line=line,
                    )
                if isinstance(event, yaml.AliasEvent):
                    aliases += 1
                    if aliases > MAX_ALIASES:
                        raise LoadError(
                            str(path), f"more than {MAX_ALIASES:,} YAML aliases (*name)", line=line
                        )
    except (yaml.YAMLError, UnicodeDecodeError):
        return  # the parser that reads the file next reports these, naming the line
