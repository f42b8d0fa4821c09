// Organisations that provide any of $technologies yet have no city in their context (no relation
// to a city, no agreement shared with one), with what they provide.
// Python: climatekg.queries.cypher_engine.coverage (providers).
UNWIND $technologies AS tid
MATCH (o:Organisation)-[:PROVIDES]->(t:Entity {id: tid})
WITH o, collect(DISTINCT t.id) AS offered
WHERE NOT EXISTS { (o)-[:{types}]-(:City) }
  AND NOT EXISTS { (o)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(:City) }
RETURN o.id AS provider, offered
ORDER BY provider
