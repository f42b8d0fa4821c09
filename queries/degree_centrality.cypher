// The $top entities with the most distinct neighbours (any model relation, either direction).
// The degree store gives each node's relationship count at no cost; distinct neighbours are
// counted only for nodes whose relationship count can still beat the current $floor.
// {types}: every model relationship type (fixed list).
// Python: climatekg.queries.cypher_engine.centrality.centrality(kg, "degree").
MATCH (e:Entity)
WITH e, COUNT { (e)-[:{types}]-() } AS rels
WHERE rels >= $floor
CALL (e) {
  MATCH (e)-[:{types}]-(w)
  WHERE w <> e
  RETURN count(DISTINCT w) AS degree
}
RETURN e.id AS id, degree
ORDER BY degree DESC, id
LIMIT $top
