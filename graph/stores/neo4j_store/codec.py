"""How model records are kept in Neo4j and read back: labels, relationship types, rows.

An entity node holds one record per source that describes it (JSON, see :func:`entity_record`)
and the merged view queries read (:func:`merged_view`); a relationship holds only what differs
from its source's defaults (:func:`relation_row`). :func:`entity_from_row` and
:func:`relation_from_row` are the one way back from a result row to the model, used by the
store, by ``neo4j pull`` and by the Cypher engine of queries/.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from climatekg.graph.model import Entity, EntityKind, Provenance, Relation, RelationKind, normalise_name

#: Node label per entity kind: the only labels any query text ever contains.
KIND_LABEL: dict[EntityKind, str] = {
    EntityKind.CITY: "City",
    EntityKind.PLACE: "Place",
    EntityKind.ORGANISATION: "Organisation",
    EntityKind.INITIATIVE: "Initiative",
    EntityKind.AGREEMENT: "Agreement",
    EntityKind.TECHNOLOGY: "Technology",
    EntityKind.EVENT: "Event",
    EntityKind.PERSON: "Person",
}

#: Relationship type per relation kind: the only types any query text ever contains.
REL_TYPE: dict[RelationKind, str] = {
    RelationKind.MEMBER_OF: "MEMBER_OF",
    RelationKind.PARTY_TO: "PARTY_TO",
    RelationKind.SIGNED_AT: "SIGNED_AT",
    RelationKind.WORKS_FOR: "WORKS_FOR",
    RelationKind.PARTICIPATED_IN: "PARTICIPATED_IN",
    RelationKind.LAUNCHED_AT: "LAUNCHED_AT",
    RelationKind.LED_BY: "LED_BY",
    RelationKind.HELD_IN: "HELD_IN",
    RelationKind.LOCATED_IN: "LOCATED_IN",
    RelationKind.DEMONSTRATES: "DEMONSTRATES",
    RelationKind.PROVIDES: "PROVIDES",
    RelationKind.CONCERNS: "CONCERNS",
    RelationKind.BUILDS_ON: "BUILDS_ON",
    RelationKind.PARTNER_OF: "PARTNER_OF",
    RelationKind.BROADER: "BROADER",
}
TYPE_KIND = {rel_type: kind for kind, rel_type in REL_TYPE.items()}

#: ``:TYPE1|TYPE2|…`` — every model relationship type, for traversals that must not leave the model.
ALL_TYPES = "|".join(REL_TYPE.values())
#: A node created only as the end of a relationship whose entity is not (yet) written.
PLACEHOLDER = "Placeholder"
#: ``Placeholder:City:…`` — every label an entity node can have besides ``Entity``.
ALL_KIND_LABELS = ":".join([PLACEHOLDER, *KIND_LABEL.values()])

for _name in [*KIND_LABEL.values(), *REL_TYPE.values(), PLACEHOLDER]:
    # Labels and types are pasted into query text, so they must be plain identifiers.
    assert _name.replace("_", "").isalpha(), _name

#: The merged-view properties of an entity node; all set on every write (absent ones to null).
FLAT_FIELDS = (
    "kind",
    "label",
    "labelLangs",
    "labelTexts",
    "aliases",
    "nameKeys",
    "nameText",
    "wikidata",
    "wikidataText",
    "classification",
    "description",
    "date",
    "country",
    "lat",
    "lon",
    "source",
    "locator",
    "quote",
    "status",
    "attributeKeys",
    "attributeValues",
)
BLANK: dict[str, Any] = dict.fromkeys(FLAT_FIELDS)

#: What a query returns for an entity node ``e``: the columns :func:`entity_from_row` reads.
ENTITY_COLUMNS = (
    "e.id AS id, e.kind AS kind, e.label AS label, e.labelLangs AS langs, e.labelTexts AS texts, "
    "e.aliases AS aliases, e.wikidata AS wikidata, e.classification AS classification, "
    "e.description AS description, e.date AS date, e.country AS country, e.lat AS lat, e.lon AS lon, "
    "e.source AS source, e.locator AS locator, e.quote AS quote, e.status AS status, "
    "e.attributeKeys AS akeys, e.attributeValues AS avalues"
)
#: What a query returns for a relationship ``(a)-[r]->(b)``: the columns :func:`relation_from_row` reads.
RELATION_COLUMNS = (
    "a.id AS s, type(r) AS type, b.id AS o, r.graph AS graph, r.source AS source, r.loader AS loader, "
    "r.locator AS locator, r.quote AS quote, r.confidence AS confidence, r.status AS status, "
    "r.start AS start, r.end AS end, r.role AS role"
)


class Row(Protocol):
    """A result row (the driver's ``Record``, or a dict): values by column name."""

    def __getitem__(self, key: str, /) -> Any: ...


# ---- writing ----------------------------------------------------------------------------------


def entity_record(e: Entity) -> dict[str, Any]:
    """One source's description of an entity, as stored (JSON) in the node's ``records``."""
    rec: dict[str, Any] = {
        "kind": e.kind.value,
        "label": e.label,
        "labels": [list(pair) for pair in e.labels],
        "aliases": list(e.aliases),
        "wikidata": e.wikidata,
        "classification": e.classification,
        "description": e.description,
        "date": e.date,
        "country": e.country,
        "lat": e.lat,
        "lon": e.lon,
        "source": e.provenance.source,
        "locator": e.provenance.locator,
        "quote": e.provenance.quote,
        "status": e.provenance.status,
        "attributes": [list(pair) for pair in e.attributes],
    }
    return {k: val for k, val in rec.items() if val not in (None, [])}


def record_json(rec: dict[str, Any]) -> str:
    """A record as compact, canonical JSON (equal records → equal strings)."""
    return json.dumps(rec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def merged_view(entity_id: str, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The node properties queries read, from the records of every source (in source-id order).

    Names are the union over sources (as the embedded store's union graph has them); a
    single-valued field takes the first source's value that has one.
    """

    def first(key: str) -> Any:
        return next((r[key] for r in records if r.get(key) is not None), None)

    label = records[0].get("label", "") if records else ""
    pairs: dict[tuple[str, str], None] = {}
    aliases: dict[str, None] = {}
    keys: set[str] = set()
    wikidata: dict[str, None] = {}
    for r in records:
        names = [r.get("label", ""), *(text for _, text in r.get("labels", [])), *r.get("aliases", [])]
        keys.update(normalise_name(n) for n in names)
        if r.get("label", "") != label:
            pairs[("en", r.get("label", ""))] = None
        for lang, text in r.get("labels", []):
            pairs[(lang, text)] = None
        aliases.update(dict.fromkeys(r.get("aliases", [])))
        if r.get("wikidata"):
            wikidata[r["wikidata"]] = None
    pairs.pop(("en", label), None)
    lat, lon = first("lat"), first("lon")
    # other attributes: every source's, as the embedded store's union graph has them (sorted pairs)
    attributes = sorted({(k, text) for r in records for k, text in r.get("attributes", [])})
    return {
        **BLANK,
        "kind": records[0]["kind"] if records else None,
        "label": label or entity_id,
        "labelLangs": [lang for lang, _ in pairs],
        "labelTexts": [text for _, text in pairs],
        "aliases": list(aliases),
        "nameKeys": sorted(keys),
        # one string, newline-delimited, so a TEXT index answers exact keys and substrings
        "nameText": "\n" + "\n".join(sorted(keys)) + "\n",
        "wikidata": next(iter(wikidata), None),
        "wikidataText": "\n" + "\n".join(wikidata) + "\n" if wikidata else None,
        "classification": first("classification"),
        "description": first("description"),
        "date": first("date"),
        "country": first("country"),
        "lat": float(lat) if lat is not None else None,
        "lon": float(lon) if lon is not None else None,
        "source": first("source") or "",
        "locator": first("locator"),
        "quote": first("quote"),
        "status": first("status") or "curated",
        "attributeKeys": [k for k, _ in attributes] or None,
        "attributeValues": [text for _, text in attributes] or None,
    }


def relation_row(r: Relation, graph: str, loader: str) -> dict[str, Any]:
    """A relationship write row. Only what differs from the defaults is stored (source: the
    graph; loader: the source's; status curated; confidence 1): a plain relation is two ids."""
    p = r.provenance
    props: dict[str, Any] = {}
    row: dict[str, Any] = {"s": r.subject, "o": r.object, "rid": r.id, "p": props}
    for key, value, default in (
        ("source", p.source, graph),
        ("loader", p.loader, loader),
        ("status", p.status, "curated"),
        ("confidence", p.confidence, 1.0),
        ("locator", p.locator, None),
        ("quote", p.quote, None),
        ("start", r.start, None),
        ("end", r.end, None),
        ("role", r.role, None),
    ):
        if value != default:
            props[key] = value
    return row


# ---- reading ----------------------------------------------------------------------------------


def record_entity(entity_id: str, rec: dict[str, Any]) -> Entity:
    """The Entity one source's record describes (what ``neo4j pull`` hands back to the embedded store)."""
    return Entity(
        id=entity_id,
        kind=EntityKind(rec["kind"]),
        label=rec.get("label", ""),
        provenance=Provenance(
            source=rec.get("source", ""),
            loader="",
            locator=rec.get("locator"),
            quote=rec.get("quote"),
            status="extracted" if rec.get("status") == "extracted" else "curated",
        ),
        labels=tuple((lang, text) for lang, text in rec.get("labels", [])),
        aliases=tuple(rec.get("aliases", [])),
        wikidata=rec.get("wikidata"),
        classification=rec.get("classification"),
        description=rec.get("description"),
        date=rec.get("date"),
        country=rec.get("country"),
        lat=rec.get("lat"),
        lon=rec.get("lon"),
        attributes=tuple((k, text) for k, text in rec.get("attributes", [])),
    )


def entity_from_row(row: Row) -> Entity:
    """The merged view of an entity node, from a row with :data:`ENTITY_COLUMNS`."""
    return Entity(
        id=row["id"],
        kind=EntityKind(row["kind"]),
        label=row["label"],
        provenance=Provenance(
            source=row["source"] or "",
            loader="",
            locator=row["locator"],
            quote=row["quote"],
            status="extracted" if row["status"] == "extracted" else "curated",
        ),
        labels=tuple(zip(row["langs"] or [], row["texts"] or [], strict=True)),
        aliases=tuple(row["aliases"] or []),
        wikidata=row["wikidata"],
        classification=row["classification"],
        description=row["description"],
        date=row["date"],
        country=row["country"],
        lat=row["lat"],
        lon=row["lon"],
        attributes=tuple(zip(row["akeys"] or [], row["avalues"] or [], strict=True)),
    )


def relation_from_row(row: Row, *, loader: str = "", loaded_at: str | None = None) -> Relation:
    """A relationship as a Relation, from a row with :data:`RELATION_COLUMNS`.

    What the relationship does not store is the default (see :func:`relation_row`): its source
    is its graph, its loader ``loader`` (the source's). ``loaded_at`` is when the source was loaded.
    """
    return Relation(
        subject=row["s"],
        kind=TYPE_KIND[row["type"]],
        object=row["o"],
        provenance=Provenance(
            source=row["source"] or row["graph"],
            loader=row["loader"] or loader,
            locator=row["locator"],
            quote=row["quote"],
            confidence=float(row["confidence"] if row["confidence"] is not None else 1.0),
            status="extracted" if row["status"] == "extracted" else "curated",
            loaded_at=loaded_at,
        ),
        start=row["start"],
        end=row["end"],
        role=row["role"],
    )
