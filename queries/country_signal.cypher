// What the country signal learns from (queries/country_signal.py): the actors (City,
// Organisation) stated in each country, and the pairs of located actors that are tied — by any
// relation, or as co-parties of an agreement — with how many of them are in one country.
// One row per country; `tied` and `same` repeat on every row. {types}: every model relationship type.
// Python: climatekg.queries.cypher_engine.partners.country_signal.
CALL () {
  MATCH (x:Entity)-[:{types}]-(y:Entity)
  WHERE (x:City OR x:Organisation) AND (y:City OR y:Organisation)
    AND x.country IS NOT NULL AND y.country IS NOT NULL AND x.id < y.id
  RETURN x, y
  UNION
  MATCH (x:Entity)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(y:Entity)
  WHERE (x:City OR x:Organisation) AND (y:City OR y:Organisation)
    AND x.country IS NOT NULL AND y.country IS NOT NULL AND x.id < y.id
  RETURN x, y
}
WITH count(*) AS tied, sum(CASE WHEN x.country = y.country THEN 1 ELSE 0 END) AS same
MATCH (a:Entity)
WHERE (a:City OR a:Organisation) AND a.country IS NOT NULL
RETURN a.country AS country, count(*) AS actors, tied, same
