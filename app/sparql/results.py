"""SPARQL answers as bytes: Query Results JSON, XML, CSV and TSV, booleans, and RDF for graph answers.

The serialisers the endpoint's workers, the ``climatekg sparql`` command and the explorer's SPARQL
page share; they take pyoxigraph terms and never touch a store.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from climatekg.app.sparql.negotiation import (
    CSV,
    JSON_RESULTS,
    JSONLD,
    NTRIPLES,
    RDFXML,
    TSV,
    TURTLE,
    XML_RESULTS,
)
from climatekg.graph import vocab as v

_XSD_STRING = v.XSD + "string"


def _json_term(t: Any) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    # RDF 1.2 triple terms
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(t.subject),
            "predicate": _json_term(t.predicate),
            "object": _json_term(t.object),
        },
    }


def results_json(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 Query Results JSON for a SELECT."""
    bindings = [
        {var: _json_term(t) for var, t in zip(variables, row, strict=True) if t is not None} for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
        f"</predicate><object>{_xml_term(t.object)}</object></triple>"
    )


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def results_xml(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL Query Results XML for a SELECT."""
    parts = [
        _XML_HEAD,
        "<head>",
        *(f"<variable name={quoteattr(n)}/>" for n in variables),
        "</head><results>",
    ]
    for row in rows:
        parts.append("<result>")
        parts.extend(
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(variables, row, strict=True)
            if t is not None
        )
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


def boolean_json(value: bool) -> bytes:
    """SPARQL JSON for an ASK."""
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def boolean_xml(value: bool) -> bytes:
    """SPARQL XML for an ASK."""
    return f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


def csv_term(t: Any) -> str:
    """A term as SPARQL CSV writes it: IRIs and literal values plain, blank nodes as ``_:label``."""
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value
    return str(t)


def results_csv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 CSV: plain values (IRIs and literal lexical forms), CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for row in rows:
        w.writerow([csv_term(t) for t in row])
    return buf.getvalue().encode("utf-8")


def results_tsv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """SPARQL 1.1 TSV: terms in N-Triples/Turtle syntax (tabs and newlines escaped by it)."""
    lines = ["\t".join("?" + n for n in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


#: How an RDF answer is written, by media type.
RDF_FORMAT = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
}
SELECT_WRITERS = {JSON_RESULTS: results_json, XML_RESULTS: results_xml, CSV: results_csv, TSV: results_tsv}
BOOLEAN_WRITERS = {JSON_RESULTS: boolean_json, XML_RESULTS: boolean_xml}


def serialize_triples(triples: Sequence[ox.Triple], media: str, base: str) -> bytes:
    """Triples in an RDF syntax, with the project's prefixes where the syntax has them."""
    fmt = RDF_FORMAT[media]
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt) or b""
    return ox.serialize(triples, format=fmt, prefixes=v.prefixes(base)) or b""
