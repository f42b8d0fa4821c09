"""Which data the endpoint answers about: the base IRI the stored data was loaded with."""

from __future__ import annotations

import pyoxigraph as ox

from climatekg.graph import vocab as v


def data_base_iri(store: ox.Store, fallback: str) -> str:
    """The base IRI the stored data was loaded with, read from its source graph names.

    Every source graph is ``{base}graph/{source}`` and holds its own ``prov:generatedAtTime``;
    serving with another ``CLIMATEKG_BASE_IRI`` than the one used for loading would otherwise
    make every entity look unknown.
    """
    generated = ox.NamedNode(v.PROV + "generatedAtTime")
    for g in store.named_graphs():
        if (
            isinstance(g, ox.NamedNode)
            and "/graph/" in g.value
            and any(True for _ in store.quads_for_pattern(g, generated, None, g))
        ):
            return g.value.rsplit("graph/", 1)[0]
    return fallback
