"""What may be written as an RDF term: the id and language-tag patterns and the text rule.

Checked before anything is written (``EmbeddedStore`` checks every batch), because a value
that passes here is representable in every export format: N-Triples and Turtle escape it,
and XML (RDF/XML, GraphML, GEXF) can hold it. XML 1.0 cannot hold control characters other
than tab, newline and carriage return, nor U+FFFE/U+FFFF; carriage return is refused too,
because XML parsers turn it into a newline and the value would not read back the same.
"""

from __future__ import annotations

import json
import re

from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch

#: Entity ids: a kind prefix and a slug, ``city/shenzhen`` (what ``model.make_id`` makes).
ENTITY_ID = re.compile(r"[a-z]+/[a-z0-9][a-z0-9-]*")
#: Source ids: a slug, ``twin-cities-wikipedia``.
SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
#: Language tags as BCP 47 writes them (the RDF grammar's LANGTAG): ``en``, ``zh-Hans``, ``pt-BR``.
LANG_TAG = re.compile(r"[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*")
#: Characters no export can carry back unchanged.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
#: Characters an IRI reference may not contain (N-Triples IRIREF).
IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    bad = FORBIDDEN.search(value)
    if bad is None:
        return None
    return f"control character U+{ord(bad.group()):04X} at character {bad.start() + 1}"


def id_problem(value: str, pattern: re.Pattern[str], example: str) -> str | None:
    """Why ``value`` is not a valid id of ``pattern``'s shape, or None."""
    if pattern.fullmatch(value):
        return None
    return f"id {value[:80]!r} is not a slug like {example} (lower-case letters, digits and '-')"


def lang_problem(tag: str) -> str | None:
    """Why ``tag`` is not a BCP 47 language tag, or None."""
    return (
        None if LANG_TAG.fullmatch(tag) else f"{tag[:40]!r} is not a BCP 47 language tag like en or zh-Hans"
    )


def check_batch(batch: Batch, where: str | None = None) -> None:
    """Refuse a batch holding a value no export could carry: the first problem, as a one-line LoadError.

    ``where`` names the input file in the error (loaders know it; the store falls back to the source).
    """
    src = batch.source
    where = where or src.path or src.id

    def fail(field: str, reason: str) -> None:
        raise LoadError(where, reason, field=field)

    if problem := id_problem(src.id, SOURCE_ID, "twin-cities-wikipedia"):
        fail("source id", problem)
    for name in ("title", "publisher", "licence", "path", "issued", "loader"):
        if problem := text_problem(getattr(src, name) or ""):
            fail(f"source {name}", problem)
    if src.url and IRI_FORBIDDEN.search(src.url):
        fail(
            "source url", f"{src.url[:80]!r} is not an IRI (space, quote, angle bracket or control character)"
        )
    for e in batch.entities:
        if problem := id_problem(e.id, ENTITY_ID, "city/shenzhen"):
            fail(f"entity {e.id[:80]!r}", problem)
        texts = [("label", e.label), *((f"labels.{lang}", t) for lang, t in e.labels)]
        texts += [("aliases", a) for a in e.aliases]
        for name in ("classification", "description", "date", "country"):
            texts.append((name, getattr(e, name) or ""))
        texts += [("locator", e.provenance.locator or ""), ("quote", e.provenance.quote or "")]
        for k, text in e.attributes:  # other attributes: the key (an IRI part) and the text
            texts += [("attribute key", k), (f"attribute {k[:40]!r}", text)]
        for lang, _ in e.labels:
            if problem := lang_problem(lang):
                fail(f"{e.id}: labels", problem)
        for name, value in texts:
            if problem := text_problem(value):
                fail(f"{e.id}: {name}", problem)
    checked: set[int] = set()  # provenances shared by many relations (a table row's) are read once
    for r in batch.relations:
        if r.role and (problem := text_problem(r.role)):
            fail(f"relation {r.subject} {r.kind.value} {r.object}: role", problem)
        p = r.provenance
        if id(p) in checked:
            continue
        checked.add(id(p))
        for name, optional in (("locator", p.locator), ("quote", p.quote), ("loader", p.loader)):
            if problem := text_problem(optional or ""):
                fail(f"relation {r.subject} {r.kind.value} {r.object}: {name}", problem)
    for alias_id, canonical_id in batch.merges:
        for eid in (alias_id, canonical_id):
            if problem := id_problem(eid, ENTITY_ID, "city/shenzhen"):
                fail("merge", problem)


def literal_text(term: str) -> str:
    """The text of a literal in N-Triples or TSV form (``"Côte d\\'Ivoire"@fr``): its escapes are
    JSON's, but for ``\\'``."""
    body = term[: term.rindex('"') + 1]
    return json.loads(body.replace("\\'", "'")) if "\\" in body else body[1:-1]
