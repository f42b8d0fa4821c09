"""Data quality: SHACL validation by entity, likely duplicates, facts without sources."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from typing import Any

from climatekg.graph import vocab as v
from climatekg.graph.model import normalise_name
from climatekg.graph.store import Store, rdf_store


def validate(kg: Store) -> list[dict[str, str]]:
    """Run the SHACL shapes over the stored data; one row per violation, by entity id.

    Examples:
        >>> validate(kg)
        []
    """
    import pyshacl
    import rdflib

    triples = rdf_store(kg, "validate").dump_ntriples()
    data = rdflib.Graph()
    data.parse(data=triples, format="nt")
    shapes = rdflib.Graph().parse(data=v.shapes_text(), format="turtle")
    ontology = rdflib.Graph().parse(data=v.ontology_text(), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    if conforms:
        return []
    sh = rdflib.Namespace(v.SH)
    rows = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = str(report.value(result, sh.focusNode))
        path = report.value(result, sh.resultPath)
        rows.append(
            {
                "entity": v.iri_entity_id(focus, kg.base) or focus,
                "path": str(path) if path is not None else "",
                "message": str(report.value(result, sh.resultMessage) or ""),
                "severity": str(report.value(result, sh.resultSeverity)).rsplit("#", 1)[-1],
            }
        )
    return sorted(rows, key=lambda r: (r["entity"], r["path"], r["message"]))


def _fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key ("Bérat" and "Berat" fold together)."""
    decomposed = unicodedata.normalize("NFKD", normalise_name(text))
    return "".join(c for c in decomposed if c.isalnum())


def likely_duplicates(kg: Store, *, threshold: float = 0.92) -> list[dict[str, Any]]:
    """Pairs of entities of the same kind (and country) whose names are near-identical.

    Reported for a person to decide; nothing is merged.
    """
    blocks: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for e in kg.entities():
        folded = _fold(e.label)
        if folded:
            blocks[(e.kind.value, _fold(e.country or ""), folded[:3])].append((e.id, e.label, folded))
    pairs = []
    for (kind, _, _), members in blocks.items():
        members.sort()
        for i, (a, la, fa) in enumerate(members):
            for b, lb, fb in members[i + 1 :]:
                score = 1.0 if fa == fb else difflib.SequenceMatcher(None, fa, fb).ratio()
                if score >= threshold:
                    pairs.append(
                        {"kind": kind, "a": a, "a_label": la, "b": b, "b_label": lb, "score": round(score, 3)}
                    )
    return sorted(pairs, key=lambda p: (-p["score"], p["a"], p["b"]))


def unsourced(kg: Store) -> list[str]:
    """Relations whose provenance names no source (should always be empty)."""
    return [f"{r.subject} {r.kind.value} {r.object}" for r in kg.relations() if not r.provenance.source]
