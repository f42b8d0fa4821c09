"""Random networks for property tests, and a fresh store to load one into.

``networks()`` draws a small ``Batch`` whose relations respect the model's signatures; keyword
arguments choose what a test needs (entity kinds, sizes, dates, membership roles, locators).
A relation may be stated more than once, bare and dated alike: the store keeps each statement.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from climatekg.graph.model import (
    ID_PREFIX,
    RELATION_SIGNATURE,
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
)
from climatekg.graph.stores.embedded import EmbeddedStore

#: Actors, agreements and technologies: the kinds the partnership questions are about.
NETWORK_KINDS = (
    EntityKind.CITY,
    EntityKind.ORGANISATION,
    EntityKind.INITIATIVE,
    EntityKind.AGREEMENT,
    EntityKind.TECHNOLOGY,
)
SOURCE = Source(id="random", title="random network", loader="test")


def property_settings(max_examples: int) -> settings:
    """Settings for a property test that loads a store per example: no deadline, slow is fine."""
    return settings(max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def date_spans(draw: st.DrawFn) -> tuple[str, str | None]:
    """A start (``YYYY`` or ``YYYY-MM``) between 2000 and 2020, and sometimes an end year after it."""
    year = draw(st.integers(2000, 2020))
    start = draw(st.sampled_from([str(year), f"{year}-03"]))
    end = str(draw(st.integers(year, 2023))) if draw(st.booleans()) else None
    return start, end


@st.composite
def networks(
    draw: st.DrawFn,
    *,
    kinds: Sequence[EntityKind] = NETWORK_KINDS,
    max_entities: int = 9,
    max_relations: int = 16,
    dated: bool = False,
    roles: Sequence[str] = (),
    locators: Literal["always", "sometimes", "never"] = "sometimes",
) -> Batch:
    """A small random batch: 2 to ``max_entities`` entities of ``kinds``, up to ``max_relations``
    relations between distinct entities, as ``RELATION_SIGNATURE`` allows.

    ``dated``: about half the relations get a start (and maybe an end) from ``date_spans``.
    ``roles``: a membership carries one of them, or none. ``locators``: whether a relation cites a
    row ("row n", unique per relation) always, sometimes or never; without dates, role or
    locator a relation is stored as its bare triple. The same triple may be drawn repeatedly.
    """
    n = draw(st.integers(2, max_entities))
    drawn = draw(st.lists(st.sampled_from(list(kinds)), min_size=n, max_size=n))
    ids = [f"{ID_PREFIX[k]}/e{i}" for i, k in enumerate(drawn)]
    batch = Batch(source=SOURCE)
    batch.entities = [Entity(ids[i], drawn[i], f"e{i}", Provenance(SOURCE.id, "test")) for i in range(n)]
    for _ in range(draw(st.integers(0, max_relations))):
        s, o = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        options = [
            r for r, (subs, objs) in RELATION_SIGNATURE.items() if drawn[s] in subs and drawn[o] in objs
        ]
        if s == o or not options:
            continue
        kind = draw(st.sampled_from(options))
        start, end = draw(date_spans()) if dated and draw(st.booleans()) else (None, None)
        role = draw(st.sampled_from([None, *roles])) if roles and kind == RelationKind.MEMBER_OF else None
        cite = locators == "always" or (locators == "sometimes" and draw(st.booleans()))
        prov = Provenance(SOURCE.id, "test", locator=f"row {len(batch.relations)}" if cite else None)
        batch.relations.append(Relation(ids[s], kind, ids[o], prov, start, end, role))
    return batch


@contextmanager
def store_with(batch: Batch) -> Iterator[EmbeddedStore]:
    """A fresh embedded store in a temporary directory with ``batch`` loaded (closed afterwards)."""
    with tempfile.TemporaryDirectory() as home:
        kg = EmbeddedStore(Path(home))
        try:
            kg.load(batch)
            yield kg
        finally:
            kg.close()
