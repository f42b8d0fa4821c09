// Every path of at most MAX_HOPS hops between two entities, as node-id lists (the runner keeps
// the simple ones, one per sequence of entities, at most $cap). Same filters as shortest_paths.cypher;
// {types} and MAX_HOPS are filled in by the runner (fixed list; an int it checked).
// Python: climatekg.queries.cypher_engine.paths.shortest_paths(..., all_paths=True).
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = (a)
  ((x)-[r:{types}]-(y)
    WHERE ($lo IS NULL OR ((r.start IS NULL OR r.start <= left($hi, size(r.start)))
                          AND (r.end IS NULL OR r.end >= left($lo, size(r.end)))))
      AND (y.id = $target OR y.kind IN $through OR ($unknown AND y.kind IS NULL))
      AND x <> y
  ){1,MAX_HOPS}
  (b)
WITH [n IN nodes(p) | n.id] AS ids
WHERE all(i IN range(0, size(ids) - 2) WHERE NOT ids[i] IN ids[i + 1..])
RETURN DISTINCT ids
LIMIT $cap
