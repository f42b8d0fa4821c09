"""Data quality: SHACL validation by entity, likely duplicates, facts without sources."""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from typing import Any

import numpy as np

from climatekg.graph import vocab as v
from climatekg.graph.model import normalise_name
from climatekg.graph.store import Store, rdf_store
from climatekg.graph.terms import literal_text
from climatekg.queries import shacl_pyshacl, shacl_sparql

#: The engines ``validate`` can run: SHACL compiled to SPARQL on Oxigraph (default), or pySHACL.
ENGINES = ("sparql", "pyshacl")


def validate(kg: Store, *, engine: str = "sparql") -> list[dict[str, str]]:
    """Run the SHACL shapes over the stored data; one row per violation, by entity id.

    ``engine`` "sparql" compiles the shapes to SPARQL run by Oxigraph (seconds on 450k triples);
    "pyshacl" is the reference it is tested against (minutes). Both apply RDFS inference with the
    ontology and give the same rows.

    Examples:
        >>> validate(kg)
        []
    """
    rdf = rdf_store(kg, "validate")
    if engine == "pyshacl":
        results = shacl_pyshacl.validate_ntriples(rdf.dump_ntriples(), v.shapes_text(), v.ontology_text())
    elif engine == "sparql":
        results = shacl_sparql.validate_copy(rdf.oxigraph(), v.shapes_text(), v.ontology_text())
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}: one of {', '.join(ENGINES)}")
    rows = [
        {
            "entity": v.iri_entity_id(r.focus, kg.base) or _text(r.focus),
            "path": r.path,
            "message": r.message,
            "severity": r.severity,
        }
        for r in results
    ]
    return sorted(rows, key=lambda r: (r["entity"], r["path"], r["message"]))


def _text(node: str) -> str:
    """A focus node that is no entity as pySHACL's report printed it: a literal by its text."""
    if node.startswith('"'):
        try:
            return literal_text(node)
        except ValueError:
            return node
    return node


def _fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key ("Bérat" and "Berat" fold together)."""
    decomposed = unicodedata.normalize("NFKD", normalise_name(text))
    return "".join(c for c in decomposed if c.isalnum())


#: Two located entities further apart than this are never reported as duplicates, whatever their names.
NEARBY_KM = 50.0
#: Rows of a block compared at once (rapidfuzz's score matrix is this many × the block).
CHUNK = 1000


def likely_duplicates(kg: Store, *, min_score: float = 0.92) -> list[dict[str, Any]]:
    """Pairs of entities of the same kind (and country) whose names are near-identical, each with
    its ``score`` (name similarity, 0–1, rapidfuzz's ratio on folded names) and ``reason``.

    Coordinates decide when both are located: further apart than ``NEARBY_KM`` is not a
    duplicate (two Springfields); otherwise ``distance_km`` says how close. Reported for a person
    to decide; nothing is merged.

    Examples:
        >>> likely_duplicates(kg)
        []
    """
    from rapidfuzz import fuzz, process

    blocks: dict[tuple[str, str, str], list[tuple[str, str, str, float | None, float | None]]] = defaultdict(
        list
    )
    for e in kg.entities():
        folded = _fold(e.label)
        if folded:
            key = (e.kind.value, _fold(e.country or ""), folded[:3])
            blocks[key].append((e.id, e.label, folded, e.lat, e.lon))
    pairs = []
    for (kind, country, _), members in blocks.items():
        if len(members) < 2:
            continue
        members.sort()
        names = [m[2] for m in members]
        for start in range(0, len(members), CHUNK):
            scores = process.cdist(
                names[start : start + CHUNK], names, scorer=fuzz.ratio, score_cutoff=min_score * 100
            )
            for i, j in zip(*np.nonzero(scores), strict=True):
                i = int(i) + start
                if j <= i:
                    continue
                pair = _pair(kind, country, members[i], members[int(j)], float(scores[i - start, j]) / 100)
                if pair is not None:
                    pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p["score"], p["a"], p["b"]))


def _pair(
    kind: str, country: str, a: tuple[Any, ...], b: tuple[Any, ...], score: float
) -> dict[str, Any] | None:
    """One reported pair with its reason, or None when coordinates show two different places."""
    reasons = ["same name" if a[2] == b[2] else f"names {score:.0%} alike"]
    if country:
        reasons.append("same country")
    km = _km(a[3], a[4], b[3], b[4])
    if km is not None and km > NEARBY_KM:
        return None
    reasons.append(f"{km:.1f} km apart" if km is not None else "no coordinates on both to compare")
    return {
        "kind": kind,
        "a": a[0],
        "a_label": a[1],
        "b": b[0],
        "b_label": b[1],
        "score": round(score, 3),
        "distance_km": None if km is None else round(km, 1),
        "reason": "; ".join(reasons),
    }


def _km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance in km (haversine), or None unless both points are known."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(lon2 - lon1)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def unsourced(kg: Store) -> list[str]:
    """Relations whose provenance names no source (should always be empty)."""
    return [f"{r.subject} {r.kind.value} {r.object}" for r in kg.relations() if not r.provenance.source]
