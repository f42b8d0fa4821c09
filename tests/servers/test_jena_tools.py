"""Tests for the Jena helpers: RIOT strict validation and a throwaway Fuseki SPARQL server."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from conftest import ORG_ONTOLOGY

from servers.jena_tools import FusekiServer, build_classpath, riot_validate

pytestmark = pytest.mark.jena

ORG_DIR = ORG_ONTOLOGY

EX = "@prefix ex: <http://example.org/> .\n"

# One small valid document per supported extension (the same two triples where possible).
VALID = {
    "ttl": EX + 'ex:a ex:name "A"@en ; ex:knows ex:b .\n',
    "nt": '<http://example.org/a> <http://example.org/name> "A"@en .\n',
    "nq": '<http://example.org/a> <http://example.org/name> "A" <http://example.org/g> .\n',
    "trig": EX + 'ex:g { ex:a ex:name "A" . }\n',
    "jsonld": '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:name": "A"}\n',
    "rdf": (
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:name>A</ex:name></rdf:Description>\n'
        "</rdf:RDF>\n"
    ),
}


@pytest.fixture(scope="module", autouse=True)
def classpath() -> str:
    """Resolve the Jena jars once (Java and Maven must be there: the tests fail without them)."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (make system-deps says how to get it)")
    return build_classpath()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("ext", sorted(VALID))
def test_riot_accepts_valid_files(tmp_path: Path, ext: str) -> None:
    res = riot_validate(_write(tmp_path, f"ok.{ext}", VALID[ext]))
    assert res.ok, res.output
    assert (res.returncode, res.errors, res.warnings) == (0, 0, 0)


@pytest.mark.parametrize("name", ["org.ttl", "org.rdf"])
def test_riot_accepts_w3c_org_ontology(name: str) -> None:
    res = riot_validate(ORG_DIR / name)
    assert res.ok, res.output


def test_riot_reports_syntax_error(tmp_path: Path) -> None:
    res = riot_validate(_write(tmp_path, "broken.ttl", EX + 'ex:a ex:p "x"\n'))  # no final dot
    assert not res.ok
    assert res.returncode != 0
    assert res.errors == 1 and res.warnings == 0
    assert "Triples not terminated by DOT" in res.output


def test_riot_literal_space_in_iri_is_an_error(tmp_path: Path) -> None:
    # A raw space inside <...> is a tokenizer ERROR, not a warning.
    res = riot_validate(_write(tmp_path, "space.ttl", EX + "ex:a ex:p <http://example.org/a b> .\n"))
    assert res.errors == 1 and not res.ok
    assert "Bad character in IRI (space)" in res.output


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        # Syntactically a langtag, but the private-use subtag is longer than 8 chars (BCP 47).
        ("lang.ttl", EX + 'ex:a ex:p "x"@en-x-toolongsubtagxx .\n', "Language not valid"),
        # An escaped space passes the tokenizer, then fails the IRI check -> WARN only.
        ("esc.nt", '<http://example.org/\\u0020x> <http://example.org/p> "x" .\n', "Bad IRI"),
        ("pct.ttl", EX + "ex:a ex:p <http://example.org/%zz> .\n", "ILLEGAL_PERCENT_ENCODING"),
        # Needs --check (part of --validate): ill-typed literal.
        (
            "lex.ttl",
            EX + 'ex:a ex:p "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
            "not valid for datatype",
        ),
    ],
)
def test_riot_warnings_make_result_not_ok(tmp_path: Path, name: str, text: str, message: str) -> None:
    res = riot_validate(_write(tmp_path, name, text))
    assert res.errors == 0 and res.warnings >= 1, res.output
    assert message in res.output
    assert not res.ok


def test_riot_counts_jsonld_warnings_even_with_exit_0(tmp_path: Path) -> None:
    # The JSON-LD parser (titanium) warns via java.util.logging, drops the value and exits 0.
    doc = (
        '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a",'
        ' "ex:p": {"@value": "x", "@language": "en-x-toolongsubtagxx"}}\n'
    )
    res = riot_validate(_write(tmp_path, "warn.jsonld", doc))
    assert res.returncode == 0
    assert res.warnings >= 1, res.output
    assert not res.ok


def test_riot_rejects_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown RDF extension"):
        riot_validate(_write(tmp_path, "data.txt", VALID["nt"]))
    # An explicit syntax overrides the extension.
    assert riot_validate(tmp_path / "data.txt", syntax="N-Triples").ok


def test_fuseki_answers_select(tmp_path: Path) -> None:
    data = _write(
        tmp_path,
        "cities.ttl",
        EX
        + (
            'ex:oslo a ex:City ; ex:name "Oslo" .\n'
            'ex:lyon a ex:City ; ex:name "Lyon" .\n'
            'ex:acme a ex:Company ; ex:name "ACME" .\n'
        ),
    )
    query = EX.replace("@prefix", "PREFIX").rstrip(" .\n") + (
        "\nSELECT ?city ?name WHERE { ?city a ex:City ; ex:name ?name } ORDER BY ?name"
    )
    with FusekiServer(data) as server:
        assert server.query_url.endswith("/ds/sparql")
        assert server.startup_seconds is not None
        r = httpx.post(
            server.query_url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        r.raise_for_status()
        body = r.json()
        # /$/ping is enabled too (--ping).
        assert httpx.get(f"{server.base_url}/$/ping", timeout=5).status_code == 200
    assert body["head"]["vars"] == ["city", "name"]
    rows = [(b["city"]["value"], b["name"]["value"]) for b in body["results"]["bindings"]]
    assert rows == [("http://example.org/lyon", "Lyon"), ("http://example.org/oslo", "Oslo")]
    # The server is gone after the with-block.
    with pytest.raises(httpx.TransportError):
        httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=2)


def test_fuseki_reports_bad_data(tmp_path: Path) -> None:
    # A mid-file syntax error makes Fuseki exit ("Failed to load file"). Note: a file that only
    # lacks its final dot is loaded silently by Fuseki, although riot reports it as an ERROR.
    bad = _write(tmp_path, "bad.ttl", EX + 'ex:a ex:p "x" .\nex:b ex:p ; .\n')
    server = FusekiServer(bad, startup_timeout=30)
    try:
        with pytest.raises(RuntimeError, match="Failed to load file"):
            server.start()
    finally:
        server.stop()  # never leak a JVM if start() unexpectedly succeeds
