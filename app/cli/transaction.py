"""All or nothing across the files of one ``climatekg load``: a failure puts every source back.

Each file is written as soon as it is read, so a later file can refer to what an earlier one
stated; if any file then fails, the sources this load wrote are removed and the ones it
replaced are restored statement for statement. On the embedded store the previous content of
each replaced source's named graph is kept in memory for this; other stores remove what the
load added (a replaced source on Neo4j cannot be put back and is named in the error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyoxigraph as ox

from climatekg.graph import vocab as v
from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, as_rdf_store


@contextmanager
def all_or_nothing(kg: Store) -> Iterator[Callable[[str], None]]:
    """Yield ``written(source_id)``, to call before each source is written; undo them all on error."""
    before = {s.id for s in kg.sources()}
    saved: dict[str, list[ox.Quad]] = {}
    order: list[str] = []
    rdf = as_rdf_store(kg)

    def written(source_id: str) -> None:
        if source_id in order:
            return
        order.append(source_id)
        if rdf is not None and source_id in before:
            graph = ox.NamedNode(v.graph_iri(source_id, kg.base))
            saved[source_id] = list(rdf.oxigraph().quads_for_pattern(None, None, None, graph))

    try:
        yield written
    except BaseException as exc:
        lost = []
        for source_id in reversed(order):
            kg.remove_source(source_id)
            if rdf is not None and source_id in saved:
                rdf.oxigraph().extend(saved[source_id])
            elif source_id in before:
                lost.append(source_id)
        if rdf is not None:
            rdf.oxigraph().flush()
        if lost and isinstance(exc, ClimateKGError):
            raise ClimateKGError(
                f"{exc} (nothing kept; replaced sources not restored: {', '.join(lost)})"
            ) from exc
        raise
