"""Entity labels and kinds for the ids an answer names, read from the store once per id.

On the embedded store only the type and label statements of each id are read (an answer may
name thousands of entities; reading each whole entity, its relations included, took seconds);
the label is the one ``Store.entity`` would give: the first English label, else the id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.store import Store, as_rdf_store


def labels(kg: Store, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(label, kind) of each id; an id the store does not know labels itself, with no kind.

    Examples:
        >>> labels(kg, ["city/shenzhen", "city/nowhere"])
        {'city/shenzhen': ('Shenzhen', 'City'), 'city/nowhere': ('city/nowhere', '')}
    """
    rdf = as_rdf_store(kg)
    read = _from_statements(rdf.oxigraph(), kg.base) if rdf is not None else _from_entity(kg)
    out: dict[str, tuple[str, str]] = {}
    for eid in ids:
        if eid not in out:
            out[eid] = read(eid)
    return out


def _from_entity(kg: Store) -> Callable[[str], tuple[str, str]]:
    def read(eid: str) -> tuple[str, str]:
        e = kg.entity(eid)
        return (e.label, e.kind.value) if e else (eid, "")

    return read


def _from_statements(store: ox.Store, base: str) -> Callable[[str], tuple[str, str]]:
    kind_iri, label_iri = ox.NamedNode(m.TYPE), ox.NamedNode(m.LABEL)

    def read(eid: str) -> tuple[str, str]:
        try:
            node = ox.NamedNode(v.entity_iri(eid, base))
        except ValueError:
            return eid, ""
        classes = (v.CLASS_KIND.get(m.value(q.object)) for q in store.quads_for_pattern(node, kind_iri, None))
        kind = next((k for k in classes if k), None)
        if kind is None:
            return eid, ""
        english = (
            q.object.value
            for q in store.quads_for_pattern(node, label_iri, None)
            if isinstance(q.object, ox.Literal) and q.object.language == "en"
        )
        return next((label for label in english if label), eid), kind.value

    return read
