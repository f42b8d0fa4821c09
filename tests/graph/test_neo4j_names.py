"""Names people type, on the real Neo4j server: folded like on the embedded store, with suggestions.

Each entity's variants (accents stripped, case changed, apostrophe swapped) are made here with
``unicodedata`` and ``str`` methods, not with the project's folding; the embedded store loaded with
the same batch is the reference for suggestions.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from climatekg.graph.errors import NotFoundError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Relation, RelationKind, Source
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.queries.paths import shortest_paths
from climatekg.queries.resolve import resolve

pytestmark = pytest.mark.neo4j

SRC = Source("names", "Names with accents and apostrophes", "test")
PROV = Provenance("names", "test")
CITIES = [
    ("city/bogota", "Bogotá", "CO"),
    ("city/sao-paulo", "São Paulo", "BR"),
    ("city/zurich", "Zürich", "CH"),
    ("city/cassano-d-adda", "Cassano d’Adda", "IT"),
    ("city/london-gb", "London", "GB"),
    ("city/london-ca", "London", "CA"),
]


def _batch() -> Batch:
    cities = [Entity(i, EntityKind.CITY, label, PROV, country=c) for i, label, c in CITIES]
    ties = [("city/bogota", "city/sao-paulo"), ("city/sao-paulo", "city/zurich")]
    ties += [("city/zurich", "city/cassano-d-adda"), ("city/london-gb", "city/zurich")]
    rels = [Relation(a, RelationKind.PARTNER_OF, b, PROV) for a, b in ties]
    return Batch(SRC, cities, rels, digest="names-1")


def _variants(label: str) -> set[str]:
    bare = "".join(c for c in unicodedata.normalize("NFD", label) if unicodedata.category(c) != "Mn")
    out = {label, bare, bare.upper(), label.lower(), f"  {bare.lower()}  "}
    return out | {v.replace("\u2019", "'") for v in out} | {v.replace("'", "\u2019") for v in out}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Any:
    from neo4j_fixtures import clean_database, connect

    neo = connect(request.getfixturevalue("neo4j_server"))
    clean_database(neo)
    neo.load(_batch())
    embedded = EmbeddedStore(Path(tmp_path_factory.mktemp("names")))
    embedded.load(_batch())
    yield neo, embedded
    neo.close()
    embedded.close()


def test_every_variant_of_a_name_finds_its_entity_on_neo4j(stores):
    neo, embedded = stores
    for eid, label, _ in CITIES:
        expected = sorted(i for i, other, _ in CITIES if other == label)  # both Londons for "London"
        assert eid in expected
        for name in _variants(label):
            assert neo.find(name) == expected, name
            assert embedded.find(name) == expected, name
    assert neo.find("Cassano d'Adda") == neo.find("CASSANO D’ADDA") == ["city/cassano-d-adda"]


TYPOS = [
    ("Zurch", ["city/zurich"]),
    ("Bogta", ["city/bogota"]),
    ("Sao Paolo", ["city/sao-paulo"]),
    ("Casano d Ada", ["city/cassano-d-adda"]),
    ("Lodnon", ["city/london-ca", "city/london-gb"]),
    ("Atlantis", []),  # nothing near enough: no suggestion rather than a wrong one
]


@pytest.mark.parametrize(("typed", "meant"), TYPOS)
def test_unknown_names_get_the_suggestions_of_the_embedded_store(stores, typed, meant):
    neo, embedded = stores
    assert neo.search(typed, limit=5) == embedded.search(typed, limit=5) == meant


def test_show_and_path_resolve_names_on_neo4j(stores):
    neo, _ = stores
    assert resolve(neo, "bogota") == "city/bogota"
    with pytest.raises(NotFoundError, match=r"did you mean Zürich \(City, CH\) \[city/zurich\]") as missing:
        resolve(neo, "Zurch")
    assert missing.value.candidates == ["city/zurich"]
    with pytest.raises(NotFoundError, match=r"ambiguous: 2 entities") as ambiguous:
        resolve(neo, "LONDON")
    assert "London (City, CA) [city/london-ca]" in str(ambiguous.value)
    assert "London (City, GB) [city/london-gb]" in str(ambiguous.value)
    (path,) = shortest_paths(neo, "Sao Paulo", "CASSANO D'ADDA", k=1)
    assert path.nodes == ["city/sao-paulo", "city/zurich", "city/cassano-d-adda"]
