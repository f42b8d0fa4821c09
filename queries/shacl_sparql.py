"""SHACL validation compiled to SPARQL and run by Oxigraph: the fast path of ``climatekg validate``.

pySHACL walks every focus node and value in Python: ~90 s for 116k triples, past 150 s and 1.3 GB
at 457k. The project's shapes (graph/shapes.ttl) use only targets by class and by subject of a
property, simple predicate paths, value tests (class, datatype, node kind, in, pattern, ranges,
length, language, and their or/not/node combinations), counts (min, max, qualified) and two SPARQL
constraints. Each such constraint is one SPARQL query over the whole data, which Oxigraph answers
in Rust. A shape that uses anything else is refused with :class:`ShapeNotSupported` (no silent
gaps); tests/queries/test_shacl_equivalence.py checks the reports against pySHACL's.

pySHACL is run with ``inference="rdfs"`` and the ontology as its ``ont_graph``; the same axioms
of the ontology and the same entailments (rdfs:subPropertyOf, rdfs:domain, rdfs:range,
rdfs:subClassOf, from the ontology and from the data) are added to an in-memory copy of the store
before the queries run; the store itself is not changed. One entailment cannot be copied: when the
data declares an rdfs:range class for a property with literal values, pySHACL's reasoner types
the literals themselves (``"A"@en a ckg:City``) and reports them; RDF (and Oxigraph) cannot hold a
literal subject, so here they are not.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pyoxigraph as ox

from climatekg.graph import vocab as v

#: A node of the shapes graph or of a result.
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
SH = v.SH
XSD = "http://www.w3.org/2001/XMLSchema#"
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: Properties that describe a shape without constraining anything.
INERT = {SH + p for p in ("message", "severity", "name", "description", "order", "group")}
TARGETS = {"targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"}
#: Parameters of the value-node components (each value passes or fails on its own), each its own
#: sh:...ConstraintComponent. (sh:hasValue is not one: it asks that some value be the given one.)
VALUE_PARAMS = (
    "class", "datatype", "nodeKind", "in", "pattern", "languageIn", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "node", "not", "or", "and",
)  # fmt: skip
#: Component names that differ from the parameter name with its first letter raised.
COMPONENT = {"nodeKind": "NodeKind", "in": "In", "or": "Or", "not": "Not", "and": "And", "node": "Node"}
#: Parameters read together with another one, not constraints of their own.
COMPANIONS = {"flags", "qualifiedMinCount", "qualifiedMaxCount", "select"}


class ShapeNotSupported(ValueError):
    """A shape uses a SHACL feature this engine does not compile (use ``--engine pyshacl``)."""


@dataclass(frozen=True, order=True)
class ShaclResult:
    """One validation result: the focus node and value as IRIs, or other terms in N-Triples form
    ("" when there is no value)."""

    focus: str
    path: str
    component: str
    severity: str
    value: str
    message: str


def validate_ntriples(data: bytes, shapes_ttl: str, ontology_ttl: str) -> list[ShaclResult]:
    """Every result of ``shapes_ttl`` on ``data`` (N-Triples) with RDFS inference over ``ontology_ttl``.

    Examples:
        >>> validate_ntriples(b"", v.shapes_text(), v.ontology_text())
        []
    """
    g = ox.Store()
    if data:
        g.bulk_load(data, ox.RdfFormat.N_TRIPLES)
    return validate_in_place(g, shapes_ttl, ontology_ttl)


def validate_copy(store: ox.Store, shapes_ttl: str, ontology_ttl: str) -> list[ShaclResult]:
    """Every result on the union of ``store``'s graphs, which is left as it is: the entailments go
    into an in-memory copy. (A checkpoint of the on-disk store would cost no copy, but Oxigraph
    answers the same queries there about twice as slowly: 16 s against 7 s at 475k triples.)"""
    g = ox.Store()
    g.extend(store)
    return validate_in_place(g, shapes_ttl, ontology_ttl)


def validate_in_place(g: ox.Store, shapes_ttl: str, ontology_ttl: str) -> list[ShaclResult]:
    """Every result on the union of ``g``'s graphs; the ontology and the entailments are added to
    ``g``'s default graph, so ``g`` must be a scratch copy."""
    shapes = ox.Store()
    shapes.load(shapes_ttl, ox.RdfFormat.TURTLE)
    g.load(ontology_axioms(ontology_ttl), ox.RdfFormat.N_TRIPLES)
    infer_rdfs(g)
    queries = list(Compiler(shapes, ill_typed(g, shapes)).queries())
    results = []
    for sparql, group in itertools.groupby(queries, key=lambda q: q.sparql):
        checks = list(group)  # constraints on the same values, answered by one query
        for row in g.query(sparql, use_default_graph_as_union=True):  # type: ignore[union-attr]
            for q in checks:
                if q.flag and row[q.flag] != TRUE:
                    continue
                value = row[q.value] if q.value else None
                results.append(
                    ShaclResult(
                        _n(row[q.focus]),
                        q.path,
                        q.component,
                        q.severity,
                        _n(value) if value else "",
                        q.message,
                    )
                )
    return sorted(results)


def ontology_axioms(ontology_ttl: str) -> bytes:
    """What pySHACL mixes into the data from its ``ont_graph`` (N-Triples): not the whole ontology
    but its RDFS and OWL axioms (class and property declarations, subclass, sub-property, domain,
    range, labels), by pySHACL's own ``inoculate``. The ontology's other statements (its title, the
    technology scheme) stay out, so a domain declared in the data cannot make them focus nodes."""
    import rdflib
    from pyshacl.rdfutil.inoculate import inoculate

    ontology = rdflib.Graph().parse(data=ontology_ttl, format="turtle")
    return inoculate(rdflib.Graph(), ontology).serialize(format="nt", encoding="utf-8")  # type: ignore[arg-type]


def infer_rdfs(g: ox.Store) -> None:
    """Add what pySHACL's RDFS inference adds that shapes can see: super-property triples (rdfs7),
    types from domains and ranges (rdfs2, rdfs3) and super-class types (rdfs9), in that order so
    each step sees the triples the one before it added. Read from every graph, written to the
    default graph."""
    for rule in (
        f"CONSTRUCT {{ ?s ?q ?o }} WHERE {{ ?p <{RDFS}subPropertyOf>+ ?q . FILTER(?p != ?q) ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s a ?c }} WHERE {{ ?p <{RDFS}domain> ?c . ?s ?p ?o }}",
        f"CONSTRUCT {{ ?o a ?c }} WHERE {{ ?p <{RDFS}range> ?c . ?s ?p ?o FILTER(!isLiteral(?o)) }}",
        f"CONSTRUCT {{ ?x a ?d }} WHERE {{ ?c <{RDFS}subClassOf>+ ?d . ?x a ?c }}",
    ):
        found = g.query(rule, use_default_graph_as_union=True)
        g.extend([ox.Quad(t.subject, t.predicate, t.object) for t in found])  # type: ignore[union-attr]


def ill_typed(g: ox.Store, shapes: ox.Store) -> list[str]:
    """The literals on the shapes' paths, of a datatype the shapes name, that rdflib (so pySHACL)
    finds ill-typed ("abc"^^xsd:double), in N-Triples form: they fail sh:datatype."""
    import logging

    import rdflib

    found = shapes.quads_for_pattern(None, ox.NamedNode(SH + "path"), None)
    paths = " ".join(str(q.object) for q in found if isinstance(q.object, ox.NamedNode))
    used = {q.object for q in shapes.quads_for_pattern(None, ox.NamedNode(SH + "datatype"), None)}
    types = ", ".join(str(t) for t in used if isinstance(t, ox.NamedNode))
    if not paths or not types:
        return []
    rows = g.query(
        f"SELECT DISTINCT ?o WHERE {{ VALUES ?p {{ {paths} }} ?s ?p ?o "
        f"FILTER(isLiteral(?o) && datatype(?o) IN ({types})) }}",
        use_default_graph_as_union=True,
    )
    bad = []
    log = logging.getLogger("rdflib.term")
    level, log.level = log.level, logging.CRITICAL  # rdflib logs a traceback for each bad literal
    try:
        for (lit,) in rows:  # type: ignore[union-attr]
            if rdflib.Literal(lit.value, datatype=rdflib.URIRef(lit.datatype.value)).ill_typed:
                bad.append(str(lit))
    finally:
        log.level = level
    return bad


def _n(term: object) -> str:
    """A term in N-Triples form (IRIs bare, as report rows give them)."""
    return term.value if isinstance(term, ox.NamedNode) else str(term)


@dataclass(frozen=True)
class Query:
    """One constraint of one shape as SPARQL: each solution (where ``flag`` is true) is one result."""

    sparql: str
    path: str
    component: str
    severity: str
    message: str
    value: str  # the variable holding sh:value: "v", "this" or "" for none
    focus: str = "this"  # the variable holding the focus node ("v" in an sh:node failure's details)
    targets: str = ""  # the subquery in ``sparql`` that selects the shape's focus nodes
    flag: str = ""  # when several constraints share ``sparql``: the variable true where this one fails


class Compiler:
    """Turns the shapes graph into one :class:`Query` per constraint."""

    def __init__(self, shapes: ox.Store, ill_typed: list[str]) -> None:
        self.g = shapes
        self.ill_typed = ill_typed

    def objects(self, node: ox.NamedNode | ox.BlankNode, prop: str) -> list[Term]:
        return [q.object for q in self.g.quads_for_pattern(node, ox.NamedNode(SH + prop), None)]

    def one(self, node: ox.NamedNode | ox.BlankNode, prop: str) -> Term | None:
        found = self.objects(node, prop)
        if len(found) > 1:
            raise ShapeNotSupported(f"{node} has {len(found)} sh:{prop}")
        return found[0] if found else None

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        out, rdf = [], "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        while head != ox.NamedNode(rdf + "nil"):
            out.append(next(self.g.quads_for_pattern(head, ox.NamedNode(rdf + "first"), None)).object)  # type: ignore[arg-type]
            head = next(self.g.quads_for_pattern(head, ox.NamedNode(rdf + "rest"), None)).object  # type: ignore[arg-type]
        return out

    def params(self, node: Term) -> set[str]:
        """The sh: parameters a shape uses (properties outside sh: mean nothing to SHACL)."""
        found = set()
        for q in self.g.quads_for_pattern(node, None, None):  # type: ignore[arg-type]
            p = q.predicate.value
            if p.startswith(SH) and p not in INERT:
                found.add(p[len(SH) :])
        return found

    def queries(self) -> Iterator[Query]:
        """Every shape with a target, and the property shapes it holds, as queries."""
        shapes = {
            q.subject for t in TARGETS for q in self.g.quads_for_pattern(None, ox.NamedNode(SH + t), None)
        }
        for shape in sorted(shapes, key=str):
            yield from self.shape_queries(shape, self.focus(shape))  # type: ignore[arg-type]

    def focus(self, shape: ox.NamedNode | ox.BlankNode) -> str:
        """A subquery binding ?this to each focus node once."""
        parts = [f"{{ ?this a {c} }}" for c in self.objects(shape, "targetClass")]
        parts += [f"{{ ?this {p} [] }}" for p in self.objects(shape, "targetSubjectsOf")]
        parts += [f"{{ [] {p} ?this }}" for p in self.objects(shape, "targetObjectsOf")]
        parts += [f"{{ VALUES ?this {{ {n} }} }}" for n in self.objects(shape, "targetNode")]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    def shape_queries(self, shape: ox.NamedNode | ox.BlankNode, focus: str) -> Iterator[Query]:
        """The queries of one shape for the focus nodes ``focus`` selects."""
        params = self.params(shape) - TARGETS
        path = self.one(shape, "path")
        severity = self.one(shape, "severity")
        sev = severity.value.rsplit("#", 1)[-1] if isinstance(severity, ox.NamedNode) else "Violation"
        messages = self.objects(shape, "message")

        def query(sparql: str, component: str, value: str) -> Query:
            if not messages:
                raise ShapeNotSupported(f"{shape} reports without an sh:message")
            p = path.value if isinstance(path, ox.NamedNode) else ""
            component = SH + component + "ConstraintComponent"
            return Query(sparql, p, component, sev, messages[0].value, value, targets=focus)  # type: ignore[union-attr]

        if path is not None and not isinstance(path, ox.NamedNode):
            raise ShapeNotSupported(f"{shape}: only predicate paths are compiled, not {path}")
        values = f"{focus} ?this {path} ?v ." if path is not None else f"{focus} BIND(?this AS ?v)"
        var = "v" if path is not None else "this"
        failures: list[tuple[str, Query]] = []  # each value test: when it fails, and what it reports
        counts: list[tuple[str, Query]] = []
        for param in sorted(params - {"path", "property", "sparql", "qualifiedValueShape"} - COMPANIONS):
            if param in VALUE_PARAMS:
                for arg in self.objects(shape, param):
                    cond = self.test(param, arg, "?v", shape)
                    failures.append(
                        (f"!({cond})", query("", COMPONENT.get(param, param[0].upper() + param[1:]), var))
                    )
                    if param == "node":
                        failures += self.details(arg, focus, cond)  # type: ignore[arg-type]
            elif param in ("minCount", "maxCount") and path is not None:
                n = int(self.one(shape, param).value)  # type: ignore[union-attr]
                fails = f"COUNT(DISTINCT ?v) < {n}" if param == "minCount" else f"COUNT(DISTINCT ?v) > {n}"
                counts.append((fails, query("", param[0].upper() + param[1:], "")))
            elif param == "uniqueLang" and path is not None:
                if self.one(shape, param) == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")):
                    sparql = (
                        f"SELECT ?this WHERE {{ {values} FILTER(isLiteral(?v) && lang(?v) != '') "
                        "BIND(LCASE(lang(?v)) AS ?l) } GROUP BY ?this ?l HAVING (COUNT(DISTINCT ?v) > 1)"
                    )
                    yield query(sparql, "UniqueLang", "")
            else:
                raise ShapeNotSupported(f"{shape} uses sh:{param}")
        if failures:
            binds = " ".join(f"BIND({fails} AS ?f{i})" for i, (fails, _) in enumerate(failures))
            flags = " || ".join(f"?f{i}" for i in range(len(failures)))
            sparql = f"SELECT * WHERE {{ {values} {binds} FILTER({flags}) }}"
            yield from (replace(q, sparql=sparql, flag=f"f{i}") for i, (_, q) in enumerate(failures))
        if counts:
            flags = " ".join(f"({fails} AS ?f{i})" for i, (fails, _) in enumerate(counts))
            having = " || ".join(fails for fails, _ in counts)
            sparql = (
                f"SELECT ?this {flags} WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                f"GROUP BY ?this HAVING ({having})"
            )
            yield from (replace(q, sparql=sparql, flag=f"f{i}") for i, (_, q) in enumerate(counts))
        if "qualifiedValueShape" in params and path is not None:
            cond = self.conforms(self.one(shape, "qualifiedValueShape"), "?v")  # type: ignore[arg-type]
            for param, op in (("qualifiedMinCount", "<"), ("qualifiedMaxCount", ">")):
                bound = self.one(shape, param)
                if bound is not None:
                    sparql = (
                        f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v FILTER({cond}) }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {op} {int(bound.value)})"  # type: ignore[union-attr]
                    )
                    yield query(sparql, param[0].upper() + param[1:], "")
        for constraint in self.objects(shape, "sparql"):
            yield self.sparql_constraint(constraint, focus, sev)  # type: ignore[arg-type]
        for prop in self.objects(shape, "property"):
            yield from self.shape_queries(prop, focus)  # type: ignore[arg-type]

    def details(self, nested: ox.NamedNode | ox.BlankNode, focus: str, cond: str) -> list[tuple[str, Query]]:
        """What pySHACL reports as the sh:detail of an sh:node failure: each constraint of the nested
        shape that the value breaks, with the value as focus node (pySHACL's report lists them too)."""
        params = self.params(nested)
        messages = self.objects(nested, "message")
        if "path" in params or not messages:
            raise ShapeNotSupported(f"{nested}: sh:node is compiled for node shapes with an sh:message")
        severity = self.one(nested, "severity")
        sev = severity.value.rsplit("#", 1)[-1] if isinstance(severity, ox.NamedNode) else "Violation"  # type: ignore[union-attr]
        found = []
        for param in sorted(params):
            for arg in self.objects(nested, param):
                test = self.test(param, arg, "?v", nested)
                component = SH + COMPONENT.get(param, param[0].upper() + param[1:]) + "ConstraintComponent"
                detail = Query("", "", component, sev, messages[0].value, "v", focus="v", targets=focus)  # type: ignore[union-attr]
                found.append((f"!({cond}) && !({test})", detail))
        return found

    def sparql_constraint(self, constraint: ox.NamedNode | ox.BlankNode, focus: str, severity: str) -> Query:
        """An sh:sparql SELECT joined to the focus nodes; each row is a result for its $this."""
        extra = self.params(constraint) - {"select"}
        if extra:
            raise ShapeNotSupported(f"{constraint} uses sh:{sorted(extra)[0]}")
        select = self.one(constraint, "select").value  # type: ignore[union-attr]
        if re.search(r"\$(?!this\b)\w+", select):
            raise ShapeNotSupported(f"{constraint}: only $this is pre-bound")
        message = self.objects(constraint, "message")
        if not message:
            raise ShapeNotSupported(f"{constraint} reports without an sh:message")
        sparql = f"SELECT ?this WHERE {{ {focus} {{ {select.replace('$this', '?this')} }} }}"
        component = SH + "SPARQLConstraintComponent"
        return Query(sparql, "", component, severity, message[0].value, "this", targets=focus)  # type: ignore[union-attr]

    def conforms(self, shape: Term, var: str) -> str:
        """A SPARQL expression true when ``var`` conforms to a nested shape (value tests only)."""
        params = self.params(shape)
        if not params:
            return "true"
        tests = []
        for param in sorted(params):
            if param not in VALUE_PARAMS:
                raise ShapeNotSupported(f"{shape}: sh:{param} inside sh:or/sh:not/sh:node is not compiled")
            tests += [self.test(param, arg, var, shape) for arg in self.objects(shape, param)]  # type: ignore[arg-type]
        return " && ".join(f"({t})" for t in tests)

    def test(self, param: str, arg: Term, var: str, shape: Term) -> str:
        """A SPARQL expression true when ``var`` passes one value-node constraint, never an error
        (an error would drop the row from ``FILTER(!test)`` and hide the violation)."""
        return f"COALESCE({self._test(param, arg, var, shape)}, false)"

    def _test(self, param: str, arg: Term, var: str, shape: Term) -> str:
        if param == "class":
            return f"EXISTS {{ {var} a {arg} }}"
        if param == "datatype":
            ill = "".join(f" && !sameTerm({var}, {lit})" for lit in self.ill_typed)
            return f"isLiteral({var}) && datatype({var}) = {arg}{ill}"
        if param == "nodeKind":
            kinds = {"IRI": "isIRI(V)", "Literal": "isLiteral(V)", "BlankNode": "isBlank(V)"}
            kinds |= {
                "BlankNodeOrIRI": "!isLiteral(V)",
                "IRIOrLiteral": "!isBlank(V)",
                "BlankNodeOrLiteral": "!isIRI(V)",
            }
            return kinds[arg.value.rsplit("#", 1)[-1]].replace("V", var)  # type: ignore[union-attr]
        if param == "in":
            return " || ".join(f"sameTerm({var}, {m})" for m in self.items(arg)) or "false"
        if param == "pattern":
            flags = self.one(shape, "flags")  # type: ignore[arg-type]
            extra = f", {flags}" if flags is not None else ""
            return f"!isBlank({var}) && REGEX(STR({var}), {arg}{extra})"
        if param == "languageIn":
            langs = [m.value.lower() for m in self.items(arg)]  # type: ignore[union-attr]
            if "*" in langs:
                return f"isLiteral({var}) && lang({var}) != ''"
            full = ", ".join(f'"{lang}"' for lang in langs)
            return f"LCASE(lang({var})) IN ({full}) || STRBEFORE(CONCAT(LCASE(lang({var})), '-'), '-') IN ({full})"
        ops = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
        if param in ops:
            return f"isLiteral({var}) && COALESCE({var} {ops[param]} {arg}, false)"
        if param in ("minLength", "maxLength"):
            op = ">=" if param == "minLength" else "<="
            return f"!isBlank({var}) && STRLEN(STR({var})) {op} {int(arg.value)}"  # type: ignore[union-attr]
        if param == "node":
            return self.conforms(arg, var)
        if param == "not":
            return f"!({self.conforms(arg, var)})"
        members = [f"({self.conforms(m, var)})" for m in self.items(arg)]
        return (" || " if param == "or" else " && ").join(members) or ("false" if param == "or" else "true")
