// The relations among a set of entities ($ids) of the allowed types ({types}, fixed list), with
// their dates, for drawing a neighbourhood.
// Python: climatekg.queries.cypher_engine.neighbours (edges).
MATCH (x:Entity)-[r:{types}]->(y:Entity)
WHERE x.id IN $ids AND y.id IN $ids AND x <> y
RETURN x.id AS s, type(r) AS type, y.id AS o, r.start AS start, r.end AS end
