"""The vocabulary: namespaces, and how model kinds map to ontology classes and properties.

The ontology itself is published as ``ontology.ttl`` beside this module (shapes in
``shapes.ttl``); this module is the single Python-side table of the same terms.
"""

from __future__ import annotations

import os
from importlib import resources

from climatekg.graph.model import EntityKind, RelationKind

DEFAULT_BASE_IRI = "https://w3id.org/climatekg/"

CKG = "https://w3id.org/climatekg/ontology#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
TIME = "http://www.w3.org/2006/time#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
WD = "http://www.wikidata.org/entity/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "ckg": CKG,
    "org": ORG,
    "schema": SCHEMA,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "time": TIME,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "wd": WD,
    "void": VOID,
    "dcat": DCAT,
}

#: Each entity kind is typed with its own class (which the ontology aligns to ORG/schema/SKOS).
KIND_CLASS = {kind: CKG + kind.value for kind in EntityKind}
CLASS_KIND = {iri: kind for kind, iri in KIND_CLASS.items()}

#: Each relation kind is a direct property (for simple queries) and a qualified node (for
#: dates, role and provenance), like schema.org's Role pattern and ORG's Membership.
RELATION_PROPERTY = {
    RelationKind.MEMBER_OF: ORG + "memberOf",
    RelationKind.PARTY_TO: CKG + "partyTo",
    RelationKind.SIGNED_AT: CKG + "signedAt",
    RelationKind.WORKS_FOR: SCHEMA + "worksFor",
    RelationKind.PARTICIPATED_IN: CKG + "participatedIn",
    RelationKind.LAUNCHED_AT: CKG + "launchedAt",
    RelationKind.LED_BY: CKG + "ledBy",
    RelationKind.HELD_IN: SCHEMA + "location",
    RelationKind.LOCATED_IN: SCHEMA + "containedInPlace",
    RelationKind.DEMONSTRATES: CKG + "demonstrates",
    RelationKind.PROVIDES: CKG + "provides",
    RelationKind.CONCERNS: CKG + "concerns",
    RelationKind.BUILDS_ON: CKG + "buildsOn",
    RelationKind.PARTNER_OF: CKG + "partnerOf",
    RelationKind.BROADER: SKOS + "broader",
}
PROPERTY_RELATION = {iri: kind for kind, iri in RELATION_PROPERTY.items()}


def base_iri() -> str:
    """The base IRI for entity, source and relation IRIs (``CLIMATEKG_BASE_IRI`` overrides)."""
    base = os.environ.get("CLIMATEKG_BASE_IRI", DEFAULT_BASE_IRI)
    return base if base.endswith(("/", "#")) else base + "/"


def entity_iri(entity_id: str, base: str | None = None) -> str:
    """``city/shenzhen`` → ``https://w3id.org/climatekg/id/city/shenzhen``."""
    return f"{base or base_iri()}id/{entity_id}"


def prefixes(base: str | None = None) -> dict[str, str]:
    """Prefixes for RDF the project writes: the vocabularies, plus ``id:`` for entity IRIs."""
    return {**PREFIXES, "id": entity_iri("", base)}


def iri_entity_id(iri: str, base: str | None = None) -> str | None:
    """The entity id inside an entity IRI, or None when the IRI is not one of ours."""
    prefix = f"{base or base_iri()}id/"
    return iri[len(prefix) :] if iri.startswith(prefix) else None


def relation_iri(relation_id: str, base: str | None = None) -> str:
    """The IRI of a qualified relation node."""
    return f"{base or base_iri()}relation/{relation_id}"


def source_iri(source_id: str, base: str | None = None) -> str:
    """The IRI of a source document or dataset."""
    return f"{base or base_iri()}source/{source_id}"


def graph_iri(source_id: str, base: str | None = None) -> str:
    """The named graph holding everything one source says."""
    return f"{base or base_iri()}graph/{source_id}"


def ontology_text() -> str:
    """The published ontology (Turtle)."""
    return resources.files("climatekg.graph").joinpath("ontology.ttl").read_text(encoding="utf-8")


def shapes_text() -> str:
    """The SHACL shapes (Turtle)."""
    return resources.files("climatekg.graph").joinpath("shapes.ttl").read_text(encoding="utf-8")
