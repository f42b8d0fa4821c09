"""Pure helpers behind the explorer's pages: escaping, as-of filtering, tables, previews, timelines.

Nothing here imports Streamlit, so each function is tested directly; pages only lay out what
these return.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from climatekg.graph.model import Batch, date_bounds

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


def parse_as_of(text: str | None) -> str | None:
    """A valid ISO day (``YYYY-MM-DD``) or None; anything else is ignored rather than trusted.

    >>> parse_as_of("2015-12-31"), parse_as_of("2015-13-01"), parse_as_of("<b>")
    ('2015-12-31', None, None)
    """
    if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def valid_on(start: str | None, end: str | None, day: str | None) -> bool:
    """Whether a fact dated ``start``–``end`` (partial dates allowed) holds on ``day``.

    The same rule as ``Relation.valid_on``: open ends always match; no day means no filter.

    >>> valid_on("2015", None, "2015-06-01"), valid_on("2016", None, "2015-06-01")
    (True, False)
    """
    if not day:
        return True
    if start and date_bounds(start)[0] > day:
        return False
    return not (end and date_bounds(end)[1] < day)


def filter_profile(profile: dict[str, Any], as_of: str | None) -> dict[str, Any]:
    """``describe()``'s profile with only the relations that hold on ``as_of``."""
    if not as_of:
        return profile
    groups = {
        kind: kept
        for kind, rows in profile["relations"].items()
        if (kept := [r for r in rows if valid_on(r.get("start"), r.get("end"), as_of)])
    }
    return {**profile, "relations": groups}


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


def to_records(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Query results as flat dicts: ``to_dict()`` when they have it, dicts as they are."""
    out = []
    for item in items:
        if hasattr(item, "to_dict"):
            out.append(item.to_dict())
        elif isinstance(item, dict):
            out.append(item)
        else:
            out.append({"value": item})
    return out


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Nested lists and dicts of a record as readable text, for tables and CSV."""
    return {k: _cell(v) if isinstance(v, list | tuple | set | dict) else v for k, v in record.items()}


# ---- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """Something dated: an agreement or event (``entity``) or a relation (``relation``)."""

    what: str  # "entity" or "relation"
    start: str  # ISO day (first day of a partial date)
    end: str | None
    label: str
    kind: str
    id: str
    detail: str = ""


def timeline_items(
    entities: Iterable[tuple[str, str, str, str | None]],
    relations: Iterable[tuple[str, str, str, str | None, str | None, str | None]],
    labels: dict[str, str],
) -> list[TimelineItem]:
    """Dated entities ``(id, kind, label, date)`` and relations ``(s, kind, o, start, end, role)``.

    >>> items = timeline_items([("event/x", "Event", "X", "2015-09")], [], {})
    >>> items[0].start, items[0].label
    ('2015-09-01', 'X')
    """
    out = []
    for eid, kind, label, when in entities:
        if when:
            out.append(TimelineItem("entity", date_bounds(when)[0], None, label, kind, eid))
    for s, kind, o, start, end, role in relations:
        if not (start or end):
            continue
        first = date_bounds(start)[0] if start else date_bounds(end or "")[0]
        last = date_bounds(end)[1] if end else None
        text = f"{labels.get(s, s)} {kind} {labels.get(o, o)}"
        out.append(TimelineItem("relation", first, last, text, kind, f"{s}|{kind}|{o}", role or ""))
    return sorted(out, key=lambda i: (i.start, i.label))


def year_range(items: Sequence[TimelineItem]) -> tuple[int, int] | None:
    """The first and last year any item mentions."""
    years = [int(i.start[:4]) for i in items] + [int(i.end[:4]) for i in items if i.end]
    return (min(years), max(years)) if years else None


# ---- import preview ----------------------------------------------------------------------


@dataclass
class Preview:
    """What committing a batch would change for its source."""

    source: str
    replaces: bool  # the source is already stored (its facts are replaced)
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    entities_kept: int = 0
    relations_added: list[str] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    relations_kept: int = 0
    triples_new: int | None = None  # RDF files: triples in the file
    triples_stored: int | None = None
    unchanged: bool = False  # the same input is already loaded

    def summary(self) -> dict[str, int | str | bool | None]:
        """Counts only (for a table)."""
        return {
            "source": self.source,
            "replaces stored source": self.replaces,
            "entities added": len(self.entities_added),
            "entities removed": len(self.entities_removed),
            "entities kept": self.entities_kept,
            "relations added": len(self.relations_added),
            "relations removed": len(self.relations_removed),
            "relations kept": self.relations_kept,
        }


def _relation_key(subject: str, kind: str, obj: str) -> str:
    return f"{subject} {kind} {obj}"


def stored_source_facts(kg: Any, source_id: str) -> tuple[set[str], set[str]]:
    """Entity ids and relation keys (``s kind o``) that one stored source states.

    On the embedded store this reads the source's named graph directly; elsewhere it scans
    every relation (slower, same answer).
    """
    if hasattr(kg, "oxigraph"):
        import pyoxigraph as ox

        from climatekg.graph import vocab as v

        store = kg.oxigraph()
        graph = ox.NamedNode(v.graph_iri(source_id, kg.base))
        entities: set[str] = set()
        for q in store.quads_for_pattern(None, ox.NamedNode(v.RDF + "type"), None, graph):
            if q.object.value in v.CLASS_KIND and isinstance(q.subject, ox.NamedNode):
                eid = v.iri_entity_id(q.subject.value, kg.base)
                if eid:
                    entities.add(eid)
        relations: set[str] = set()
        for prop, kind in v.PROPERTY_RELATION.items():
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, graph):
                s, o = v.iri_entity_id(q.subject.value, kg.base), v.iri_entity_id(q.object.value, kg.base)
                if s and o:
                    relations.add(_relation_key(s, kind.value, o))
        return entities, relations
    ents = {e.id for e in kg.entities() if e.provenance.source == source_id}
    rels = {
        _relation_key(r.subject, r.kind.value, r.object)
        for r in kg.relations()
        if r.provenance.source == source_id
    }
    return ents, rels


def preview_batch(kg: Any, batch: Batch) -> Preview:
    """Compare a validated batch with what the store holds for the same source."""
    sid = batch.source.id
    stored = {s.id: s for s in kg.sources()}
    info = stored.get(sid)
    preview = Preview(source=sid, replaces=info is not None)
    if info is not None and batch.digest and info.digest == batch.digest:
        preview.unchanged = True
    if batch.rdf_path:
        import pyoxigraph as ox

        fmt = ox.RdfFormat.from_media_type(batch.rdf_format or "")
        preview.triples_new = sum(1 for _ in ox.parse(path=batch.rdf_path, format=fmt)) if fmt else None
        preview.triples_stored = info.triples if info else 0
        return preview
    old_entities, old_relations = stored_source_facts(kg, sid) if info else (set(), set())
    new_entities = {e.id for e in batch.entities}
    new_relations = {_relation_key(r.subject, r.kind.value, r.object) for r in batch.relations}
    preview.entities_added = sorted(new_entities - old_entities)
    preview.entities_removed = sorted(old_entities - new_entities)
    preview.entities_kept = len(new_entities & old_entities)
    preview.relations_added = sorted(new_relations - old_relations)
    preview.relations_removed = sorted(old_relations - new_relations)
    preview.relations_kept = len(new_relations & old_relations)
    return preview
