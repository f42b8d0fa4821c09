"""Reviewing facts extracted from a text: rows to accept, edit or reject, and the batch they make.

Pure Python (no Streamlit): the explorer's Import page shows ``review_rows`` in editable tables
and ``climatekg extract`` marks the same rows from its ``--reject`` options; both turn the rows
back into a ``Batch`` with ``reviewed_batch``, which validates it like any loader does (every
relation's ends exist, kinds fit the relation) before anything is written. Accepted facts become
``status="curated"``: a person read them and they cite the document, with the sentence as the
quote. Rejected candidates are returned by ``rejected_keys`` so the caller can remember them in
``Rejections.beside(kg)``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from climatekg.graph.errors import LoadError
from climatekg.graph.model import (
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    check_date,
)
from climatekg.loaders.common import check_batch
from climatekg.loaders.text import REVIEWED, Extraction, candidate_key

DECISIONS = ("accept", "reject")


def review_rows(extraction: Extraction, label_of: Callable[[str], str]) -> tuple[list[dict], list[dict]]:
    """Rows for the two review tables: proposed new entities, and proposed relations.

    Every row starts as ``accept``; ``ref`` ties an edited row back to its candidate.
    """
    entities = [
        {
            "decision": "accept",
            "kind": e.kind.value,
            "label": e.label,
            "id": e.id,
            "confidence": round(e.provenance.confidence, 2),
            "quote": e.provenance.quote or "",
            "chars": e.provenance.locator or "",
            "ref": i,
        }
        for i, e in enumerate(extraction.entities)
    ]
    new = {e.id: e.label for e in extraction.entities}
    relations = [
        {
            "decision": "accept",
            "subject": r.subject,
            "kind": r.kind.value,
            "object": r.object,
            "role": r.role or "",
            "start": r.start or "",
            "end": r.end or "",
            "reads": f"{new.get(r.subject) or label_of(r.subject)} {r.kind.value.replace('_', ' ')} "
            f"{new.get(r.object) or label_of(r.object)}",
            "confidence": round(r.provenance.confidence, 2),
            "quote": r.provenance.quote or "",
            "chars": r.provenance.locator or "",
            "ref": i,
        }
        for i, r in enumerate(extraction.relations)
    ]
    return entities, relations


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text if text and text.lower() != "nan" else None


def _date(value: Any, where: str, path: Path) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return check_date(text)
    except ValueError as exc:
        raise LoadError(str(path), str(exc), field=where) from None


def _curated(prov: Provenance) -> Provenance:
    return replace(prov, status="curated")


def rejected_keys(
    extraction: Extraction, entity_rows: Sequence[dict[str, Any]], relation_rows: Sequence[dict[str, Any]]
) -> list[str]:
    """The candidate keys of the rows set to reject (what a later run should not propose)."""
    return [
        candidate_key(records[int(row["ref"])])
        for records, rows in ((extraction.entities, entity_rows), (extraction.relations, relation_rows))
        for row in rows
        if row.get("decision") == "reject"
    ]


def reviewed_batch(
    extraction: Extraction,
    entity_rows: Sequence[dict[str, Any]],
    relation_rows: Sequence[dict[str, Any]],
    *,
    source: Source,
    path: Path,
    known: Callable[[str], EntityKind | None],
) -> Batch:
    """The accepted (and edited) candidates as one validated batch; LoadError says what is wrong."""
    entities: list[Entity] = []
    for row in entity_rows:
        if row.get("decision") != "accept":
            continue
        original: Entity = extraction.entities[int(row["ref"])]
        label = _text(row.get("label")) or original.label
        try:
            kind = EntityKind(str(row.get("kind") or original.kind.value))
        except ValueError:
            raise LoadError(
                str(path), f"unknown entity kind {row.get('kind')!r}", field=original.id
            ) from None
        entities.append(replace(original, label=label, kind=kind, provenance=_curated(original.provenance)))
    # a fact about a new entity that is not accepted cannot be stored: it is skipped, not refused
    dropped = {e.id for e in extraction.entities} - {e.id for e in entities}
    relations: list[Relation] = []
    for row in relation_rows:
        if row.get("decision") != "accept":
            continue
        original_r: Relation = extraction.relations[int(row["ref"])]
        where = original_r.provenance.locator or f"relation {row['ref']}"
        try:
            kind_r = RelationKind(str(row.get("kind") or original_r.kind.value))
        except ValueError:
            raise LoadError(str(path), f"unknown relation kind {row.get('kind')!r}", field=where) from None
        subject = _text(row.get("subject")) or original_r.subject
        object_ = _text(row.get("object")) or original_r.object
        if {subject, object_} & dropped:
            continue
        start, end = _date(row.get("start"), where, path), _date(row.get("end"), where, path)
        if start and end and start > end:
            raise LoadError(str(path), f"end {end} is before start {start}", field=where)
        relations.append(
            replace(
                original_r,
                subject=subject,
                kind=kind_r,
                object=object_,
                role=_text(row.get("role")),
                start=start,
                end=end,
                provenance=_curated(original_r.provenance),
            )
        )
    if not entities and not relations:
        raise LoadError(str(path), "nothing is accepted: accept at least one fact to commit")
    decisions = json.dumps(
        [[e.id, e.kind.value, e.label] for e in entities]
        + [[r.subject, r.kind.value, r.object, r.role, r.start, r.end] for r in relations],
        ensure_ascii=False,
    )
    # the same document with other decisions is other input: a different digest, a real load
    digest = hashlib.sha256(path.read_bytes() + decisions.encode("utf-8")).hexdigest()
    batch = Batch(source=source, entities=entities, relations=relations, digest=f"{REVIEWED}{digest}")
    return check_batch(batch, path, known)
