// One breadth-first step: entities tied to the $frontier ids and not yet $seen, through relations
// of the allowed types ({types}, fixed list) that hold around the as-of date ($lo/$hi), whose kind
// passes ($through, $unknown). At most $cap are returned (the caller asks one more than it keeps,
// which says "truncated"), with their kind for the caller's result filter.
// Python: climatekg.queries.cypher_engine.neighbours.
UNWIND $frontier AS id
MATCH (u:Entity {id: id})-[r:{types}]-(w:Entity)
WHERE w <> u AND NOT w.id IN $seen
  AND (w.kind IN $through OR ($unknown AND w.kind IS NULL))
  AND ($lo IS NULL OR ((r.start IS NULL OR r.start <= left($hi, size(r.start)))
                      AND (r.end IS NULL OR r.end >= left($lo, size(r.end)))))
RETURN DISTINCT w.id AS id, w.kind AS kind
ORDER BY id
LIMIT $cap
