// Actors that share context with actor $a but have no tie to it, scored by Adamic-Adar
// (sum over shared items of 1 / ln |context(item)|) and resource allocation (sum of 1 / |context|),
// best first. Items held by more than $hub_limit actors do not generate candidates but still
// count in the scores. $scope (a list of ids, or null) keeps candidates among an initiative's members;
// $after (an id, or null) keeps candidates whose id sorts after it (pairs inside a group, once).
// $kinds (labels) are the kinds a candidate may be: cities and organisations, never initiatives.
// A shared country is one more item (queries/country_signal.py): held by the $country_sizes[c]
// actors stated in country c, weighing $country_weight (the other items weigh 1); only when
// the weight is above 0.
// Ranked here, top $top only (see queries/pairing.py TIE_BREAK); `ties` counts every candidate
// of $a with the same (rounded) Adamic-Adar score, not only those returned.
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
WITH a, size(mine) AS da, mine
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
WITH a, da, mine, z, collect(holder) AS holders
WITH a, da, mine, z, holders, size(holders) AS dz
WITH a, da, mine, collect({id: z.id, z: z, dz: dz, holders: holders, weight: 1.0}) AS held,
     CASE WHEN $country_weight > 0 AND a.country IS NOT NULL THEN $country_sizes[a.country] END AS dcountry
// the shared country: its holders are read only when it may find candidates
WITH a, da, mine, dcountry, held + CASE WHEN dcountry IS NULL THEN [] ELSE [{
       id: 'country:' + a.country, z: null, dz: dcountry, weight: $country_weight,
       holders: CASE WHEN dcountry > $hub_limit THEN [] ELSE COLLECT {
         MATCH (m:Entity) WHERE (m:City OR m:Organisation) AND m.country = a.country RETURN m
       } END
     }] END AS held
WITH a, da, mine, dcountry,
     [x IN held WHERE x.dz <= $hub_limit] AS items,
     [x IN held WHERE x.dz > $hub_limit] AS hubs
UNWIND items AS item
UNWIND item.holders AS c
WITH a, da, mine, dcountry, hubs, item, c
WHERE c <> a AND NOT c IN mine AND any(l IN labels(c) WHERE l IN $kinds)
  AND ($scope IS NULL OR c.id IN $scope) AND ($after IS NULL OR c.id > $after)
WITH a, da, dcountry, hubs, c, collect({id: item.id, degree: item.dz, weight: item.weight}) AS shared
WITH a, da, c, hubs, shared + COLLECT {
       UNWIND hubs AS h
       WITH h, h.z AS hz
       WHERE CASE WHEN hz IS NULL THEN c.country = a.country
             ELSE EXISTS { (c)-[:{types}]-(hz) WHERE hz:City OR hz:Organisation OR hz:Initiative OR hz:Technology }
               OR EXISTS { (c)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(hz) WHERE hz:City OR hz:Organisation OR hz:Initiative }
             END
       RETURN {id: h.id, degree: h.dz, weight: h.weight}
     } AS shared
WITH da, c, shared, [h IN hubs | h.id] AS hub_ids,
     round(reduce(s = 0.0, x IN shared | s + x.weight / log(x.degree)), 9) AS adamic_adar,
     round(reduce(s = 0.0, x IN shared | s + x.weight / x.degree), 9) AS resource_allocation
CALL (c) {
  CALL (c) {
    MATCH (c)-[:{types}]-(w:Entity)
    WHERE w <> c AND (w:City OR w:Organisation OR w:Initiative OR w:Technology)
    RETURN w AS y
    UNION
    MATCH (c)-[:PARTY_TO]-(:Agreement)-[:PARTY_TO]-(w:Entity)
    WHERE w <> c AND (w:City OR w:Organisation OR w:Initiative)
    RETURN w AS y
  }
  RETURN count(y) AS dc
}
WITH c, shared, hub_ids, adamic_adar, resource_allocation, da * dc AS preferential_attachment
ORDER BY adamic_adar DESC, resource_allocation DESC, preferential_attachment DESC, c.id
WITH collect({b: c.id, adamic_adar: adamic_adar, resource_allocation: resource_allocation,
              preferential_attachment: preferential_attachment, shared: shared, hub_ids: hub_ids}) AS rows
WITH rows[0..$top] AS best, [r IN rows | r.adamic_adar] AS scores
UNWIND best AS r
RETURN r.b AS b, r.adamic_adar AS adamic_adar, r.resource_allocation AS resource_allocation,
       r.preferential_attachment AS preferential_attachment, r.shared AS shared, r.hub_ids AS hub_ids,
       size([s IN scores WHERE s = r.adamic_adar]) AS ties, size(scores) AS candidates
