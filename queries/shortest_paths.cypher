// The shortest collaboration paths between two entities, as node-id lists, ignoring direction.
// The PATH_COUNT shortest paths (SHORTEST k: a bidirectional search, shortest first). Two relations
// between the same entities make two paths, and a path may pass an entity twice: the runner keeps
// the simple ones, one per sequence of entities, and asks for more when that leaves fewer than k.
// {types} is filled from the model's fixed list of relationship types (never from input); MAX_HOPS and
// PATH_COUNT are ints the runner checked (Neo4j 5.26 takes no parameter in those places).
// A hop must have an allowed kind and, with $lo/$hi (an as-of date), hold on some day between them;
// an entity inside the path must have a kind in $through (or be unknown when $unknown).
// Python: climatekg.queries.cypher_engine.paths.shortest_paths (same answers as queries.paths.shortest_paths).
MATCH (a:Entity {id: $source}), (b:Entity {id: $target})
MATCH p = SHORTEST PATH_COUNT (a)
  ((x)-[r:{types}]-(y)
    WHERE ($lo IS NULL OR ((r.start IS NULL OR r.start <= left($hi, size(r.start)))
                          AND (r.end IS NULL OR r.end >= left($lo, size(r.end)))))
      AND (y.id = $target OR y.kind IN $through OR ($unknown AND y.kind IS NULL))
      AND x <> y
  ){1,MAX_HOPS}
  (b)
RETURN [n IN nodes(p) | n.id] AS ids

