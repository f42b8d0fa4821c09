"""Degree centrality on Neo4j, from the server's degree store; other measures are refused."""

from __future__ import annotations

from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.graph.stores.neo4j_store.codec import REL_TYPE
from climatekg.queries import limits
from climatekg.queries.cypher_engine.refused import refusal
from climatekg.queries.cypher_engine.statements import on_neo4j, statement
from climatekg.queries.labels import labels
from climatekg.queries.results import Central, Ranking


def centrality(store: Store, measure: str = "degree", top: int = 20, exact: bool = False) -> Ranking:
    """``queries.structure.centrality`` on the server, for ``degree`` (distinct entities tied).

    The degree store gives every node's relationship count; distinct neighbours are counted
    only for nodes whose count can reach the ``top``-th best. Betweenness and PageRank are not
    supported on Neo4j (see ``refused.py``); degree is always exact.
    """
    kg = on_neo4j(store)
    limits.check_measure(measure)
    if measure != "degree":
        raise refusal(f"centrality measure {measure!r}")
    # The nodes with most relationships (degree store, no traversal) bound the answer from
    # below: the top-th distinct degree among them is a floor no node under it can reach.
    probe = kg.run_read(
        "MATCH (e:Entity) WITH e, COUNT { (e)-[:" + "|".join(REL_TYPE.values()) + "]-() } AS rels "
        "RETURN e.id AS id ORDER BY rels DESC, id LIMIT $top",
        top=max(top, 0),
    )
    degrees = sorted((d for _, d in _degrees(kg, [r["id"] for r in probe])), reverse=True)
    floor = degrees[top - 1] if top > 0 and len(degrees) >= top else 0
    rows = kg.run_read(statement("degree_centrality"), floor=floor, top=max(top, 0))
    ranked = [(r["id"], r["degree"]) for r in rows]
    named = labels(kg, (eid for eid, _ in ranked))
    ranking = Ranking(
        Central(eid, named[eid][0], named[eid][1], score=float(degree), degree=int(degree))
        for eid, degree in ranked
    )
    ranking.measure, ranking.method = measure, "exact"
    return ranking


def _degrees(kg: Neo4jStore, ids: list[str]) -> list[tuple[str, int]]:
    rows = kg.run_read(
        "UNWIND $ids AS id MATCH (e:Entity {id: id}) "
        "CALL (e) { MATCH (e)-[:" + "|".join(REL_TYPE.values()) + "]-(w) WHERE w <> e "
        "RETURN count(DISTINCT w) AS degree } RETURN id, degree",
        ids=ids,
    )
    return [(r["id"], r["degree"]) for r in rows]
