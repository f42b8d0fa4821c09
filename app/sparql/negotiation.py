"""Content negotiation: the media types the endpoint speaks and which one an ``Accept`` header picks.

Pure text handling (no pyoxigraph, no Starlette), shared by the server, its workers and the
serialisers in ``results``.
"""

from __future__ import annotations

from collections.abc import Sequence

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

#: Offers per result kind, best default first. Aliases map to the canonical type.
SELECT_TYPES = (JSON_RESULTS, XML_RESULTS, CSV, TSV)
ASK_TYPES = (JSON_RESULTS, XML_RESULTS)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)
ALIASES = {
    "application/json": JSON_RESULTS,
    "application/xml": XML_RESULTS,
    "text/xml": XML_RESULTS,
    "application/x-turtle": TURTLE,
    "text/plain": NTRIPLES,  # N-Triples' historical media type
    "application/x-json+ld": JSONLD,
}
#: Text types: answered with ``; charset=utf-8``.
TEXTUAL = {CSV, TSV, TURTLE, NTRIPLES}


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header prefers (q-values, wildcards, aliases), None when none fits.

    Ties keep the order of ``offers`` (the server's preference); a missing header gets the first.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SELECT_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("text/*", GRAPH_TYPES)
    'text/turtle'
    >>> negotiate("image/png", SELECT_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0]
    prefs: list[tuple[str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        prefs.append((ALIASES.get(media, media), q))
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, offer in enumerate(offers):
        main = offer.split("/")[0]
        # The most specific matching range decides the offer's q (RFC 9110 §12.5.1).
        matches = [
            (spec, q)
            for media, q in prefs
            for spec in (
                (3 if media == offer else 2 if media == f"{main}/*" else 1 if media == "*/*" else 0),
            )
            if spec
        ]
        if not matches:
            continue
        spec, q = max(matches)
        if q <= 0:
            continue
        key = (q, spec, -rank)
        if best is None or key > best:
            best, choice = key, offer
    return choice
