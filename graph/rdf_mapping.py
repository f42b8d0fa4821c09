"""How model records become RDF (N-Triples lines) and how RDF rows become records again.

Writing N-Triples text directly is the fast path into Oxigraph's bulk loader; the same
functions feed the exporters, so there is one mapping for everything.
"""

from __future__ import annotations

from collections.abc import Iterator

from climatekg.graph import vocab as v
from climatekg.graph.model import Batch, Entity, Relation, Source, normalise_name

_DATE_TYPE = {1: v.XSD + "gYear", 2: v.XSD + "gYearMonth", 3: v.XSD + "date"}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def iri(value: str) -> str:
    """An IRI term in N-Triples syntax."""
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal term in N-Triples syntax, escaped."""
    text = '"' + value.translate(_ESCAPES) + '"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def date_lit(value: str) -> str:
    """A partial ISO date as xsd:gYear, xsd:gYearMonth or xsd:date."""
    return lit(value, datatype=_DATE_TYPE[value.count("-") + 1])


def entity_triples(e: Entity, base: str) -> Iterator[str]:
    """The triples that describe one entity, as N-Triples statements without the final dot."""
    s = iri(v.entity_iri(e.id, base))
    yield f"{s} {iri(v.RDF + 'type')} {iri(v.KIND_CLASS[e.kind])}"
    yield f"{s} {iri(v.RDFS + 'label')} {lit(e.label, 'en')}"
    for lang, text in e.labels:
        yield f"{s} {iri(v.RDFS + 'label')} {lit(text, lang)}"
    for alias in e.aliases:
        yield f"{s} {iri(v.SKOS + 'altLabel')} {lit(alias)}"
    for key in sorted({normalise_name(n) for n in e.names()}):
        # an exact-match key, so name look-ups use the store's index instead of a scan
        yield f"{s} {iri(v.CKG + 'nameKey')} {lit(key)}"
    if e.wikidata:
        yield f"{s} {iri(v.OWL + 'sameAs')} {iri(v.WD + e.wikidata)}"
    if e.classification:
        yield f"{s} {iri(v.CKG + 'classification')} {lit(e.classification)}"
    if e.description:
        yield f"{s} {iri(v.DCTERMS + 'description')} {lit(e.description, 'en')}"
    if e.date:
        yield f"{s} {iri(v.DCTERMS + 'date')} {date_lit(e.date)}"
    if e.country:
        yield f"{s} {iri(v.SCHEMA + 'addressCountry')} {lit(e.country)}"
    if e.lat is not None and e.lon is not None:
        yield f"{s} {iri(v.SCHEMA + 'latitude')} {lit(repr(float(e.lat)), datatype=v.XSD + 'double')}"
        yield f"{s} {iri(v.SCHEMA + 'longitude')} {lit(repr(float(e.lon)), datatype=v.XSD + 'double')}"
    p = e.provenance
    yield f"{s} {iri(v.PROV + 'wasDerivedFrom')} {iri(v.source_iri(p.source, base))}"
    yield f"{s} {iri(v.CKG + 'status')} {lit(p.status)}"
    if p.locator:
        yield f"{s} {iri(v.CKG + 'locator')} {lit(p.locator)}"
    if p.quote:
        yield f"{s} {iri(v.CKG + 'quote')} {lit(p.quote)}"


def needs_node(r: Relation) -> bool:
    """Whether a relation says more than its named graph does (dates, role, evidence, status).

    A plain relation's provenance is its source graph; only richer ones get a qualified node,
    which keeps bulk networks near one triple per relation.
    """
    p = r.provenance
    return bool(
        r.start or r.end or r.role or p.locator or p.quote or p.status != "curated" or p.confidence != 1.0
    )


def relation_triples(r: Relation, base: str) -> Iterator[str]:
    """The direct triple of a relation and, when it has more to say, its qualified node."""
    s, o = iri(v.entity_iri(r.subject, base)), iri(v.entity_iri(r.object, base))
    prop = iri(v.RELATION_PROPERTY[r.kind])
    yield f"{s} {prop} {o}"
    if not needs_node(r):
        return
    n = iri(v.relation_iri(r.id, base))
    yield f"{n} {iri(v.RDF + 'type')} {iri(v.CKG + 'Relation')}"
    yield f"{n} {iri(v.RDF + 'subject')} {s}"
    yield f"{n} {iri(v.RDF + 'predicate')} {prop}"
    yield f"{n} {iri(v.RDF + 'object')} {o}"
    if r.start:
        yield f"{n} {iri(v.SCHEMA + 'startDate')} {date_lit(r.start)}"
    if r.end:
        yield f"{n} {iri(v.SCHEMA + 'endDate')} {date_lit(r.end)}"
    if r.role:
        yield f"{n} {iri(v.SCHEMA + 'roleName')} {lit(r.role)}"
    p = r.provenance
    yield f"{n} {iri(v.PROV + 'wasDerivedFrom')} {iri(v.source_iri(p.source, base))}"
    yield f"{n} {iri(v.CKG + 'loader')} {lit(p.loader)}"
    yield f"{n} {iri(v.CKG + 'status')} {lit(p.status)}"
    yield f"{n} {iri(v.CKG + 'confidence')} {lit(format(p.confidence, '.3f'), datatype=v.XSD + 'decimal')}"
    if p.locator:
        yield f"{n} {iri(v.CKG + 'locator')} {lit(p.locator)}"
    if p.quote:
        yield f"{n} {iri(v.CKG + 'quote')} {lit(p.quote)}"


def source_triples(src: Source, base: str) -> Iterator[str]:
    """The description of a source document or dataset."""
    s = iri(v.source_iri(src.id, base))
    yield f"{s} {iri(v.RDF + 'type')} {iri(v.PROV + 'Entity')}"
    yield f"{s} {iri(v.RDF + 'type')} {iri(v.CKG + 'Source')}"
    yield f"{s} {iri(v.DCTERMS + 'title')} {lit(src.title)}"
    yield f"{s} {iri(v.CKG + 'loader')} {lit(src.loader)}"
    if src.publisher:
        yield f"{s} {iri(v.DCTERMS + 'publisher')} {lit(src.publisher)}"
    if src.url:
        yield f"{s} {iri(v.SCHEMA + 'url')} {iri(src.url)}"
    if src.issued:
        yield f"{s} {iri(v.DCTERMS + 'issued')} {date_lit(src.issued)}"
    if src.licence:
        yield f"{s} {iri(v.DCTERMS + 'license')} {lit(src.licence)}"
    if src.path:
        yield f"{s} {iri(v.CKG + 'path')} {lit(src.path)}"


def batch_ntriples(batch: Batch, base: str) -> Iterator[str]:
    """Every triple of a batch as N-Triples lines (with final dot and newline)."""
    for t in source_triples(batch.source, base):
        yield t + " .\n"
    for e in batch.entities:
        for t in entity_triples(e, base):
            yield t + " .\n"
    for r in batch.relations:
        for t in relation_triples(r, base):
            yield t + " .\n"
    for alias_id, canonical_id in batch.merges:
        # a recorded merge: the alias IRI is the same entity as the canonical one
        yield f"{iri(v.entity_iri(alias_id, base))} {iri(v.OWL + 'sameAs')} {iri(v.entity_iri(canonical_id, base))} .\n"
