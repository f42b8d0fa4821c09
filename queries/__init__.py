"""Questions answered on any store: paths, gaps, neighbourhoods, structure, search."""
