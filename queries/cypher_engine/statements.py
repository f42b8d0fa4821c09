"""The ``.cypher`` texts beside ``queries/``, filled in and read: what every Cypher runner shares.

The only text ever filled into a query is a list of relationship types from the model's fixed
table and a count the runner checked to be an int; every value travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from climatekg.graph.errors import ClimateKGError
from climatekg.graph.model import EntityKind, RelationKind
from climatekg.graph.projection import RELATIONS, as_of_bounds, kind_code, relation_kinds, relation_mask
from climatekg.graph.store import Store
from climatekg.graph.stores.neo4j_store import Neo4jStore
from climatekg.graph.stores.neo4j_store.codec import REL_TYPE


def on_neo4j(kg: Store) -> Neo4jStore:
    """``kg`` as the Neo4j store every Cypher question needs, or one clear error."""
    if not isinstance(kg, Neo4jStore):
        raise ClimateKGError(f"the Cypher engine answers on a Neo4j store (this is {kg.kind})")
    return kg


@cache
def cypher(name: str) -> str:
    """The text of ``queries/<name>.cypher``.

    Examples:
        >>> cypher("members").splitlines()[0]
        '// The actors (City, Organisation, Initiative) that are members of a group ($group id).'
    """
    return resources.files("climatekg.queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def statement(
    name: str,
    types: Iterable[RelationKind] | None = None,
    max_hops: int | None = None,
    count: int | None = None,
) -> str:
    """A query with its relationship types (from the fixed table) and counts (ints) filled in."""
    kinds = list(types) if types is not None else list(RELATIONS)
    text = cypher(name).replace("{types}", "|".join(REL_TYPE[k] for k in kinds))
    if max_hops is not None:
        text = text.replace("MAX_HOPS", str(int(max_hops)))
    if count is not None:
        text = text.replace("PATH_COUNT", str(int(count)))
    return text


def filters(
    relations: Iterable[RelationKind | str] | None,
    as_of: str | None,
    via_kinds: Iterable[EntityKind | str] | None,
    avoid_kinds: Iterable[EntityKind | str] | None,
) -> tuple[list[RelationKind], dict[str, Any]]:
    """Relation kinds and parameters, validated as the embedded store's ``View`` validates them."""
    kinds = relation_kinds(relation_mask(relations))
    lo, hi = as_of_bounds(as_of) if as_of else (None, None)
    through = {kind_code(k) for k in via_kinds} if via_kinds else set(range(len(EntityKind)))
    through -= {kind_code(k) for k in avoid_kinds or ()}
    allowed = [k.value for i, k in enumerate(EntityKind) if i in through]
    return kinds, {"lo": lo, "hi": hi, "through": allowed, "unknown": via_kinds is None}


def members(kg: Neo4jStore, group: str) -> list[tuple[str, str]]:
    """(id, kind) of the actors that are members of ``group`` (members.cypher)."""
    return [(r["id"], r["kind"]) for r in kg.run_read(cypher("members"), group=group)]


def contexts(kg: Neo4jStore, ids: Iterable[str]) -> dict[str, set[str]]:
    """Each id's context (see ``projection_engine/context.py``), read in batches (context_sizes.cypher)."""
    wanted = sorted(set(ids))
    out: dict[str, set[str]] = {}
    for start in range(0, len(wanted), 1000):
        for r in kg.run_read(statement("context_sizes"), ids=wanted[start : start + 1000]):
            out[r["id"]] = set(r["context"])
    return out
