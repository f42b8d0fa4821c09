"""The shape of the network: an entity's neighbourhood, who is central, which groups form.

One module per question; each asks the store's engine (``queries/engine.py``).
"""

from __future__ import annotations

from climatekg.queries.structure.centrality import centrality
from climatekg.queries.structure.communities import communities
from climatekg.queries.structure.neighbours import neighbours

__all__ = ["centrality", "communities", "neighbours"]
