// Every relation between the pairs of entities of some paths ($pairs: [[a, b], …]), either
// direction, with its provenance: the evidence of each hop. {types}: the allowed relationship
// types, from the model's fixed list.
// Python: climatekg.queries.cypher_engine.paths (hop evidence).
UNWIND $pairs AS pair
MATCH (x:Entity {id: pair[0]})-[r:{types}]-(y:Entity {id: pair[1]})
RETURN DISTINCT startNode(r).id AS s, type(r) AS type, endNode(r).id AS o, r.graph AS graph,
       r.source AS source, r.loader AS loader, r.locator AS locator, r.quote AS quote,
       r.confidence AS confidence, r.status AS status, r.start AS start, r.end AS end, r.role AS role
