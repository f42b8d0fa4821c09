// How each entity holds each item ($pairs: [[entity, item], …]): directly (a relation between
// them) and through which agreements both are party to. {types}: every model relationship type.
// Python: climatekg.queries.cypher_engine.partners (explanations).
UNWIND $pairs AS pair
MATCH (n:Entity {id: pair[0]}), (z:Entity {id: pair[1]})
RETURN pair[0] AS n, pair[1] AS z,
       EXISTS { (n)-[:{types}]-(z) WHERE z:City OR z:Organisation OR z:Initiative
                OR ((n:City OR n:Organisation OR n:Initiative) AND z:Technology) } AS direct,
       [(n)-[:PARTY_TO]-(ag:Agreement)-[:PARTY_TO]-(z) WHERE (n:City OR n:Organisation OR n:Initiative)
        AND (z:City OR z:Organisation OR z:Initiative) | ag.id] AS agreements
