"""All or nothing across the files of one ``climatekg load``.

Each file is written as soon as it is read, so a later file can refer to what an earlier one
stated. The embedded store commits the whole set itself (``RdfStore.load_set``: a checkpoint,
safe under kill -9). Other stores remove, on an error, the sources this load added; a source
it replaced on Neo4j cannot be put back and is named in the error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.store import Store, as_rdf_store


@contextmanager
def all_or_nothing(kg: Store) -> Iterator[Callable[[str], None]]:
    """Yield ``written(source_id)``, to call before each source is written; undo them all on error."""
    rdf = as_rdf_store(kg)
    if rdf is not None:
        with rdf.load_set():
            yield lambda source_id: None
        return
    before = {s.id for s in kg.sources()}
    order: list[str] = []

    def written(source_id: str) -> None:
        if source_id not in order:
            order.append(source_id)

    try:
        yield written
    except BaseException as exc:
        for source_id in reversed(order):
            kg.remove_source(source_id)
        lost = [s for s in order if s in before]
        if lost and isinstance(exc, ClimateKGError):
            raise ClimateKGError(
                f"{exc} (nothing kept; replaced sources not restored: {', '.join(lost)})"
            ) from exc
        raise
