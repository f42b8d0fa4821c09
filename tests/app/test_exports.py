"""RDF dumps in every format, the publication directory's metadata, and Jena RIOT's strict verdict.

Expected numbers come from the dumps themselves by a second, simple method (line splitting of
the N-Triples dump), never from constants.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import oxigraph_count, run_cli

from climatekg.app.publish.description import DUMP_TYPES
from climatekg.app.publish.exports import METADATA_FILES, RDF_FORMATS, export
from climatekg.graph import vocab as v

OX_FORMAT = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}
VOID, DCAT, PROV, DCT = v.VOID, v.DCAT, v.PROV, v.DCTERMS


def _nt_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_rdf_format_round_trips(bundled_kg, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"dump.{fmt}"
    n = export(bundled_kg, fmt, path)
    assert oxigraph_count(path, OX_FORMAT[fmt]) == n
    quads = sum(1 for _ in bundled_kg.oxigraph().quads_for_pattern(None, None, None, None))
    if fmt in ("nq", "trig"):
        assert n == quads  # one named graph per source, nothing merged
    else:
        distinct = {str(q.triple) for q in bundled_kg.oxigraph().quads_for_pattern(None, None, None, None)}
        assert n == len(distinct)
    if fmt in ("ttl", "trig"):
        text = path.read_text(encoding="utf-8")
        assert "@prefix ckg: <https://w3id.org/climatekg/ontology#>" in text
        assert "@prefix org: <http://www.w3.org/ns/org#>" in text


def test_publication_directory_has_dumps_and_metadata(bundled_kg, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    export(bundled_kg, "all", out, download_base="https://data.example/climatekg/")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(f"climatekg.{ext}" for ext in RDF_FORMATS), *METADATA_FILES])
    assert (out / "ontology.ttl").read_text(encoding="utf-8") == v.ontology_text()
    assert (out / "shapes.ttl").read_text(encoding="utf-8") == v.shapes_text()

    g = [q.triple for q in ox.parse(path=str(out / "void.ttl"), format=ox.RdfFormat.TURTLE)]

    def objects(s: object, p: str) -> list:
        node = ox.NamedNode(s) if isinstance(s, str) else s
        return [t.object for t in g if t.subject == node and t.predicate == ox.NamedNode(p)]

    ds = v.base_iri() + "dataset"
    lines = _nt_lines(out / "climatekg.nt")
    # a second count from the raw dump: distinct subjects typed with one of the model's classes
    typed = {
        line.split(" ", 1)[0]
        for line in lines
        if f" <{v.RDF}type> " in line and any(line.endswith(f"<{c}> .") for c in v.CLASS_KIND)
    }
    assert [o.value for o in objects(ds, VOID + "triples")] == [str(len(lines))]
    assert [o.value for o in objects(ds, VOID + "entities")] == [str(len(typed))]
    dumps = sorted(o.value for o in objects(ds, VOID + "dataDump"))
    assert dumps == sorted(f"https://data.example/climatekg/climatekg.{ext}" for ext in RDF_FORMATS)
    dists = objects(ds, DCAT + "distribution")
    assert len(dists) == len(RDF_FORMATS)
    for d in dists:
        (url,) = objects(d.value, DCAT + "downloadURL")
        (media,) = objects(d.value, DCAT + "mediaType")
        ext = url.value.rsplit(".", 1)[1]
        assert media.value.endswith(DUMP_TYPES[ext][0])
        (size,) = objects(d.value, DCAT + "byteSize")
        assert int(size.value) == (out / f"climatekg.{ext}").stat().st_size
    assert objects(ds, DCT + "issued") and objects(ds, DCT + "modified")
    # class partitions: one per class, counts from the dump
    parts = objects(ds, VOID + "classPartition")
    assert len(parts) == len({objects(p, VOID + "class")[0] for p in parts}) > 0
    # provenance and licence per source graph
    subsets = objects(ds, VOID + "subset")
    assert {s.value for s in subsets} == {v.graph_iri(s.id) for s in bundled_kg.sources()}
    for s in subsets:
        assert objects(s.value, PROV + "wasDerivedFrom")
        assert objects(s.value, PROV + "generatedAtTime")
        assert objects(s.value, DCT + "rights")


def test_partitions_count_what_the_dump_holds(bundled_kg, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    out.mkdir()  # an existing directory makes a publication even for one format
    export(bundled_kg, "nt", out)
    lines = _nt_lines(out / "climatekg.nt")
    g = [q.triple for q in ox.parse(path=str(out / "void.ttl"), format=ox.RdfFormat.TURTLE)]
    by_node: dict[object, dict[str, str]] = {}
    for t in g:
        by_node.setdefault(t.subject, {})[t.predicate.value] = t.object.value
    props = {
        d[VOID + "property"]: int(d[VOID + "triples"]) for d in by_node.values() if VOID + "property" in d
    }
    label = v.RDFS + "label"
    assert props[label] == sum(1 for line in lines if f" <{label}> " in line)
    assert sum(props.values()) == len(lines)
    classes = {d[VOID + "class"]: int(d[VOID + "entities"]) for d in by_node.values() if VOID + "class" in d}
    city = v.CKG + "City"
    assert classes[city] == len({line.split(" ")[0] for line in lines if line.endswith(f"<{city}> .")})


def test_single_file_with_metadata_beside_it(bundled_kg, tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    export(bundled_kg, "ttl", tmp_path / "one" / "kg.ttl", with_metadata=True)
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(["kg.ttl", *METADATA_FILES])
    text = (tmp_path / "one" / "void.ttl").read_text(encoding="utf-8")
    assert "kg.ttl" in text
    (tmp_path / "plain").mkdir()
    export(bundled_kg, "nt", tmp_path / "plain" / "kg.nt")
    assert sorted(p.name for p in (tmp_path / "plain").iterdir()) == ["kg.nt"]


def test_licences_are_stated_per_source_and_honestly_overall(twin_kg, tmp_path: Path) -> None:
    from climatekg.app.publish.description import dataset_licence, source_graphs

    sources = {s.id: s for s in source_graphs(twin_kg)}
    assert "CC BY-SA 4.0" in (sources["twin-cities-wikipedia"].licence or "")
    licence, rights = dataset_licence(list(sources.values()))
    # Wikipedia's share-alike material is in the dumps, so the combination is offered under it
    assert licence == "https://creativecommons.org/licenses/by-sa/4.0/"
    for sid in sources:
        assert sid in rights


def test_cli_export_to_a_directory(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run_cli("load", "--bundled", home=home, check=True)
    out = tmp_path / "dist"
    out.mkdir()
    proc = run_cli("export", "-f", "all", "-o", str(out), home=home, check=True)
    assert "statements" in proc.stdout
    assert {f"climatekg.{ext}" for ext in RDF_FORMATS} | set(METADATA_FILES) == {
        p.name for p in out.iterdir()
    }


# ---- Jena RIOT, strict: zero errors and zero warnings ----------------------------------------


def _riot(path: Path):
    from servers.jena_tools import riot_validate

    return riot_validate(path)


def _riot_big(path: Path, syntax: str = "JSON-LD"):
    """RIOT with a bigger heap: its JSON-LD parser builds the whole document in memory (1 GB is
    not enough for the 90 MB twin-cities JSON-LD). Counts errors and warnings like riot_validate."""
    from servers import jena_tools as jt

    cmd = [jt._which("java"), "-Xmx6g", "-cp", jt.build_classpath(), jt.RIOT_MAIN]
    cmd += ["--validate", "--strict", f"--syntax={syntax}", str(path)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    errors = len(jt._ERROR_RE.findall(proc.stdout)) + len(re.findall(r"Exception|Error:", proc.stdout))
    return jt.RiotResult(
        path, syntax, proc.returncode, errors, len(jt._WARN_RE.findall(proc.stdout)), proc.stdout
    )


@pytest.mark.jena
def test_riot_accepts_every_bundled_file(bundled_kg, tmp_path: Path) -> None:
    export(bundled_kg, "all", tmp_path / "dist")
    for path in sorted((tmp_path / "dist").iterdir()):
        res = _riot(path)
        assert res.ok, f"{path.name}: {res.output[-3000:]}"


@pytest.fixture(scope="module")
def twin_publication(twin_kg, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("twin-dist")
    export(twin_kg, "all", out)
    return out


@pytest.mark.jena
@pytest.mark.slow
@pytest.mark.parametrize("name", [*(f"climatekg.{ext}" for ext in RDF_FORMATS), "void.ttl"])
def test_riot_accepts_every_twin_cities_file(twin_publication: Path, name: str) -> None:
    """Accented names (Bérat, Göttingen, São Paulo …) and 860k triples, every format strict-clean."""
    path = twin_publication / name
    res = _riot_big(path) if name.endswith(".jsonld") else _riot(path)
    assert res.ok, f"{name}: {res.output[-3000:]}"
    if name == "climatekg.ttl":
        text = path.read_text(encoding="utf-8")
        assert re.search(r'"[^"]*[éèöüçãñ][^"]*"@en', text), "accented labels kept"


def test_a_single_dump_with_metadata_uses_the_download_base(bundled_kg, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    export(bundled_kg, "ttl", path, with_metadata=True, download_base="https://data.example/kg")
    g = [q.triple for q in ox.parse(path=str(tmp_path / "void.ttl"), format=ox.RdfFormat.TURTLE)]
    urls = {t.object.value for t in g if t.predicate.value in (VOID + "dataDump", DCAT + "downloadURL")}
    assert urls == {"https://data.example/kg/graph.ttl"}  # the missing slash is added, never glued
