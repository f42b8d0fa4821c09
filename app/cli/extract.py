"""CLI command ``extract``: candidate facts from press-release text, and their review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from climatekg.app.cli.console import JsonOpt, open_kg, out, print_json
from climatekg.app.review.decisions import rejected_keys, review_rows, reviewed_batch
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import Batch, Entity, Relation, Source
from climatekg.graph.store import LoadReport, Store
from climatekg.loaders.text import Extraction, Rejections, candidate_key, extract_file


def _candidate(record: Entity | Relation, key: str) -> dict[str, Any]:
    """One candidate as JSON: what it says and the words that say it."""
    prov = record.provenance
    evidence = {"sentence": prov.quote, "chars": prov.locator, "confidence": round(prov.confidence, 2)}
    what: dict[str, Any]
    if isinstance(record, Relation):
        what = {"subject": record.subject, "relation": record.kind.value, "object": record.object}
        if record.role:
            what["role"] = record.role
    else:
        what = {
            "id": record.id,
            "kind": record.kind.value,
            "label": record.label,
            "aliases": list(record.aliases),
        }
    return {"key": key, **what, "status": prov.status, "evidence": evidence}


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command()
    def extract(
        paths: Annotated[list[Path], typer.Argument(help="Text, Markdown or HTML documents.")],
        accept: Annotated[
            bool,
            typer.Option(
                "--accept", help="Store every candidate not rejected as curated facts citing the document."
            ),
        ] = False,
        reject: Annotated[
            list[str] | None,
            typer.Option(
                "--reject",
                help="A candidate's number (#) or key to reject and remember (repeat for several).",
            ),
        ] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Propose entities and relations a document states, each with its sentence; --accept stores them."""
        kg = open_kg(read_only=not accept)
        try:
            documents, rejected = _review(kg, paths, reject or [], accept)
            for doc in documents:  # every document was validated before the first is written
                if doc.batch is not None:
                    doc.report = kg.load(doc.batch)
            if rejected:  # remembered even when nothing is accepted
                Rejections.beside(kg).add(rejected)
        finally:
            kg.close()
        if as_json:
            print_json([doc.to_json() for doc in documents])
            return
        for doc in documents:
            _show(doc.path, doc.extraction, doc.rejected)
            if doc.batch is not None and doc.report is not None:
                state = "stored" if doc.report.changed else "unchanged"
                out.print(
                    f"{state}: {len(doc.batch.entities)} entities and {len(doc.batch.relations)} relations "
                    f"as source {doc.source.id} (curated, citing {doc.path.name})"
                )
            else:
                out.print(
                    "Nothing stored. Accept with --accept; reject candidate # with --reject # (it is remembered; "
                    "--json shows each candidate's key)."
                )


@dataclass
class _Document:
    """One document under review: its candidates (keys in # order), decisions and what was stored."""

    path: Path
    source: Source
    extraction: Extraction
    keys: list[str]
    rejected: list[str] = field(default_factory=list)
    batch: Batch | None = None
    report: LoadReport | None = None

    def to_json(self) -> dict[str, Any]:
        ex, n = self.extraction, len(self.extraction.entities)
        return {
            "path": str(self.path),
            "source": self.source.id,
            "entities": [_candidate(e, k) for e, k in zip(ex.entities, self.keys[:n], strict=True)],
            "relations": [_candidate(r, k) for r, k in zip(ex.relations, self.keys[n:], strict=True)],
            "rejected": self.rejected,
            "accepted": self.report is not None,
        }


def _review(
    kg: Store, paths: list[Path], reject: list[str], accept: bool
) -> tuple[list[_Document], list[str]]:
    """Each document's candidates and decisions, and (with ``accept``) its validated batch.

    Raises before anything is written: an unknown --reject, or any document that cannot be stored.
    """
    rejections = Rejections.beside(kg)
    documents = []
    for path in paths:
        source, extraction = extract_file(path, kg, rejections)
        keys = [*map(candidate_key, extraction.entities), *map(candidate_key, extraction.relations)]
        documents.append(_Document(path, source, extraction, keys))
    every_key = [k for doc in documents for k in doc.keys]
    wanted = _rejections(reject, every_key, several=len(paths) > 1)
    unknown = wanted - set(every_key) - rejections.keys()
    if unknown:
        raise ClimateKGError(
            f"--reject {sorted(unknown)[0]}: no such candidate in {', '.join(map(str, paths))}"
        )
    rejected = []
    for doc in documents:
        entity_rows, relation_rows = review_rows(doc.extraction, lambda eid: eid)
        for row, key in zip([*entity_rows, *relation_rows], doc.keys, strict=True):
            if key in wanted:
                row["decision"] = "reject"
        doc.rejected = rejected_keys(doc.extraction, entity_rows, relation_rows)
        rejected += doc.rejected
        if accept and any(row["decision"] == "accept" for row in [*entity_rows, *relation_rows]):
            doc.batch = reviewed_batch(
                doc.extraction,
                entity_rows,
                relation_rows,
                source=doc.source,
                path=doc.path,
                known=kg.kind_of,
            )
    return documents, rejected


def _rejections(values: list[str], keys: list[str], *, several: bool) -> set[str]:
    """Keys named by number (the # column, one document only) or spelled out."""
    wanted = set()
    for value in values:
        if value.isdigit():
            if several:
                raise ClimateKGError(
                    f"--reject {value}: numbers name a candidate of one document; use its key"
                )
            if not 1 <= int(value) <= len(keys):
                raise ClimateKGError(f"--reject {value}: there are candidates 1 to {len(keys)}")
            wanted.add(keys[int(value) - 1])
        else:
            wanted.add(value)
    return wanted


def _show(path: Path, ex: Extraction, rejected: list[str]) -> None:
    new = {e.id: e.label for e in ex.entities}
    entities = Table(
        "#", "new entity", "kind", "confidence", title=f"{path}: {len(ex.entities)} new entities"
    )
    for i, e in enumerate(ex.entities, 1):
        entities.add_row(str(i), Text(e.label), e.kind.value, f"{e.provenance.confidence:.2f}")
    relations = Table("#", "relation", "evidence", title=f"{path}: {len(ex.relations)} relations")
    for i, r in enumerate(ex.relations, len(ex.entities) + 1):
        role = f" ({r.role})" if r.role else ""
        said = (
            f"{new.get(r.subject, r.subject)} {r.kind.value.replace('_', ' ')} {new.get(r.object, r.object)}"
        )
        relations.add_row(str(i), Text(said + role), Text(f"{r.provenance.locator}: {r.provenance.quote}"))
    out.print(entities)
    out.print(relations)
    if rejected:
        out.print(f"rejected and remembered: {len(rejected)}")
