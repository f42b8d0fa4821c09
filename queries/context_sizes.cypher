// The size of each item's context ($ids): for an actor (City, Organisation, Initiative), the
// actors and technologies tied to it plus the co-parties of its agreements; for anything else,
// the actors tied to it. Adamic-Adar weighs a shared item by 1 / ln(this size).
// {types}: every model relationship type (fixed list).
// Python: climatekg.queries.cypher_engine.statements.contexts (cohort_gaps).
UNWIND $ids AS id
MATCH (x:Entity {id: id})
CALL (x) {
  MATCH (x)-[:{types}]-(w:Entity)
  WHERE w <> x AND (w:City OR w:Organisation OR w:Initiative
                    OR ((x:City OR x:Organisation OR x:Initiative) AND w:Technology))
  RETURN w.id AS item
  UNION
  MATCH (x)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(w:Entity)
  WHERE (x:City OR x:Organisation OR x:Initiative) AND w <> x AND (w:City OR w:Organisation OR w:Initiative)
  RETURN w.id AS item
}
RETURN id, collect(item) AS context
