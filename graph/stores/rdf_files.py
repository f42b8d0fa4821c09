"""An RDF file made ready for one source's graph: checked, counted, datasets flattened to triples."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from climatekg.graph.errors import LoadError, syntax_error
from climatekg.graph.terms import text_problem


def prepared(path: Path, fmt: ox.RdfFormat, scratch: Path) -> tuple[int, list[tuple[Path, ox.RdfFormat]]]:
    """The number of statements in ``path`` and the files to load, validated by a streaming parse.

    Graph names in a dataset file are dropped (each source is exactly one named graph): its
    triples are written to ``scratch`` as N-Triples, which is then the file to load.
    """
    try:
        if fmt.supports_datasets:
            with open(scratch, "wb") as out:
                counter = _Counter()
                triples = (
                    counter.tick(q.triple) for q in _checked(path, ox.parse(path=str(path), format=fmt))
                )
                ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
            return counter.n, [(scratch, ox.RdfFormat.N_TRIPLES)]
        return sum(1 for _ in _checked(path, ox.parse(path=str(path), format=fmt))), [(path, fmt)]
    except SyntaxError as exc:
        raise syntax_error(str(path), exc) from None


def _checked(path: Path, parsed: Iterable[Any]) -> Iterator[Any]:
    """The parsed triples or quads, refusing a literal that no export could carry (``terms.py``)."""
    for t in parsed:
        if isinstance(t.object, ox.Literal) and (problem := text_problem(t.object.value)):
            raise LoadError(str(path), problem, field=f"a literal of {t.subject}")
        yield t


class _Counter:
    n = 0

    def tick(self, item: ox.Triple) -> ox.Triple:
        self.n += 1
        return item
