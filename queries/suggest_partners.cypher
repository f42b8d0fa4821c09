// Actors that share context with actor $a but have no tie to it, scored by Adamic-Adar
// (sum over shared items of 1 / ln |context(item)|) and resource allocation (sum of 1 / |context|),
// best first. Items held by more than $hub_limit actors do not generate candidates but still
// count in the scores. $scope (a list of ids, or null) keeps candidates among an initiative's members;
// $after (an id, or null) keeps candidates whose id sorts after it (pairs inside a group, once).
// Context: see context_sizes.cypher. {types}: every model relationship type (fixed list).
// Python: climatekg.queries.cypher_engine.partners.suggest_partners.
MATCH (a:Entity {id: $a})
CALL (a) {
  MATCH (a)-[:{types}]-(w:Entity)
  WHERE w <> a AND (w:City OR w:Organisation OR w:Initiative
                    OR ((a:City OR a:Organisation OR a:Initiative) AND w:Technology))
  RETURN w AS item
  UNION
  MATCH (a)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(w:Entity)
  WHERE (a:City OR a:Organisation OR a:Initiative) AND w <> a AND (w:City OR w:Organisation OR w:Initiative)
  RETURN w AS item
}
WITH a, collect(item) AS mine
UNWIND mine AS z
CALL (z) {
  MATCH (z)-[:{types}]-(w:Entity)
  WHERE w <> z AND (w:City OR w:Organisation OR w:Initiative
                    OR ((z:City OR z:Organisation OR z:Initiative) AND w:Technology))
  RETURN w AS holder
  UNION
  MATCH (z)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(w:Entity)
  WHERE (z:City OR z:Organisation OR z:Initiative) AND w <> z AND (w:City OR w:Organisation OR w:Initiative)
  RETURN w AS holder
}
WITH a, mine, z, collect(holder) AS holders
WITH a, mine, z, holders, size(holders) AS dz
WITH a, mine,
     [x IN collect({z: z, dz: dz, holders: holders}) WHERE x.dz <= $hub_limit] AS items,
     [x IN collect({z: z, dz: dz}) WHERE x.dz > $hub_limit] AS hubs
UNWIND items AS item
UNWIND item.holders AS c
WITH a, mine, hubs, item, c
WHERE c <> a AND NOT c IN mine AND (c:City OR c:Organisation OR c:Initiative)
  AND ($scope IS NULL OR c.id IN $scope) AND ($after IS NULL OR c.id > $after)
WITH a, hubs, c, collect({id: item.z.id, degree: item.dz}) AS shared
WITH a, c, hubs, shared + COLLECT {
       UNWIND hubs AS h
       WITH h, h.z AS hz
       WHERE EXISTS { (c)-[:{types}]-(hz) WHERE hz:City OR hz:Organisation OR hz:Initiative OR hz:Technology }
          OR EXISTS { (c)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(hz) WHERE hz:City OR hz:Organisation OR hz:Initiative }
       RETURN {id: hz.id, degree: h.dz}
     } AS shared
WITH c, shared, [h IN hubs | h.z.id] AS hub_ids,
     reduce(s = 0.0, x IN shared | s + 1.0 / log(x.degree)) AS adamic_adar,
     reduce(s = 0.0, x IN shared | s + 1.0 / x.degree) AS resource_allocation
RETURN c.id AS b, adamic_adar, resource_allocation, shared, hub_ids
ORDER BY adamic_adar DESC, resource_allocation DESC, b
LIMIT $top
