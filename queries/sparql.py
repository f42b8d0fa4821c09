"""SPARQL on the embedded store: the saved ``queries/*.rq`` texts and a runner with bound variables.

Values are bound through pyoxigraph's ``substitutions`` (never pasted into the text); a bound
variable must appear in the query's SELECT clause. The default graph is the union of every
source's named graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, rdf_store

Row = tuple[Any, ...]


def saved_queries() -> dict[str, str]:
    """Every saved query by name (the ``.rq`` file name without its extension), sorted.

    Examples:
        >>> sorted(saved_queries())[:3]
        ['cohort_gaps', 'cohort_gaps_by_role', 'coverage']
    """
    folder = resources.files("climatekg.queries")
    found = {item.name[: -len(".rq")]: item for item in folder.iterdir() if item.name.endswith(".rq")}
    return {name: found[name].read_text(encoding="utf-8") for name in sorted(found)}


def saved_query(name: str) -> str:
    """One saved query's text; ClimateKGError naming the saved queries when there is none."""
    queries = saved_queries()
    if name not in queries:
        raise ClimateKGError(f"no saved query {name!r} (one of {', '.join(queries)})")
    return queries[name]


def run_sparql(
    kg: Store, text: str, bindings: Mapping[str, Any] | None = None, *, union: bool = True
) -> tuple[list[str], list[Row]]:
    """Run a SPARQL query on ``kg``'s embedded store; (variable names, rows of pyoxigraph terms).

    ``bindings`` maps variable names (with or without ``?``) to a pyoxigraph term or a string:
    an entity id (``city/shenzhen``) or an absolute IRI, both bound as IRIs — pass a
    ``pyoxigraph.Literal`` for anything else. Unbound cells are None. ASK gives one
    ``boolean`` column; CONSTRUCT and DESCRIBE give ``subject``, ``predicate``, ``object``.
    ``union=False`` for a query with FROM / FROM NAMED: its own dataset then applies (Oxigraph's
    union default graph would override it).

    Examples:
        >>> names, rows = run_sparql(kg, saved_query("neighbours"), {"entity": "org/iclei-usa"})
        >>> names
        ['entity', 'neighbour', 'relation', 'direction']
        >>> [(term_value(kg, r[1]), term_value(kg, r[3])) for r in rows]
        [('org/iclei', 'out'), ('person/angie-fyfe', 'in')]
    """
    import pyoxigraph as ox

    substitutions = {}
    for name, value in (bindings or {}).items():
        try:
            substitutions[ox.Variable(name.lstrip("?$"))] = _term(kg, value)
        except ValueError as exc:
            raise ClimateKGError(f"cannot bind ?{name.lstrip('?$')} to {value!r}: {exc}") from None
    dataset = rdf_store(kg, "SPARQL").oxigraph()
    try:
        result = dataset.query(text, use_default_graph_as_union=union, substitutions=substitutions)
    except SyntaxError as exc:
        raise ClimateKGError(f"SPARQL syntax error: {' '.join(str(exc).split())}") from None
    except (RuntimeError, ValueError) as exc:
        raise ClimateKGError(f"SPARQL query failed: {' '.join(str(exc).split())}") from None
    if isinstance(result, ox.QueryBoolean):
        return ["boolean"], [(ox.Literal(bool(result)),)]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in result]
    names = [var.value for var in result.variables]
    return names, [tuple(solution[i] for i in range(len(names))) for solution in result]


def _term(kg: Store, value: Any) -> Any:
    import pyoxigraph as ox

    if not isinstance(value, str):
        return value
    if "://" in value or value.startswith("urn:"):
        return ox.NamedNode(value)
    return ox.NamedNode(v.entity_iri(value, kg.base))


def term_value(kg: Store, term: Any) -> Any:
    """A term as plain Python: our entity IRIs as ids, other IRIs as text, literals as their text.

    Examples:
        >>> import pyoxigraph as ox
        >>> term_value(kg, ox.NamedNode(kg.base + "id/city/shenzhen")), term_value(kg, ox.Literal("2"))
        ('city/shenzhen', '2')
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return v.iri_entity_id(term.value, kg.base) or term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
