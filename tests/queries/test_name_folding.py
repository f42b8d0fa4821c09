"""Names people type: accents, case, apostrophes and typos still find the entity."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from climatekg.graph.errors import NotFoundError
from climatekg.graph.model import Batch, Entity, EntityKind, Provenance, Source
from climatekg.graph.stores.embedded import EmbeddedStore
from climatekg.queries.resolve import resolve

SOURCE = Source(id="names", title="names", loader="test")
ACCENTED = "áàâäãåçéèêëíìîïñóòôöõúùûüýÿ"
APOSTROPHES = "'’‘ʼ"
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz" + ACCENTED, min_size=2, max_size=8)
LABELS = st.builds(
    lambda a, q, b: f"{a.capitalize()} d{q}{b.capitalize()}" if q else f"{a.capitalize()} {b.capitalize()}",
    WORDS,
    st.sampled_from(["", *APOSTROPHES]),
    WORDS,
)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _store(tmp_path, labels):
    kg = EmbeddedStore(tmp_path / "home")
    prov = Provenance(SOURCE.id, "test")
    entities = [Entity(f"city/c{i}", EntityKind.CITY, label, prov) for i, label in enumerate(labels)]
    kg.load(Batch(source=SOURCE, entities=entities))
    return kg


@pytest.fixture(scope="module")
def names_kg(tmp_path_factory):
    kg = EmbeddedStore(tmp_path_factory.mktemp("names") / "home")
    yield kg
    kg.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    label=LABELS,
    how=st.sampled_from(["strip", "upper", "lower", "swap", "all"]),
    quote=st.sampled_from(APOSTROPHES),
)
def test_a_label_however_typed_resolves_to_its_entity(names_kg, label, how, quote):
    prov = Provenance(SOURCE.id, "test")
    names_kg.load(
        Batch(
            source=SOURCE,
            entities=[
                Entity("city/it", EntityKind.CITY, label, prov),
                Entity("city/other", EntityKind.CITY, "Zz", prov),
            ],
        )
    )
    typed = label
    if how in ("strip", "all"):
        typed = _strip_accents(typed)
    if how in ("swap", "all"):
        typed = "".join(quote if c in APOSTROPHES else c for c in typed)
    if how in ("upper", "all"):
        typed = typed.upper()
    if how == "lower":
        typed = typed.lower()
    assert resolve(names_kg, f"  {typed} ") == "city/it"


@pytest.mark.parametrize(
    ("typed", "label"),
    [("Bogota", "Bogotá"), ("Sao Paulo", "São Paulo"), ("zurich", "Zürich"), ("d'Adda", "d’Adda")],
)
def test_the_names_of_the_issue_resolve(tmp_path, typed, label):
    kg = _store(tmp_path, [label, "Paris"])
    assert kg.entity(resolve(kg, typed)).label == label
    kg.close()


def test_an_ambiguous_name_lists_kind_and_country(tmp_path):
    kg = EmbeddedStore(tmp_path / "home")
    prov = Provenance(SOURCE.id, "test")
    kg.load(
        Batch(
            source=SOURCE,
            entities=[
                Entity("city/london-gb", EntityKind.CITY, "London", prov, country="GB"),
                Entity("city/london-ca", EntityKind.CITY, "London", prov, country="CA"),
            ],
        )
    )
    with pytest.raises(NotFoundError, match=r"London \(City, CA\) \[city/london-ca\]; London \(City, GB\)"):
        resolve(kg, "london")
    kg.close()


def test_an_unknown_name_suggests_the_closest(tmp_path):
    kg = _store(tmp_path, ["Shenzhen", "Los Angeles", "Paris"])
    with pytest.raises(NotFoundError, match=r"did you mean Shenzhen \(City\) \[city/c0\]") as info:
        resolve(kg, "Shenzen")
    assert info.value.candidates == ["city/c0"]
    kg.close()
