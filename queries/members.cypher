// The actors (City, Organisation, Initiative) that are members of a group ($group id).
// Python: climatekg.queries.cypher_engine.statements.members (coverage, cohort_gaps, suggest_partners within a group).
MATCH (g:Entity {id: $group})<-[:MEMBER_OF]-(m:Entity)
WHERE m <> g AND (m:City OR m:Organisation OR m:Initiative)
RETURN DISTINCT m.id AS id, m.kind AS kind
ORDER BY id
