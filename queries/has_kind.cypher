// Whether the store holds any entity of kind $kind (a label passed as a parameter).
// Python: climatekg.queries.cypher_engine.partners.suggest_partners (the default --pair).
RETURN EXISTS { MATCH (n:Entity) WHERE $kind IN labels(n) } AS found
