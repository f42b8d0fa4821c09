"""Questions answered on any store: paths, gaps, neighbourhoods, structure, search.

Where each question lives: ``paths`` (shortest_paths, path_sentence), ``structure/``
(neighbours, centrality, communities), ``gaps/`` (suggest_partners, coverage, brokers,
cohort_gaps), ``resolve`` (names to ids, profiles), ``sparql`` (saved SPARQL on the embedded
store), ``quality`` (SHACL, duplicates). A question asks ``engine.engine_for(kg)``, which picks
once by the store's kind: ``projection_engine/`` (the embedded store) or ``cypher_engine/``
(Neo4j). Every answer's type is in ``results``.
"""
