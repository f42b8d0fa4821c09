"""The one RDF field mapping: how model records become RDF, and how RDF terms become records again.

Each model field has one predicate, named once below; the writer (N-Triples lines) and the
readers (an entity from its statements, a relation from its qualified node) both use these
tables. Writing N-Triples text directly is the fast path into Oxigraph's bulk loader; the same
functions feed the exporters. The embedded store reads its entities and relations with the
readers here, and so does ``neo4j push`` when it sweeps a source's named graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from urllib.parse import quote, unquote

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.model import (
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    normalise_name,
)
from climatekg.graph.terms import IRI_FORBIDDEN, LANG_TAG

# ---- the mapping ------------------------------------------------------------------------------

TYPE = v.RDF + "type"
LABEL = v.RDFS + "label"
ALT_LABEL = v.SKOS + "altLabel"
SAME_AS = v.OWL + "sameAs"
#: An exact-match key per name, so name look-ups use the store's index instead of a scan;
#: derived from the names when written, never read back as a field.
NAME_KEY = v.CKG + "nameKey"
MERGE_EVIDENCE = v.CKG + "mergeEvidence"
#: Attributes a source gives that no model field holds: ``<e> ckg:attribute/region "Île-de-France"``,
#: one property per key (the key percent-encoded after ``attribute/``), each declared in the
#: source's graph as an ``rdfs:subPropertyOf ckg:attribute``; the statement's named graph and the
#: entity's ``prov:wasDerivedFrom`` say which source gave it.
ATTRIBUTE = v.CKG + "attribute"
SUBPROPERTY = v.RDFS + "subPropertyOf"
DERIVED_FROM = v.PROV + "wasDerivedFrom"
#: The class of qualified relation nodes and the three statements that say what they qualify.
RELATION_CLASS = v.CKG + "Relation"
QUALIFIES_SUBJECT = v.RDF + "subject"
QUALIFIES_PREDICATE = v.RDF + "predicate"
QUALIFIES_OBJECT = v.RDF + "object"
#: ``<source> ckg:plainRelationsCiteSubject true``, stated in the source's own graph: each of its
#: relations written as a direct triple alone is stated where its subject is (the subject's
#: ``ckg:locator`` in that graph). A wide membership table reads all of a row's memberships
#: from the row of their member, so they need no qualified node (~11 triples) to cite it.
PLAIN_AT_SUBJECT = v.CKG + "plainRelationsCiteSubject"

#: Entity fields held as one value each (besides labels, aliases, Wikidata id and source).
ENTITY_FIELDS: dict[str, str] = {
    "classification": v.CKG + "classification",
    "description": v.DCTERMS + "description",
    "date": v.DCTERMS + "date",
    "country": v.SCHEMA + "addressCountry",
    "lat": v.SCHEMA + "latitude",
    "lon": v.SCHEMA + "longitude",
    "population": v.SCHEMA + "population",
    "locator": v.CKG + "locator",
    "quote": v.CKG + "quote",
    "status": v.CKG + "status",
}
#: Fields of a qualified relation node (besides what it qualifies and its source).
RELATION_FIELDS: dict[str, str] = {
    "start": v.SCHEMA + "startDate",
    "end": v.SCHEMA + "endDate",
    "role": v.SCHEMA + "roleName",
    "loader": v.CKG + "loader",
    "status": v.CKG + "status",
    "confidence": v.CKG + "confidence",
    "locator": v.CKG + "locator",
    "quote": v.CKG + "quote",
}
#: Fields of a source's description.
SOURCE_FIELDS: dict[str, str] = {
    "title": v.DCTERMS + "title",
    "loader": v.CKG + "loader",
    "publisher": v.DCTERMS + "publisher",
    "url": v.SCHEMA + "url",
    "issued": v.DCTERMS + "issued",
    "licence": v.DCTERMS + "license",
    "path": v.CKG + "path",
}
_E, _R, _S = ENTITY_FIELDS, RELATION_FIELDS, SOURCE_FIELDS

# ---- writing ----------------------------------------------------------------------------------

_DATE_TYPE = {1: v.XSD + "gYear", 2: v.XSD + "gYearMonth", 3: v.XSD + "date"}
#: N-Triples string escapes: the two syntax characters, and every control character as \uXXXX
#: (stores refuse most of those, see ``terms.py``; exporters that write lines here still escape them).
_ESCAPES = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    | {chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in "\n\r\t"}
)


def iri(value: str) -> str:
    """An IRI term in N-Triples syntax; ValueError for a character an IRI cannot hold."""
    if IRI_FORBIDDEN.search(value):
        raise ValueError(f"not an IRI: {value[:80]!r}")
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal term in N-Triples syntax, escaped; ValueError for a malformed language tag."""
    text = '"' + value.translate(_ESCAPES) + '"'
    if lang:
        if not LANG_TAG.fullmatch(lang):
            raise ValueError(f"not a language tag: {lang[:40]!r}")
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def date_lit(value: str) -> str:
    """A partial ISO date as xsd:gYear, xsd:gYearMonth or xsd:date."""
    return lit(value, datatype=_DATE_TYPE[value.count("-") + 1])


def attribute_property(key: str) -> str:
    """The property of an attribute key: ``ckg:attribute/region``."""
    return f"{ATTRIBUTE}/{quote(key, safe='')}"


#: The N-Triples terms of entity predicates and classes, made (and checked) once: a membership
#: table writes ten statements for each of 100k actors.
_ENTITY_TERM = {p: iri(p) for p in [TYPE, LABEL, ALT_LABEL, NAME_KEY, SAME_AS, DERIVED_FROM, *_E.values()]}
_CLASS_TERM = {kind: iri(cls) for kind, cls in v.KIND_CLASS.items()}
_DOUBLE, _INTEGER = v.XSD + "double", v.XSD + "integer"


def entity_triples(e: Entity, base: str, *, terms: dict[str, str] | None = None) -> Iterator[str]:
    """The triples that describe one entity, as N-Triples statements without the final dot.

    ``terms`` remembers IRI terms (the source's) between calls, as in ``relation_triples``.
    """
    t = _ENTITY_TERM
    s = iri(v.entity_iri(e.id, base))
    yield f"{s} {t[TYPE]} {_CLASS_TERM[e.kind]}"
    yield f"{s} {t[LABEL]} {lit(e.label, 'en')}"
    for lang, text in e.labels:
        yield f"{s} {t[LABEL]} {lit(text, lang)}"
    for alias in e.aliases:
        yield f"{s} {t[ALT_LABEL]} {lit(alias)}"
    for key in sorted({normalise_name(n) for n in e.names()}):
        yield f"{s} {t[NAME_KEY]} {lit(key)}"
    if e.wikidata:
        yield f"{s} {t[SAME_AS]} {iri(v.WD + e.wikidata)}"
    if e.classification:
        yield f"{s} {t[_E['classification']]} {lit(e.classification)}"
    if e.description:
        yield f"{s} {t[_E['description']]} {lit(e.description, 'en')}"
    if e.date:
        yield f"{s} {t[_E['date']]} {date_lit(e.date)}"
    if e.country:
        yield f"{s} {t[_E['country']]} {lit(e.country)}"
    if e.lat is not None and e.lon is not None:
        yield f"{s} {t[_E['lat']]} {lit(repr(float(e.lat)), datatype=_DOUBLE)}"
        yield f"{s} {t[_E['lon']]} {lit(repr(float(e.lon)), datatype=_DOUBLE)}"
    if e.population is not None:
        yield f"{s} {t[_E['population']]} {lit(str(e.population), datatype=_INTEGER)}"
    for key, text in e.attributes:
        yield f"{s} {iri(attribute_property(key))} {lit(text)}"
    p = e.provenance
    yield f"{s} {t[DERIVED_FROM]} {_term(v.source_iri(p.source, base), {} if terms is None else terms)}"
    yield f"{s} {t[_E['status']]} {lit(p.status)}"
    if p.locator:
        yield f"{s} {t[_E['locator']]} {lit(p.locator)}"
    if p.quote:
        yield f"{s} {t[_E['quote']]} {lit(p.quote)}"


def needs_node(r: Relation) -> bool:
    """Whether a relation says more than its named graph does (dates, role, evidence, status):
    only those get a qualified node, which keeps bulk networks near one triple per relation."""
    return bool(r.provenance.locator) or _has_details(r)


def _has_details(r: Relation) -> bool:
    """Dates, role, quote, a status other than curated or a confidence below 1."""
    p = r.provenance
    return bool(r.start or r.end or r.role or p.quote or p.status != "curated" or p.confidence != 1.0)


#: The N-Triples terms every qualified node repeats, made (and checked) once.
_NODE = {name: iri(p) for name, p in {"type": TYPE, "class": RELATION_CLASS, "from": DERIVED_FROM}.items()}
_NODE |= {name: iri(p) for name, p in _R.items()}
_QUALIFIES = (iri(QUALIFIES_SUBJECT), iri(QUALIFIES_PREDICATE), iri(QUALIFIES_OBJECT))
_PROPERTY = {kind: iri(p) for kind, p in v.RELATION_PROPERTY.items()}


def relation_triples(
    r: Relation, base: str, *, qualify: bool | None = None, terms: dict[str, str] | None = None
) -> Iterator[str]:
    """The direct triple of a relation and, when it has more to say, its qualified node.

    ``qualify`` True or False decides the node (``relations_ntriples`` does, for a whole source);
    None leaves it to ``needs_node``. ``terms`` remembers the IRI terms of ends and sources
    between calls: a membership table names each initiative and actor many times; making each
    term once cuts a third of the writing.
    """
    terms = {} if terms is None else terms
    s = _term(v.entity_iri(r.subject, base), terms)
    o = _term(v.entity_iri(r.object, base), terms)
    prop = _PROPERTY[r.kind]
    yield f"{s} {prop} {o}"
    if not (needs_node(r) if qualify is None else qualify):
        return
    n = iri(v.relation_iri(r.id, base))
    qs, qp, qo = _QUALIFIES
    yield f"{n} {_NODE['type']} {_NODE['class']}"
    yield f"{n} {qs} {s}"
    yield f"{n} {qp} {prop}"
    yield f"{n} {qo} {o}"
    if r.start:
        yield f"{n} {_NODE['start']} {date_lit(r.start)}"
    if r.end:
        yield f"{n} {_NODE['end']} {date_lit(r.end)}"
    if r.role:
        yield f"{n} {_NODE['role']} {lit(r.role)}"
    p = r.provenance
    yield f"{n} {_NODE['from']} {_term(v.source_iri(p.source, base), terms)}"
    yield f"{n} {_NODE['loader']} {lit(p.loader)}"
    yield f"{n} {_NODE['status']} {lit(p.status)}"
    yield f"{n} {_NODE['confidence']} {lit(format(p.confidence, '.3f'), datatype=v.XSD + 'decimal')}"
    if p.locator:
        yield f"{n} {_NODE['locator']} {lit(p.locator)}"
    if p.quote:
        yield f"{n} {_NODE['quote']} {lit(p.quote)}"


def _term(value: str, terms: dict[str, str]) -> str:
    """``iri(value)``, made once per value in ``terms``."""
    term = terms.get(value)
    if term is None:
        term = terms[value] = iri(value)
    return term


def cited_at_subject(r: Relation, source: Source, locators: Mapping[str, str]) -> bool:
    """Whether a relation says nothing but that ``source`` states it where its subject is.

    ``locators`` maps the source's entities to their locators. Such a relation needs no
    qualified node once the source is marked ``PLAIN_AT_SUBJECT``: the reader gives it back the
    same source, loader and locator.
    """
    p = r.provenance
    return (
        bool(p.locator)
        and locators.get(r.subject) == p.locator
        and p.source == source.id
        and p.loader == source.loader
        and not _has_details(r)
    )


def relations_ntriples(
    relations: Sequence[Relation],
    base: str,
    *,
    source: Source | None = None,
    locators: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Relations as N-Triples lines.

    Given their ``source`` and its entities' ``locators``, relations cited where their subject
    is are written as direct triples alone, the source marked ``PLAIN_AT_SUBJECT`` (last line);
    then every other relation whose subject has a locator gets a node, even a plain one, which
    the reader would otherwise take to be cited at its subject. Every relation that shares its
    direct triple with a qualified one is qualified too, because the reader takes a direct
    triple with qualified nodes to mean only what those nodes say (a plain twin would otherwise
    be lost).
    """
    at_subject: list[bool] = []
    if source is not None and locators:
        at_subject = [cited_at_subject(r, source, locators) for r in relations]
    held = locators or {}
    node = [needs_node(r) for r in relations]
    if marked := any(at_subject):
        node = [
            not cited and (n or r.subject in held)
            for r, n, cited in zip(relations, node, at_subject, strict=True)
        ]
    qualified = {(r.subject, r.kind, r.object) for r, n in zip(relations, node, strict=True) if n}
    terms: dict[str, str] = {}
    for r in relations:
        shared = (r.subject, r.kind, r.object) in qualified
        for t in relation_triples(r, base, qualify=shared, terms=terms):
            yield t + " .\n"
    if marked and source is not None:
        yield f"{iri(v.source_iri(source.id, base))} {iri(PLAIN_AT_SUBJECT)} {_TRUE} .\n"


_TRUE = lit("true", datatype=v.XSD + "boolean")


def source_triples(src: Source, base: str) -> Iterator[str]:
    """The description of a source document or dataset."""
    s = iri(v.source_iri(src.id, base))
    yield f"{s} {iri(TYPE)} {iri(v.PROV + 'Entity')}"
    yield f"{s} {iri(TYPE)} {iri(v.CKG + 'Source')}"
    yield f"{s} {iri(_S['title'])} {lit(src.title)}"
    yield f"{s} {iri(_S['loader'])} {lit(src.loader)}"
    if src.publisher:
        yield f"{s} {iri(_S['publisher'])} {lit(src.publisher)}"
    if src.url:
        yield f"{s} {iri(_S['url'])} {iri(src.url)}"
    if src.issued:
        yield f"{s} {iri(_S['issued'])} {date_lit(src.issued)}"
    if src.licence:
        yield f"{s} {iri(_S['licence'])} {lit(src.licence)}"
    if src.path:
        yield f"{s} {iri(_S['path'])} {lit(src.path)}"


def batch_ntriples(batch: Batch, base: str) -> Iterator[str]:
    """Every triple of a batch as N-Triples lines (with final dot and newline)."""
    for t in source_triples(batch.source, base):
        yield t + " .\n"
    keys: set[str] = set()
    terms: dict[str, str] = {}
    for e in batch.entities:
        for t in entity_triples(e, base, terms=terms):
            yield t + " .\n"
        keys.update(key for key, _ in e.attributes)
    for key in sorted(keys):
        yield f"{iri(attribute_property(key))} {iri(SUBPROPERTY)} {iri(ATTRIBUTE)} .\n"
    locators = {e.id: e.provenance.locator for e in batch.entities if e.provenance.locator}
    yield from relations_ntriples(batch.relations, base, source=batch.source, locators=locators)
    for alias_id, canonical_id in batch.merges:
        # a recorded merge: the alias IRI is the same entity as the canonical one
        yield f"{iri(v.entity_iri(alias_id, base))} {iri(SAME_AS)} {iri(v.entity_iri(canonical_id, base))} .\n"
        if alias_id in batch.merge_evidence:
            yield f"{iri(v.entity_iri(alias_id, base))} {iri(MERGE_EVIDENCE)} {lit(batch.merge_evidence[alias_id])} .\n"


# ---- reading ----------------------------------------------------------------------------------

#: Any RDF term Oxigraph hands back (subject, object or graph name).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph


def value(term: Term | None) -> str:
    """The lexical value of an IRI, blank node or literal; "" for anything else (default graph)."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return ""


def literal(term: Term | None) -> str:
    """The lexical form of a literal; "" for any other term."""
    return term.value if isinstance(term, ox.Literal) else ""


def source_id(term: Term | None) -> str:
    """The source id at the end of a source or graph IRI."""
    return value(term).rsplit("/", 1)[-1]


def entity_from_rdf(
    entity_id: str, kind: EntityKind, objects: Mapping[str, Sequence[Term]], *, unlabelled: str = ""
) -> Entity:
    """An entity from its statements: ``objects`` maps each predicate to its objects, in order.

    The first English label is the label (``unlabelled`` when there is none); the other labels,
    aliases and names are kept in order without repeats. Statements of several sources merge.
    """
    label = ""
    labels: dict[tuple[str, str], None] = {}
    for o in objects.get(LABEL, ()):
        lang = (o.language or "") if isinstance(o, ox.Literal) else ""
        if lang == "en" and not label:
            label = value(o)
        elif lang != "en" or value(o) != label:
            labels[(lang or "und", value(o))] = None
    wikidata = next(
        (value(o)[len(v.WD) :] for o in objects.get(SAME_AS, ()) if value(o).startswith(v.WD)), None
    )

    def one(field: str) -> str | None:
        found = objects.get(ENTITY_FIELDS[field])
        return value(found[0]) if found else None

    lat, lon, population = one("lat"), one("lon"), one("population")
    prefix = ATTRIBUTE + "/"
    attributes = sorted(
        {
            (unquote(p[len(prefix) :]), value(o))
            for p, found in objects.items()
            if p.startswith(prefix)
            for o in found
        }
    )
    derived = objects.get(DERIVED_FROM)
    return Entity(
        id=entity_id,
        kind=kind,
        label=label or unlabelled,
        labels=tuple(k for k in labels if k != ("en", label)),
        aliases=tuple(dict.fromkeys(value(o) for o in objects.get(ALT_LABEL, ()))),
        wikidata=wikidata,
        classification=one("classification"),
        description=one("description"),
        date=one("date"),
        country=one("country"),
        lat=float(lat) if lat else None,
        lon=float(lon) if lon else None,
        population=int(population) if population else None,
        attributes=tuple(attributes),
        provenance=Provenance(
            source=source_id(derived[0]) if derived else "",
            loader="",
            locator=one("locator"),
            quote=one("quote"),
            status="extracted" if one("status") == "extracted" else "curated",
        ),
    )


def relation_from_rdf(
    subject: str,
    kind: RelationKind,
    object_: str,
    node: Mapping[str, Term],
    loaded_at: str | None = None,
) -> Relation:
    """A relation from its qualified node: ``node`` maps each predicate to its (first) object."""

    def one(field: str) -> str | None:
        return literal(node.get(RELATION_FIELDS[field])) or None

    return Relation(
        subject=subject,
        kind=kind,
        object=object_,
        provenance=Provenance(
            source=source_id(node.get(DERIVED_FROM)),
            loader=one("loader") or "",
            locator=one("locator"),
            quote=one("quote"),
            confidence=float(one("confidence") or 1.0),
            status="extracted" if one("status") == "extracted" else "curated",
            loaded_at=loaded_at,
        ),
        start=one("start"),
        end=one("end"),
        role=one("role"),
    )


def plain_relation(
    subject: str,
    kind: RelationKind,
    object_: str,
    source: str,
    loader: str,
    loaded_at: str | None = None,
    locator: str | None = None,
) -> Relation:
    """A relation stated by its direct triple alone: its provenance is its named graph's source
    (and, where that source is marked ``PLAIN_AT_SUBJECT``, its subject's locator)."""
    return Relation(
        subject, kind, object_, Provenance(source=source, loader=loader, locator=locator, loaded_at=loaded_at)
    )


def source_citing_subjects(store: ox.Store, graph: ox.NamedNode) -> tuple[str, str] | None:
    """(source id, loader) of the source marked ``PLAIN_AT_SUBJECT`` in ``graph``; None when none
    is, or when several are (a dump of several sources loaded as one graph): then no plain
    relation of the graph can be told which source, and where in it, states it."""
    marked = {
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(PLAIN_AT_SUBJECT), None, graph)
        if literal(q.object) in ("true", "1")
    }
    if len(marked) != 1:
        return None
    (src,) = marked
    loaders = store.quads_for_pattern(src, ox.NamedNode(SOURCE_FIELDS["loader"]), None, graph)
    return source_id(src), next((literal(q.object) for q in loaders), "")


def subject_locators(store: ox.Store, graph: ox.NamedNode) -> dict[str, str]:
    """Every subject's (first) ``ckg:locator`` in ``graph``, by IRI: read in one sweep when a
    whole graph's plain relations are cited at their subjects."""
    found: dict[str, str] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(ENTITY_FIELDS["locator"]), None, graph):
        found.setdefault(value(q.subject), literal(q.object))
    return found
