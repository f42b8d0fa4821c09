"""Guards for a read-only public SPARQL endpoint: what form a query has and whether it may run.

pyoxigraph has no algebra API, so the checks work in two steps:

1. a tokenizer that knows SPARQL's lexical rules for IRIs, strings (all four quote styles),
   comments, variables, prefixed names, blank-node labels and language tags, so the keyword
   ``SERVICE`` is seen only where it is a keyword (never inside ``"… SERVICE …"``,
   ``<http://x/SERVICE>``, ``# SERVICE``, ``?service`` or ``ex:service``);
2. when the tokenizer does see the keyword, rdflib's SPARQL parser and algebra confirm it: a
   ``ServiceGraphPattern`` anywhere in the algebra (a subquery, OPTIONAL, UNION, MINUS, EXISTS …)
   is refused. If rdflib cannot parse such a query it is refused too: when in doubt, no federation.

The tokenizer is the fast path (tens of microseconds); rdflib's parser takes tens of
milliseconds, so it only runs on the rare queries that contain the keyword.

pyoxigraph *does* ship an HTTP client for SERVICE, so without this guard an endpoint on a
private network would fetch any URL a caller names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from climatekg.graph.errors import ClimateKGError

# Order matters: comments, IRIs and strings are consumed whole before words are looked at.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<bnode>_:[A-Za-z0-9_\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w.\-:%\\\u00b7\u00c0-\uffff]*[\w\-:%\u00b7\u00c0-\uffff])?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Deepest nesting of (), {} and [] a query may have: parsers recurse once per level, and
#: 20 KB of brackets overflowed the stack of an endpoint worker and of the CLI.
MAX_DEPTH = 64
#: Longest query text, in characters (the endpoint also bounds request bodies, see server.py).
MAX_QUERY_CHARS = 100_000
#: Longest query that rdflib's parser is asked to inspect for SERVICE: it took 73 s on 169 KB.
MAX_INSPECTED_CHARS = 20_000
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


class QueryRefused(ClimateKGError):
    """A query this endpoint will not run (SERVICE, an update); ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class QueryShape:
    """What the tokenizer learnt: the query form (None when unrecognisable) and keyword flags."""

    form: str | None
    mentions_service: bool
    first_keyword: str | None
    names_dataset: bool = False


def nesting_problem(text: str) -> str | None:
    """Why ``text`` is too long or nested too deeply to parse, or None; no recursion, one pass.

    >>> nesting_problem("SELECT * { " + "(" * 100 + " }") is not None
    True
    """
    if len(text) > MAX_QUERY_CHARS:
        return f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
    depth = 0
    for m in _TOKEN.finditer(text):
        if m.lastgroup != "other":
            continue
        c = m.group()
        if c in "({[":
            depth += 1
            if depth > MAX_DEPTH:
                return f"the query nests brackets more than {MAX_DEPTH} deep (at character {m.start() + 1})"
        elif c in ")}]":
            depth -= 1
    return None


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, outside strings, IRIs, comments and names.

    >>> keywords('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    ['SELECT']
    >>> keywords('ASK { SERVICE <http://x/> { ?s ?p ?o } }')
    ['ASK', 'SERVICE']
    """
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def shape(text: str) -> QueryShape:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) and whether it names SERVICE.

    >>> shape("PREFIX ex: <http://e/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").form
    'CONSTRUCT'
    """
    words = keywords(text)
    # The prologue has only BASE and PREFIX, so the first other word is the form (or an update verb).
    first = next((w for w in words if w not in ("BASE", "PREFIX")), None)
    form = first if first in QUERY_FORMS else None
    return QueryShape(
        form=form, mentions_service="SERVICE" in words, first_keyword=first, names_dataset="FROM" in words
    )


def _names(node: Any) -> set[str]:
    """Names of every rdflib CompValue in a parse tree or algebra."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            found.add(n.name)
            stack.extend(n.values())
        elif isinstance(n, list | tuple):
            stack.extend(n)
    return found


def uses_service(text: str) -> bool:
    """True when the query's algebra holds a SERVICE pattern anywhere (rdflib's parser decides).

    Queries rdflib cannot parse or translate count as using SERVICE: the guard fails closed.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # any parser or translation failure: refuse rather than guess
        return True
    return "ServiceGraphPattern" in _names(algebra)


def check_query(text: str) -> QueryShape:
    """Raise :class:`QueryRefused` for an update sent as a query or a federated (SERVICE) query.

    >>> check_query("SELECT * { ?s ?p 'uses SERVICE in a string' }").form
    'SELECT'
    >>> try:
    ...     check_query("SELECT * { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }")
    ... except QueryRefused as exc:
    ...     print(exc.status, exc)
    403 SERVICE (federated query) is not allowed on this endpoint
    """
    if problem := nesting_problem(text):
        raise QueryRefused(problem, status=400)
    s = shape(text)
    if s.form is None and s.first_keyword in UPDATE_KEYWORDS:
        raise QueryRefused(
            f"{s.first_keyword} is SPARQL Update; this endpoint is read-only and answers queries only",
            status=403,
        )
    if s.mentions_service and len(text) > MAX_INSPECTED_CHARS:
        # too long to inspect quickly: fail closed rather than hold a worker for a minute
        raise QueryRefused(
            f"SERVICE appears in a query over {MAX_INSPECTED_CHARS:,} characters; federation is not allowed",
            status=403,
        )
    if s.mentions_service and uses_service(text):
        raise QueryRefused("SERVICE (federated query) is not allowed on this endpoint", status=403)
    return s
