"""What every loader needs: reading text safely, hashing input, YAML with line numbers."""

from __future__ import annotations

import codecs
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from climatekg.graph.errors import LoadError
from climatekg.graph.model import RELATION_SIGNATURE, Batch, EntityKind, Relation, check_date
from climatekg.graph.store import Store

#: Looks up the kind of an entity already in the store (None when unknown).
KnownKinds = Callable[[str], EntityKind | None]


def no_entities(_: str) -> EntityKind | None:
    """The ``KnownKinds`` of an empty store."""
    return None


def known_kinds(store: Store | None) -> KnownKinds:
    """The store's ``kind_of`` (loaders read the store to check references, never write it)."""
    return store.kind_of if store is not None else no_entities


@contextmanager
def many_records() -> Iterator[None]:
    """Pause the cyclic garbage collector while a loader builds a batch of many small records.

    Records hold no reference cycles, yet every 700 allocations the collector walks the young
    objects and, ever more often, all of them: on a 100k-row table that was half the loading
    time. Reference counting still frees everything. On success the records built are moved
    to the collector's permanent generation (``gc.freeze``) before it runs again: otherwise
    its next collections walk the million records of the batch (0.3 s each at 100k rows) for
    cycles they cannot hold, while the batch is written. Frozen objects are still freed by
    reference counting when the batch is dropped; garbage cycles made before the load are
    collected first, so that none of them is frozen (and kept) with the records.
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.collect()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def file_digest(path: Path, loader: str, *extra: str) -> str:
    """Hash of the file's bytes, the loader and its options: equal digest → equal load."""
    h = hashlib.sha256(f"{loader}|{'|'.join(extra)}|".encode())
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_file(path: Path) -> None:
    """Refuse missing, empty and binary files with a clear reason."""
    if not path.is_file():
        raise LoadError(str(path), "no such file")
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip():
        raise LoadError(str(path), "the file is empty")
    if b"\x00" in head:
        raise LoadError(str(path), "binary file, not text (found NUL bytes)")


def read_text(path: Path) -> str:
    """The file as UTF-8 text; a file in another encoding is refused naming the line."""
    check_file(path)
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(str(path), "not valid UTF-8 (re-save the file as UTF-8)", line=line) from None


def utf8_lines(path: Path) -> Iterator[str]:
    """Stream a text file line by line as UTF-8, naming the line of any bad byte."""
    check_file(path)
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise LoadError(
                    str(path), "not valid UTF-8 (re-save the file as UTF-8)", line=number
                ) from None


def optional_date(value: object, path: Path, *, field: str, line: int | None = None) -> str | None:
    """``value`` as an ISO date, or None when it is empty; a bad date names the file, line and field."""
    if value in (None, ""):
        return None
    try:
        return check_date(str(value))
    except ValueError as exc:
        raise LoadError(str(path), str(exc), line=line, field=field) from None


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping as ``__line__``."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_yaml(path: Path) -> Any:
    """Parse YAML; every mapping carries its ``__line__``; syntax errors name the line."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise LoadError(
            str(path), f"malformed YAML: {reason}", line=mark.line + 1 if mark else None
        ) from None


def check_batch(batch: Batch, path: Path, known: KnownKinds) -> Batch:
    """Checks across rows: one kind per id, endpoints exist, relation kinds fit their ends."""
    kinds: dict[str, EntityKind] = {}
    for e in batch.entities:
        where = e.provenance.locator
        if e.id in kinds:
            reason = (
                "defined twice"
                if kinds[e.id] == e.kind
                else f"is both {kinds[e.id].value} and {e.kind.value}"
            )
            raise LoadError(str(path), f"entity {e.id} {reason}", field=where)
        stored = known(e.id)
        if stored is not None and stored != e.kind:
            raise LoadError(
                str(path),
                f"entity {e.id} is a {e.kind.value} here but a {stored.value} in the store",
                field=where,
            )
        kinds[e.id] = e.kind
    kind_here = kinds.get
    for r in batch.relations:
        # the common case, both ends in this batch and of kinds the relation allows, is one set
        # look-up: a membership table has hundreds of thousands of relations
        if (r.kind, kind_here(r.subject), kind_here(r.object)) not in _FITTING:
            _check_relation(r, kinds, path, known)
    return batch


#: Every (relation kind, subject kind, object kind) the model allows.
_FITTING = frozenset(
    (kind, s, o)
    for kind, (subjects, objects) in RELATION_SIGNATURE.items()
    for s in subjects
    for o in objects
)


def _check_relation(r: Relation, kinds: dict[str, EntityKind], path: Path, known: KnownKinds) -> None:
    """One relation's ends: each exists (in the batch or the store) and has a kind the relation allows."""
    ends = []
    for end in (r.subject, r.object):
        kind = kinds.get(end) or known(end)
        if kind is None:
            raise LoadError(
                str(path),
                f"relation {r.kind.value} refers to unknown entity {end!r}",
                field=r.provenance.locator,
            )
        ends.append(kind)
    subjects, objects = RELATION_SIGNATURE[r.kind]
    if ends[0] not in subjects or ends[1] not in objects:
        raise LoadError(
            str(path),
            f"{r.kind.value} cannot link a {ends[0].value} to a {ends[1].value}",
            field=r.provenance.locator,
        )


def decoded_lines(path: Path, encoding: str, notes: list[str]) -> list[str]:
    """The file's lines as text: UTF-8 by default, ``auto`` to detect, or a named codec.

    With ``utf-8`` a bad byte is an error naming its line and value. With ``auto`` every line
    that is valid UTF-8 stays so; the other lines are decoded with the encoding
    charset-normalizer detects on them together (files that mix encodings are usually UTF-8
    with a few lines pasted from a legacy one), and each is listed in ``notes``.
    """
    check_file(path)
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "auto"):
        lines: list[str | None] = []
        bad: list[int] = []
        for number, line in enumerate(raw, start=1):
            try:
                lines.append(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                if encoding != "auto":
                    byte = line[exc.start : exc.start + 1].hex()
                    raise LoadError(
                        str(path),
                        f"byte 0x{byte} at column {exc.start + 1} is not UTF-8 "
                        "(re-save as UTF-8, or use --encoding auto or --encoding NAME)",
                        line=number,
                    ) from None
                lines.append(None)
                bad.append(number)
        if bad:
            legacy = _detect(b"".join(raw[n - 1] for n in bad), path, bad[0])
            for n in bad:
                lines[n - 1] = raw[n - 1].decode(legacy, errors="strict")
                notes.append(f"{path.name}: line {n} decoded as {legacy} (not UTF-8)")
        return [line or "" for line in lines]
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise LoadError(str(path), f"unknown encoding {encoding!r}") from None
    out = []
    for number, line in enumerate(raw, start=1):
        try:
            out.append(line.decode(encoding))
        except UnicodeDecodeError as exc:
            raise LoadError(
                str(path), f"byte 0x{line[exc.start : exc.start + 1].hex()} is not {encoding}", line=number
            ) from None
    return out


def _detect(data: bytes, path: Path, first_line: int) -> str:
    """The encoding charset-normalizer finds for ``data`` (the lines that are not UTF-8)."""
    import charset_normalizer  # only when a file is not UTF-8

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise LoadError(str(path), "not UTF-8, and no encoding fits (use --encoding NAME)", line=first_line)
    return str(best.encoding)
