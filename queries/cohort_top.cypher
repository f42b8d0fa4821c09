// The best $top pairs of a cohort ($members: ids in id order) that have no tie of their own,
// ranked on the server: per member a, its pairs with the members after it are scored and cut to
// $top there, so no query holds more than one member's pairs and $top per member. Ranking:
// Adamic-Adar over the shared context without the group ($group), then resource allocation,
// then preferential attachment ($sizes[id]: each member's context size), then ids; pairs that
// share nothing score 0 and come by ids (preferential attachment 0), as in pair_scores.py, and
// are looked for only with $zeros (when the pairs that share something are fewer than $top).
// $degrees[id]: each item's context size; $holders[id]: the members holding it, when two or
// more do (the client's index of the members' contexts, so no item is walked once per member).
// $first..$last: the members (positions) of this call.
// Context: see context_sizes.cypher. {types}: every model relationship type (fixed list).
// Python: climatekg.queries.cypher_engine.cohort.cohort_gaps.
UNWIND range($first, $last) AS i
CALL (i) {
  MATCH (a:Entity {id: $members[i]})
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
  WITH a, [x IN collect(item) | x.id] AS tied
  // members after a that share an item with it (the group aside) and are not tied to it
  CALL (a, tied) {
    UNWIND tied AS z
    WITH a, tied, z
    WHERE z <> $group AND $holders[z] IS NOT NULL
    UNWIND $holders[z] AS b
    WITH a, tied, z, b
    WHERE b > a.id AND NOT b IN tied
    WITH b, round(sum(1.0 / log($degrees[z])), 9) AS aa, round(sum(1.0 / $degrees[z]), 9) AS ra
    RETURN collect({b: b, aa: aa, ra: ra}) AS scored
  }
  WITH a, i, tied, [s IN scored | s.b] AS scored_ids,
       [s IN scored | {b: s.b, aa: s.aa, ra: s.ra, pa: size(tied) * $sizes[s.b]}] AS scored
  // members after a that share nothing with it: only the first $top by id can be needed
  CALL (i, tied, scored_ids) {
    UNWIND CASE WHEN $zeros THEN range(i + 1, size($members) - 1) ELSE [] END AS j
    WITH $members[j] AS b
    WHERE NOT b IN tied AND NOT b IN scored_ids
    WITH b
    LIMIT $top
    RETURN collect({b: b, aa: 0.0, ra: 0.0, pa: 0}) AS zeros
  }
  UNWIND scored + zeros AS r
  WITH a, r
  ORDER BY r.aa DESC, r.ra DESC, r.pa DESC, r.b
  LIMIT $top
  RETURN a.id AS a, r.b AS b, r.aa AS aa, r.ra AS ra, r.pa AS pa
}
RETURN a, b, aa, ra, pa
ORDER BY aa DESC, ra DESC, pa DESC, a, b
LIMIT $top
