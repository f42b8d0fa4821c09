"""Naming things: turn what a user typed into exactly one entity id, or say why not."""

from __future__ import annotations

from typing import Any

from climatekg.graph.errors import NotFoundError
from climatekg.graph.store import Store, as_rdf_store
from climatekg.queries.merges import merges_into


def resolve(kg: Store, name: str) -> str:
    """The one entity ``name`` refers to: an id, label, alias, other-language label or Wikidata id.

    Names match with case, accents, apostrophe/quote/dash variants and spacing folded
    (``Bogota`` finds Bogotá). Raises ``NotFoundError`` (exit code 2) listing candidates when nothing or several match.

    Examples:
        >>> resolve(kg, "深圳")
        'city/shenzhen'
    """
    hits = kg.find(name)
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise NotFoundError(
            f"{name!r} is ambiguous: {len(hits)} entities match: {_listing(kg, hits)}", candidates=hits
        )
    near = kg.search(name, limit=5)
    hint = f"; did you mean {_listing(kg, near)}?" if near else ""
    raise NotFoundError(f"no entity named {name!r}{hint}", candidates=near)


def _listing(kg: Store, ids: list[str]) -> str:
    """``London (City, GB) [city/london-gb]; …``: enough to tell candidates apart and name one."""
    parts = []
    for eid in ids:
        e = kg.entity(eid)
        if e is None:
            parts.append(eid)
            continue
        what = ", ".join(x for x in (e.kind.value, e.country) if x)
        parts.append(f"{e.label} ({what}) [{eid}]")
    return "; ".join(parts)


def describe(kg: Store, entity_id: str) -> dict[str, Any]:
    """An entity's profile: its fields, its relations grouped by kind, each with evidence, and the
    records merged into it (which record, from which source, on what evidence; the embedded
    store keeps that evidence, on Neo4j the list is empty)."""
    e = kg.entity(entity_id)
    if e is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    groups: dict[str, list[dict[str, Any]]] = {}
    labels: dict[str, str] = {}
    for r in sorted(
        kg.relations(entity_id), key=lambda r: (r.kind.value, r.start or "", r.subject, r.object)
    ):
        outgoing = r.subject == entity_id
        other = r.object if outgoing else r.subject
        if other not in labels:
            o = kg.entity(other)
            labels[other] = o.label if o else other
        groups.setdefault(r.kind.value, []).append(
            {
                "direction": "out" if outgoing else "in",
                "other": other,
                "other_label": labels[other],
                "start": r.start,
                "end": r.end,
                "role": r.role,
                "source": r.provenance.source,
                "loader": r.provenance.loader,
                "loaded_at": r.provenance.loaded_at,
                "locator": r.provenance.locator,
                "quote": r.provenance.quote,
                "status": r.provenance.status,
                "confidence": r.provenance.confidence,
            }
        )
    return {
        "id": e.id,
        "kind": e.kind.value,
        "label": e.label,
        "labels": dict(e.labels),
        "aliases": list(e.aliases),
        "wikidata": e.wikidata,
        "classification": e.classification,
        "description": e.description,
        "date": e.date,
        "country": e.country,
        "coordinates": [e.lat, e.lon] if e.lat is not None else None,
        "population": e.population,
        "attributes": dict(e.attributes),
        "source": e.provenance.source,
        "status": e.provenance.status,
        "relations": groups,
        "merges": merges_into(kg, e.id) if as_rdf_store(kg) is not None else [],
    }
