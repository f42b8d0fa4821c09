"""SHACL validation by pySHACL: the reference that the fast path (queries/shacl_sparql.py) is
checked against, and ``climatekg validate --engine pyshacl``.

pySHACL runs with the ontology as its ``ont_graph`` and RDFS inference, as graph/shapes.ttl is
written for. One shape is checked outside it: rdflib walks ``$this skos:broader+ $this`` with one
Python recursion per step, so a 1,100-step chain overflows the stack; ``_broader_cycles`` finds
the same nodes with networkx's strongly connected components.
"""

from __future__ import annotations

from typing import Any

from climatekg.graph import vocab as v
from climatekg.queries.shacl_sparql import ShaclResult

#: The shape whose SPARQL constraint (``$this skos:broader+ $this``) rdflib evaluates by one Python
#: recursion per step: a 1,100-step chain overflows the stack. It is checked iteratively instead.
CYCLE_SHAPE = "https://w3id.org/climatekg/shapes#Technology"


def validate_ntriples(data: bytes, shapes_ttl: str, ontology_ttl: str) -> list[ShaclResult]:
    """Every result pySHACL reports for ``shapes_ttl`` on ``data`` (N-Triples), RDFS inference on.

    Examples:
        >>> validate_ntriples(b"", v.shapes_text(), v.ontology_text())
        []
    """
    import pyshacl
    import rdflib

    g = rdflib.Graph()
    g.parse(data=data, format="nt")
    shapes = rdflib.Graph().parse(data=shapes_ttl, format="turtle")
    ontology = rdflib.Graph().parse(data=ontology_ttl, format="turtle")
    results = _broader_cycles(g, shapes)
    _, report, _ = pyshacl.validate(g, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    sh = rdflib.Namespace(v.SH)
    for r in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        path, value = report.value(r, sh.resultPath), report.value(r, sh.value)
        results.append(
            ShaclResult(
                focus=_n(report.value(r, sh.focusNode)),
                path=str(path) if path is not None else "",
                component=str(report.value(r, sh.sourceConstraintComponent)),
                severity=str(report.value(r, sh.resultSeverity)).rsplit("#", 1)[-1],
                value=_n(value) if value is not None else "",
                message=str(report.value(r, sh.resultMessage) or ""),
            )
        )
    return sorted(results)


def _n(term: Any) -> str:
    """A term as N-Triples (IRIs bare), as the fast path writes them."""
    import rdflib

    return str(term) if isinstance(term, rdflib.URIRef) else term.n3()


def _broader_cycles(data: Any, shapes: Any) -> list[ShaclResult]:
    """The results ``CYCLE_SHAPE`` reports, found without recursion; its constraint leaves ``shapes``.

    A node is broader than itself exactly when it lies in a strongly connected component of the
    skos:broader graph with more than one node, or has a broader edge to itself.
    """
    import networkx as nx
    import rdflib

    sh = rdflib.Namespace(v.SH)
    shape = rdflib.URIRef(CYCLE_SHAPE)
    constraint = shapes.value(shape, sh.sparql)
    message = str(shapes.value(constraint, sh.message))
    target = shapes.value(shape, sh.targetClass)
    for triple in list(shapes.triples((constraint, None, None))):
        shapes.remove(triple)
    shapes.remove((shape, sh.sparql, constraint))
    G = nx.DiGraph()
    G.add_edges_from(data.subject_objects(rdflib.URIRef(v.SKOS + "broader")))
    looped = {n for component in nx.strongly_connected_components(G) if len(component) > 1 for n in component}
    looped |= set(nx.nodes_with_selfloops(G))
    component = v.SH + "SPARQLConstraintComponent"
    return [
        ShaclResult(_n(n), "", component, "Violation", _n(n), message)
        for n in looped
        if (n, rdflib.RDF.type, target) in data
    ]
