// The technologies each city ($cities) covers and how: it demonstrates one, or an agreement it is
// party to or an initiative it is a member of concerns one.
// Python: climatekg.queries.cypher_engine.coverage (as queries/coverage.rq for SPARQL).
UNWIND $cities AS cid
MATCH (c:Entity {id: cid})
CALL (c) {
  MATCH (c)-[:DEMONSTRATES]->(t:Technology) WHERE t <> c
  RETURN t.id AS technology, 'demonstrates' AS how
  UNION
  MATCH (c)-[:PARTY_TO]->(w:Entity)-[:CONCERNS]->(t:Technology) WHERE w <> c AND t <> w
  RETURN t.id AS technology, 'party to ' + w.id AS how
  UNION
  MATCH (c)-[:MEMBER_OF]->(w:Entity)-[:CONCERNS]->(t:Technology) WHERE w <> c AND t <> w
  RETURN t.id AS technology, 'member of ' + w.id AS how
}
RETURN cid AS city, technology, how
