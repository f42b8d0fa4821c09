"""CLI command ``extract``: candidate facts from press-release text, and their review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from climatekg.app.console import JsonOpt, err, open_kg, out, print_json
from climatekg.graph.errors import ClimateKGError


def _candidate(record: Any, key: str) -> dict[str, Any]:
    """One candidate as JSON: what it says and the words that say it."""
    prov = record.provenance
    evidence = {"sentence": prov.quote, "chars": prov.locator, "confidence": round(prov.confidence, 2)}
    if hasattr(record, "subject"):
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
        from climatekg.app.review_view import rejected_keys, review_rows, reviewed_batch
        from climatekg.loaders.common import known_kinds
        from climatekg.loaders.text import Rejections, candidate_key, extract_file

        kg = open_kg()
        home = getattr(kg, "home", None)
        if home is None and (accept or reject):
            raise ClimateKGError(
                "review runs on the embedded store; pull from Neo4j first (climatekg neo4j pull)"
            )
        rejections = Rejections(home) if home else None
        results = []
        try:
            for path in paths:
                source, extraction = extract_file(path, kg, rejections)
                keys = [candidate_key(r) for r in [*extraction.entities, *extraction.relations]]
                wanted = _rejections(reject or [], keys, several=len(paths) > 1)
                unknown = wanted - set(keys)
                entity_rows, relation_rows = review_rows(extraction, lambda eid: eid)
                for row, key in zip([*entity_rows, *relation_rows], keys, strict=True):
                    if key in wanted:
                        row["decision"] = "reject"
                dropped = {row["id"] for row in entity_rows if row["decision"] == "reject"}
                for row in relation_rows:  # a fact about a rejected entity cannot be stored
                    if row["decision"] == "accept" and {row["subject"], row["object"]} & dropped:
                        row["decision"] = "skip"
                rejected = rejected_keys(extraction, entity_rows, relation_rows)
                report = None
                if accept:
                    batch = reviewed_batch(
                        extraction,
                        entity_rows,
                        relation_rows,
                        source=source,
                        path=path,
                        known=known_kinds(kg),
                    )
                    report = (kg.load(batch), len(batch.entities), len(batch.relations))
                if rejections is not None and rejected:
                    rejections.add(rejected)
                results.append((path, source, extraction, keys, rejected, unknown, report))
        finally:
            kg.close()
        if as_json:
            print_json(
                [
                    {
                        "path": str(path),
                        "source": source.id,
                        "entities": [_candidate(e, k) for e, k in zip(ex.entities, keys, strict=False)],
                        "relations": [
                            _candidate(r, k)
                            for r, k in zip(ex.relations, keys[len(ex.entities) :], strict=True)
                        ],
                        "rejected": rejected,
                        "accepted": bool(report),
                    }
                    for path, source, ex, keys, rejected, _, report in results
                ]
            )
            return
        for path, source, ex, _, rejected, unknown, report in results:
            _show(path, ex, rejected)
            for key in sorted(unknown):
                err.print(
                    Text(f"{path}: no candidate {key!r} to reject (already rejected or not found)", "yellow")
                )
            if report is not None:
                loaded, n_entities, n_relations = report
                state = "stored" if loaded.changed else "unchanged"
                out.print(
                    f"{state}: {n_entities} entities and {n_relations} relations as source {source.id} "
                    f"(curated, citing {path.name})"
                )
            else:
                out.print(
                    "Nothing stored. Accept with --accept; reject candidate # with --reject # (it is remembered; "
                    "--json shows each candidate's key)."
                )


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


def _show(path: Path, ex: Any, rejected: list[str]) -> None:
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
