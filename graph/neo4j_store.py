"""The Neo4j store: the canonical model as a property graph on a Neo4j server, over Bolt.

One node per entity, labelled ``:Entity`` plus its kind (``:City``, ``:Organisation``, …), and
one relationship per relation, typed by its kind (``MEMBER_OF``, ``PARTY_TO``, …); a ``:Source``
node per source. Labels and relationship types come only from the literal tables below, never
from data; every value travels as a query parameter.

Sources stay separable as in the embedded store's named graphs: a relationship carries the
``graph`` (source) it belongs to, and an entity node keeps one record per source that describes
it (``sources`` and ``records``, parallel lists, records as JSON) next to the merged view that
queries read (``label``, ``aliases``, ``nameKeys``, …). Writing a source follows one protocol,
used by :meth:`Neo4jStore.load` and by ``climatekg neo4j push``: mark the Source node pending,
MERGE entities and relationships in batches, write the digest last. A source without its digest
is incomplete; writing it again either resumes (same content) or first removes what it had.

Credentials come from ``NEO4J_USER``/``NEO4J_PASSWORD`` (and ``NEO4J_DATABASE``) or, when those
are unset, from ``$XDG_CONFIG_HOME/climatekg/neo4j.toml`` (``~/.config/…``; ``CLIMATEKG_NEO4J_CONFIG``
names another file). The password is handed to the driver and to nothing else: it is never
printed, logged or put in an error message.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tomllib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.errors import LoadError, StoreError
from climatekg.graph.model import (
    Batch,
    Entity,
    EntityKind,
    Provenance,
    Relation,
    RelationKind,
    Source,
    normalise_name,
)
from climatekg.graph.store import LoadReport, SourceInfo

#: Node label per entity kind: the only labels any query text ever contains.
KIND_LABEL: dict[EntityKind, str] = {
    EntityKind.CITY: "City",
    EntityKind.PLACE: "Place",
    EntityKind.ORGANISATION: "Organisation",
    EntityKind.INITIATIVE: "Initiative",
    EntityKind.AGREEMENT: "Agreement",
    EntityKind.TECHNOLOGY: "Technology",
    EntityKind.EVENT: "Event",
    EntityKind.PERSON: "Person",
}
LABEL_KIND = {label: kind for kind, label in KIND_LABEL.items()}

#: Relationship type per relation kind: the only types any query text ever contains.
REL_TYPE: dict[RelationKind, str] = {
    RelationKind.MEMBER_OF: "MEMBER_OF",
    RelationKind.PARTY_TO: "PARTY_TO",
    RelationKind.SIGNED_AT: "SIGNED_AT",
    RelationKind.WORKS_FOR: "WORKS_FOR",
    RelationKind.PARTICIPATED_IN: "PARTICIPATED_IN",
    RelationKind.LAUNCHED_AT: "LAUNCHED_AT",
    RelationKind.LED_BY: "LED_BY",
    RelationKind.HELD_IN: "HELD_IN",
    RelationKind.LOCATED_IN: "LOCATED_IN",
    RelationKind.DEMONSTRATES: "DEMONSTRATES",
    RelationKind.PROVIDES: "PROVIDES",
    RelationKind.CONCERNS: "CONCERNS",
    RelationKind.BUILDS_ON: "BUILDS_ON",
    RelationKind.PARTNER_OF: "PARTNER_OF",
    RelationKind.BROADER: "BROADER",
}
TYPE_KIND = {rel_type: kind for kind, rel_type in REL_TYPE.items()}

#: ``:TYPE1|TYPE2|…`` — every model relationship type, for traversals that must not leave the model.
ALL_TYPES = "|".join(REL_TYPE.values())
#: A node created only as the end of a relationship whose entity is not (yet) written.
PLACEHOLDER = "Placeholder"
_ALL_KIND_LABELS = ":".join([PLACEHOLDER, *KIND_LABEL.values()])

#: Seconds to wait for a TCP connection, and for retries of a failed transaction: a server
#: that is down or refuses the password is reported within 5 s.
CONNECT_TIMEOUT = 3.0
RETRY_TIME = 2.0
#: Rows per write transaction (``UNWIND $rows``); chosen by bench/bench_neo4j.py.
DEFAULT_BATCH_SIZE = 5_000

#: The merged-view properties of an entity node; all set on every write (absent ones to null).
FLAT_FIELDS = (
    "kind",
    "label",
    "labelLangs",
    "labelTexts",
    "aliases",
    "nameKeys",
    "nameText",
    "wikidata",
    "wikidataText",
    "classification",
    "description",
    "date",
    "country",
    "lat",
    "lon",
    "source",
    "locator",
    "quote",
    "status",
)
_BLANK = dict.fromkeys(FLAT_FIELDS)

for _name in [*KIND_LABEL.values(), *REL_TYPE.values(), PLACEHOLDER]:
    # Labels and types are pasted into query text, so they must be plain identifiers.
    assert _name.replace("_", "").isalpha(), _name


def _cypher(template: str, **names: str) -> str:
    """Fill ``{label}``-style slots of a query with names from the fixed tables above only."""
    allowed = {*KIND_LABEL.values(), *REL_TYPE.values(), PLACEHOLDER, _ALL_KIND_LABELS, ALL_TYPES, "MERGE"}
    allowed.add("CREATE")
    for value in names.values():
        if value not in allowed:
            raise ValueError(f"not a model label or type: {value!r}")
    return template.format(**names)


# ---- credentials ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """Who to log in as. ``origin`` says where they came from; the password is never shown."""

    user: str
    password: str | None = field(repr=False)
    database: str | None = None
    origin: str = "defaults"


def config_path() -> Path:
    """The credentials file: ``CLIMATEKG_NEO4J_CONFIG`` or ``$XDG_CONFIG_HOME/climatekg/neo4j.toml``."""
    named = os.environ.get("CLIMATEKG_NEO4J_CONFIG")
    if named:
        return Path(named)
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "climatekg" / "neo4j.toml"


def load_credentials() -> Credentials:
    """``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE`` if set, else the config file, else none.

    The file holds ``user = "neo4j"``, ``password = "…"`` and optionally ``database = "…"``
    (top level or under a ``[neo4j]`` table). Without a password the driver connects without
    auth, which a server with auth on refuses.
    """
    if "NEO4J_PASSWORD" in os.environ or "NEO4J_USER" in os.environ:
        return Credentials(
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD"),
            os.environ.get("NEO4J_DATABASE") or None,
            "the NEO4J_USER/NEO4J_PASSWORD environment variables",
        )
    path = config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            # the parser's message names a line and column, never the file's content
            raise StoreError(f"{path}: not valid TOML ({str(exc).splitlines()[0]})") from None
        table = data.get("neo4j", data)
        password = table.get("password")
        if password is not None and not isinstance(password, str):
            raise StoreError(f"{path}: password must be a string")
        return Credentials(
            str(table.get("user", "neo4j")),
            password,
            os.environ.get("NEO4J_DATABASE") or table.get("database") or None,
            f"the config file {path}",
        )
    return Credentials("neo4j", None, os.environ.get("NEO4J_DATABASE") or None, "no credentials (auth off)")


# ---- records: one source's description of an entity, and the merged view ---------------------


def entity_record(e: Entity) -> dict[str, Any]:
    """One source's description of an entity, as stored (JSON) in the node's ``records``."""
    rec: dict[str, Any] = {
        "kind": e.kind.value,
        "label": e.label,
        "labels": [list(pair) for pair in e.labels],
        "aliases": list(e.aliases),
        "wikidata": e.wikidata,
        "classification": e.classification,
        "description": e.description,
        "date": e.date,
        "country": e.country,
        "lat": e.lat,
        "lon": e.lon,
        "source": e.provenance.source,
        "locator": e.provenance.locator,
        "quote": e.provenance.quote,
        "status": e.provenance.status,
    }
    return {k: val for k, val in rec.items() if val not in (None, [])}


def record_json(rec: dict[str, Any]) -> str:
    """A record as compact, canonical JSON (equal records → equal strings)."""
    return json.dumps(rec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_entity(entity_id: str, rec: dict[str, Any]) -> Entity:
    """The Entity one record describes (what ``neo4j pull`` hands back to the embedded store)."""
    return Entity(
        id=entity_id,
        kind=EntityKind(rec["kind"]),
        label=rec.get("label", ""),
        provenance=Provenance(
            source=rec.get("source", ""),
            loader="",
            locator=rec.get("locator"),
            quote=rec.get("quote"),
            status="extracted" if rec.get("status") == "extracted" else "curated",
        ),
        labels=tuple((lang, text) for lang, text in rec.get("labels", [])),
        aliases=tuple(rec.get("aliases", [])),
        wikidata=rec.get("wikidata"),
        classification=rec.get("classification"),
        description=rec.get("description"),
        date=rec.get("date"),
        country=rec.get("country"),
        lat=rec.get("lat"),
        lon=rec.get("lon"),
    )


def merged_view(entity_id: str, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The node properties queries read, from the records of every source (in source-id order).

    Names are the union over sources (as the embedded store's union graph has them); a
    single-valued field takes the first source's value that has one.
    """

    def first(key: str) -> Any:
        return next((r[key] for r in records if r.get(key) is not None), None)

    label = records[0].get("label", "") if records else ""
    pairs: dict[tuple[str, str], None] = {}
    aliases: dict[str, None] = {}
    keys: set[str] = set()
    wikidata: dict[str, None] = {}
    for r in records:
        names = [r.get("label", ""), *(text for _, text in r.get("labels", [])), *r.get("aliases", [])]
        keys.update(normalise_name(n) for n in names)
        if r.get("label", "") != label:
            pairs[("en", r.get("label", ""))] = None
        for lang, text in r.get("labels", []):
            pairs[(lang, text)] = None
        aliases.update(dict.fromkeys(r.get("aliases", [])))
        if r.get("wikidata"):
            wikidata[r["wikidata"]] = None
    pairs.pop(("en", label), None)
    lat, lon = first("lat"), first("lon")
    return {
        **_BLANK,
        "kind": records[0]["kind"] if records else None,
        "label": label or entity_id,
        "labelLangs": [lang for lang, _ in pairs],
        "labelTexts": [text for _, text in pairs],
        "aliases": list(aliases),
        "nameKeys": sorted(keys),
        # one string, newline-delimited, so a TEXT index answers exact keys and substrings
        "nameText": "\n" + "\n".join(sorted(keys)) + "\n",
        "wikidata": next(iter(wikidata), None),
        "wikidataText": "\n" + "\n".join(wikidata) + "\n" if wikidata else None,
        "classification": first("classification"),
        "description": first("description"),
        "date": first("date"),
        "country": first("country"),
        "lat": float(lat) if lat is not None else None,
        "lon": float(lon) if lon is not None else None,
        "source": first("source") or "",
        "locator": first("locator"),
        "quote": first("quote"),
        "status": first("status") or "curated",
    }


def relation_row(r: Relation, graph: str, loader: str) -> dict[str, Any]:
    """A relationship write row. Only what differs from the defaults is stored (source: the
    graph; loader: the source's; status curated; confidence 1): a plain relation is two ids."""
    p = r.provenance
    props: dict[str, Any] = {}
    row: dict[str, Any] = {"s": r.subject, "o": r.object, "rid": r.id, "p": props}
    for key, value, default in (
        ("source", p.source, graph),
        ("loader", p.loader, loader),
        ("status", p.status, "curated"),
        ("confidence", p.confidence, 1.0),
        ("locator", p.locator, None),
        ("quote", p.quote, None),
        ("start", r.start, None),
        ("end", r.end, None),
        ("role", r.role, None),
    ):
        if value != default:
            props[key] = value
    return row


# ---- the write protocol's Cypher --------------------------------------------------------------

_ENTITY_WRITE = """
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
WITH e, row, coalesce(e.sources, []) AS old, coalesce(e.records, []) AS recs
WITH e, row, old, recs, [i IN range(0, size(old) - 1) WHERE old[i] <> $graph] AS keep
WITH e, row, [i IN keep | old[i]] AS ks, [i IN keep | recs[i]] AS kr
WITH e, row, ks, kr, size([x IN ks WHERE x < $graph]) AS at
SET e.sources = ks[..at] + [$graph] + ks[at..], e.records = kr[..at] + [row.record] + kr[at..]
REMOVE e:{all_labels}
SET e:{label}
SET e += $blank
SET e += row.flat
WITH e WHERE size(e.sources) > 1
RETURN e.id AS id
"""

_EXISTING = "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id"

_ENTITY_CREATE = """
UNWIND $rows AS row
CREATE (e:Entity:{label} {{id: row.id}})
SET e += row.flat, e.sources = [$graph], e.records = [row.record]
"""

_RELATION_WRITE = """
UNWIND $rows AS row
MATCH (a:Entity {{id: row.s}})
MATCH (b:Entity {{id: row.o}})
{verb} (a)-[r:{type} {{graph: $graph, rid: row.rid}}]->(b)
SET {assignment}
RETURN count(r) AS n
"""


def _relation_write(kind: RelationKind, create: bool) -> str:
    """CREATE adds the stored properties; MERGE (a resumed write) replaces them all."""
    if create:
        return _RELATION_WRITE.format(verb="CREATE", type=REL_TYPE[kind], assignment="r += row.p")
    assignment = "r = row.p, r.graph = $graph, r.rid = row.rid"
    return _RELATION_WRITE.format(verb="MERGE", type=REL_TYPE[kind], assignment=assignment)


_ENSURE_ENDS = f"""
UNWIND $ids AS id
MERGE (e:Entity {{id: id}})
ON CREATE SET e:{PLACEHOLDER}, e.sources = [], e.records = []
"""

_DELETE_RELATIONSHIPS = """
MATCH ()-[r:{type}]->() WHERE r.graph = $graph AND r.rid IS NOT NULL
CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS
"""

_DROP_RECORDS = """
MATCH (e:Entity) WHERE $graph IN e.sources
CALL (e) {
  WITH e, [i IN range(0, size(e.sources) - 1) WHERE e.sources[i] <> $graph] AS keep
  SET e.records = [i IN keep | e.records[i]], e.sources = [i IN keep | e.sources[i]]
  RETURN size(keep) AS left
} IN TRANSACTIONS OF 10000 ROWS
WITH e, left WHERE left > 0
RETURN e.id AS id
"""

_ORPHANS_TO_PLACEHOLDERS = f"""
MATCH (e:Entity) WHERE e.sources = [] AND NOT e:{PLACEHOLDER}
CALL (e) {{ REMOVE e:{_ALL_KIND_LABELS} SET e:{PLACEHOLDER} SET e += $blank }} IN TRANSACTIONS OF 10000 ROWS
"""

_DROP_LONE_PLACEHOLDERS = f"""
MATCH (e:{PLACEHOLDER}) WHERE NOT EXISTS {{ (e)--() }}
CALL (e) {{ DELETE e }} IN TRANSACTIONS OF 10000 ROWS
"""

_SET_MERGED = """
UNWIND $rows AS row
MATCH (e:Entity {{id: row.id}})
REMOVE e:{all_labels}
SET e:{label}
SET e += $blank
SET e += row.flat
"""

_ENTITY_FIELDS = (
    "e.id AS id, e.kind AS kind, e.label AS label, e.labelLangs AS langs, e.labelTexts AS texts, "
    "e.aliases AS aliases, e.wikidata AS wikidata, e.classification AS classification, "
    "e.description AS description, e.date AS date, e.country AS country, e.lat AS lat, e.lon AS lon, "
    "e.source AS source, e.locator AS locator, e.quote AS quote, e.status AS status"
)
_RELATION_FIELDS = (
    "a.id AS s, type(r) AS type, b.id AS o, r.graph AS graph, r.source AS source, r.loader AS loader, "
    "r.locator AS locator, r.quote AS quote, r.confidence AS confidence, r.status AS status, "
    "r.start AS start, r.end AS end, r.role AS role"
)


@dataclass
class SourceSummary:
    """What the Source node records once a source is completely written (the digest last)."""

    source: Source
    key: str  # equal key → equal content: a later write of the same key is skipped
    digest: str
    loaded_at: str
    triples: int
    quads: int
    relation_counts: dict[str, int]
    merges: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


class Neo4jStore:
    """The Store Protocol on a Neo4j 5 server (``bolt://``, ``neo4j://``, ``neo4j+s://``)."""

    kind = "neo4j"

    def __init__(self, driver: Any, where: str, database: str | None = None):
        self._driver = driver
        self.where = where  # scheme://host:port, never with credentials
        self.database = database
        self.base = v.base_iri()
        self._schema_ready = False

    def __repr__(self) -> str:
        return f"Neo4jStore({self.where!r})"

    @property
    def location(self) -> str:
        """The server's URL without credentials: ``open_store`` connects to it again."""
        return self.where

    def side_path(self, name: str) -> Path:
        """Files kept for this server on this machine (review memory, caches), outside the server."""
        root = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        key = hashlib.sha1(f"{self.where}|{self.database or ''}".encode()).hexdigest()[:12]
        folder = root / "climatekg" / f"neo4j-{key}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    @classmethod
    def connect(cls, url: str, *, credentials: Credentials | None = None) -> Neo4jStore:
        """Open a driver to ``url`` and check that it logs in; a one-line StoreError otherwise."""
        import neo4j

        parts = urlsplit(url)
        if parts.username or parts.password:
            raise StoreError(
                "put the Neo4j user and password in NEO4J_USER/NEO4J_PASSWORD or the config file, not in the URL"
            )
        try:
            port = parts.port or 7687
        except ValueError:
            raise StoreError(f"invalid Neo4j URL port in {parts.scheme}://{parts.hostname}") from None
        where = f"{parts.scheme}://{parts.hostname}:{port}"
        creds = credentials or load_credentials()
        auth = (creds.user, creds.password) if creds.password is not None else None
        try:
            driver = neo4j.GraphDatabase.driver(
                url,
                auth=auth,
                connection_timeout=CONNECT_TIMEOUT,
                connection_acquisition_timeout=CONNECT_TIMEOUT + 1,
                max_transaction_retry_time=RETRY_TIME,
                notifications_min_severity="OFF",
                user_agent="climatekg",
            )
        except (neo4j.exceptions.ConfigurationError, ValueError) as exc:
            raise StoreError(f"invalid Neo4j URL {where}: {exc}") from None
        store = cls(driver, where, creds.database)
        try:
            who = f"as user {creds.user!r} (credentials from {creds.origin})"
            with store._errors(who), driver.session(database=creds.database) as session:
                session.run("RETURN 1").consume()
        except StoreError:
            driver.close()
            raise
        return store

    # ---- plumbing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, who: str = "") -> Iterator[None]:
        """Driver and server errors become one-line StoreErrors that name the server, not secrets."""
        import neo4j.exceptions as ne

        try:
            yield
        except ne.AuthError:
            raise StoreError(f"Neo4j at {self.where} refused the login {who}".rstrip()) from None
        except (ne.ServiceUnavailable, ne.SessionExpired, OSError):
            raise StoreError(f"cannot reach Neo4j at {self.where} (is the server running?)") from None
        except ne.Neo4jError as exc:
            message = " ".join(str(exc.message or exc.code).split())
            raise StoreError(f"Neo4j at {self.where}: {message}") from None
        except ne.DriverError as exc:
            raise StoreError(f"Neo4j at {self.where}: {type(exc).__name__}") from None

    def _query(self, query: str, /, write: bool = False, **params: Any) -> list[Any]:
        import neo4j

        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        with self._errors():
            records, _, _ = self._driver.execute_query(
                query, params, routing_=routing, database_=self.database
            )
        return list(records)

    def _auto(self, query: str, /, **params: Any) -> list[Any]:
        """An auto-commit transaction: what ``CALL … IN TRANSACTIONS`` needs."""
        with self._errors(), self._driver.session(database=self.database) as session:
            return list(session.run(query, params))

    def _stream(self, query: str, /, **params: Any) -> Iterator[Any]:
        """Records one by one, without holding the whole answer in memory."""
        with self._errors(), self._driver.session(database=self.database, fetch_size=2000) as session:
            yield from session.run(query, params)

    def run_read(self, query: str, /, **params: Any) -> list[Any]:
        """A read-only query (for queries/on_neo4j.py); errors as StoreError."""
        return self._query(query, **params)

    def ensure_schema(self) -> None:
        """Uniqueness constraints (and their indexes); created once, before the first write."""
        if self._schema_ready:
            return
        statements = [
            "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
            "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE",
        ]
        for rel_type in REL_TYPE.values():
            # (graph, rid) identifies a relationship; with graph first the same index also
            # finds every relationship of one source (re-push, remove).
            statements.append(
                f"CREATE CONSTRAINT rel_{rel_type.lower()} IF NOT EXISTS "
                f"FOR ()-[r:{rel_type}]-() REQUIRE (r.graph, r.rid) IS UNIQUE"
            )
        for statement in statements:
            self._auto(statement)
        self._auto("CALL db.awaitIndexes(300)")
        self._schema_ready = True

    def ensure_text_indexes(self) -> None:
        """The TEXT indexes behind find and search, made once a source is written: filling an
        index in one pass costs less than updating it row by row (it halved entity writes)."""
        self._auto("CREATE TEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON (e.nameText)")
        self._auto("CREATE TEXT INDEX entity_wikidata IF NOT EXISTS FOR (e:Entity) ON (e.wikidataText)")
        self._auto("CALL db.awaitIndexes(600)")

    # ---- the write protocol ---------------------------------------------------------------

    def begin_source(self, source_id: str, key: str) -> str:
        """Prepare to write a source: ``"unchanged"``, ``"resume"`` or ``"fresh"``.

        ``unchanged``: complete with the same key, nothing to do. ``resume``: an earlier write of
        the same key stopped half-way; what it wrote is a subset of what comes, so MERGE completes
        it. ``fresh``: whatever the source had (another version, complete or not) is removed first.
        """
        self.ensure_schema()
        rows = self._query(
            "MATCH (s:Source {id: $id}) RETURN s.digest AS digest, s.syncKey AS key, s.pending AS pending",
            id=source_id,
        )
        if rows:
            row = rows[0]
            if row["pending"] is None and row["digest"] is not None and row["key"] == key:
                return "unchanged"
            if row["pending"] == key:
                return "resume"
            # Dirty first, so that a crash during the removal is never taken for a complete source.
            self._query(
                "MATCH (s:Source {id: $id}) REMOVE s.digest, s.syncKey SET s.pending = ''",
                write=True,
                id=source_id,
            )
            self._remove_data(source_id)
        self._query(
            "MERGE (s:Source {id: $id}) SET s.pending = $key REMOVE s.digest, s.syncKey",
            write=True,
            id=source_id,
            key=key,
        )
        return "fresh"

    def write_entities(self, kind: EntityKind, graph: str, entities: Sequence[Entity]) -> list[str]:
        """MERGE one source's records of entities of one kind (one transaction).

        Returns the ids now described by more than one source, whose merged view the caller
        recomputes with :meth:`refresh_merged` once the source is written.
        """
        rows = []
        for e in entities:
            rec = entity_record(e)
            flat = {k: val for k, val in merged_view(e.id, [rec]).items() if val is not None}
            rows.append({"id": e.id, "record": record_json(rec), "flat": flat})
        # New entities (the common case) are CREATEd by the cheap query; the others, which may hold
        # records of other sources or be placeholders, go through the MERGE that edits the lists.
        known = {r["id"] for r in self._query(_EXISTING, ids=[r["id"] for r in rows])}
        fresh = [r for r in rows if r["id"] not in known]
        label = KIND_LABEL[kind]
        if fresh:
            self._query(_cypher(_ENTITY_CREATE, label=label), write=True, rows=fresh, graph=graph)
        rest = [r for r in rows if r["id"] in known]
        if not rest:
            return []
        query = _cypher(_ENTITY_WRITE, label=label, all_labels=_ALL_KIND_LABELS)
        return [r["id"] for r in self._query(query, write=True, rows=rest, graph=graph, blank=_BLANK)]

    def write_relations(
        self, kind: RelationKind, graph: str, loader: str, rows: Sequence[dict[str, Any]], *, create: bool
    ) -> None:
        """CREATE (fresh source) or MERGE (resume) relationships of one kind (one transaction).

        ``rows`` come from :func:`relation_row`. An end that no entity node exists for yet gets
        a placeholder node, filled in when its entity is written.
        """
        params = {"rows": list(rows), "graph": graph}
        written = self._query(_relation_write(kind, create), write=True, **params)[0]["n"]
        if written < len(rows):
            ends = sorted({r["s"] for r in rows} | {r["o"] for r in rows})
            self._query(_ENSURE_ENDS, write=True, ids=ends)
            # rows whose ends existed were written above: MERGE adds only the others
            self._query(_relation_write(kind, False), write=True, **params)

    def refresh_merged(self, ids: Iterable[str], batch_size: int = 1000) -> None:
        """Recompute the merged view of entities described by several sources (or fewer than before)."""
        todo = sorted(set(ids))
        for start in range(0, len(todo), batch_size):
            found = self._query(
                "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id, e.records AS records",
                ids=todo[start : start + batch_size],
            )
            by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for r in found:
                records = [json.loads(text) for text in r["records"] or []]
                flat = merged_view(r["id"], records) if records else dict(_BLANK)
                label = KIND_LABEL[EntityKind(flat["kind"])] if flat["kind"] else PLACEHOLDER
                by_label[label].append(
                    {"id": r["id"], "flat": {k: x for k, x in flat.items() if x is not None}}
                )
            for label, rows in by_label.items():
                query = _cypher(_SET_MERGED, all_labels=_ALL_KIND_LABELS, label=label)
                self._query(query, write=True, rows=rows, blank=_BLANK)

    def finish_source(self, summary: SourceSummary) -> None:
        """Write the Source node's fields, the digest last of all: the source is now complete."""
        src = summary.source
        props = {
            "title": src.title,
            "loader": src.loader,
            "publisher": src.publisher,
            "url": src.url,
            "issued": src.issued,
            "licence": src.licence,
            "path": src.path,
            "loadedAt": summary.loaded_at,
            "writtenAt": _now(),
            "triples": summary.triples,
            "quads": summary.quads,
            "relationCounts": json.dumps(summary.relation_counts, sort_keys=True),
            "mergeAliases": [a for a, _ in summary.merges],
            "mergeTargets": [c for _, c in summary.merges],
            "skipped": summary.skipped,
        }
        self._auto(_DROP_LONE_PLACEHOLDERS)
        self.ensure_text_indexes()
        self._query(
            "MATCH (s:Source {id: $id}) SET s += $props SET s.syncKey = $key, s.digest = $digest "
            "REMOVE s.pending",
            write=True,
            id=src.id,
            props=props,
            key=summary.key,
            digest=summary.digest or "none",
        )

    def _remove_data(self, source_id: str) -> None:
        """Delete a source's relationships and its records of entities; entities left without
        any record and without relationships go, those still tied to others become placeholders."""
        for rel_type in REL_TYPE.values():
            self._auto(_cypher(_DELETE_RELATIONSHIPS, type=rel_type), graph=source_id)
        shared = [r["id"] for r in self._auto(_DROP_RECORDS, graph=source_id)]
        self._auto(_ORPHANS_TO_PLACEHOLDERS, blank=_BLANK)
        self._auto(_DROP_LONE_PLACEHOLDERS)
        self.refresh_merged(shared)

    def remove_source(self, source_id: str) -> None:
        """Forget everything one source said (its Source node last)."""
        self.ensure_schema()
        self._query(
            "MATCH (s:Source {id: $id}) REMOVE s.digest, s.syncKey SET s.pending = ''",
            write=True,
            id=source_id,
        )
        self._remove_data(source_id)
        self._query("MATCH (s:Source {id: $id}) DELETE s", write=True, id=source_id)

    def wipe(self) -> None:
        """Delete every node and relationship (tests; ``push --prune`` of everything)."""
        self._auto("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")

    # ---- Store Protocol: writing ------------------------------------------------------------

    def load(self, batch: Batch, *, batch_size: int = DEFAULT_BATCH_SIZE) -> LoadReport:
        """Replace one source's facts with ``batch``; equal input (digest) → no change.

        Bad input is refused before anything is written. The writes are batched transactions
        with the digest written last: a load that fails half-way leaves the source marked
        incomplete, and loading it again completes or replaces it.
        """
        from climatekg.graph import neo4j_sync

        src = batch.source
        key = batch.digest or uuid.uuid4().hex  # no digest: always rewrite, as the embedded store does
        if batch.rdf_path:
            content = neo4j_sync.rdf_file_content(batch)
        else:
            self._check(batch)
            content = neo4j_sync.batch_content(batch)
        state = self.begin_source(src.id, key)
        if state == "unchanged":
            return LoadReport(src.id, False, len(batch.entities), len(batch.relations), 0)
        written = neo4j_sync.write_content(self, content, create=state == "fresh", batch_size=batch_size)
        self.finish_source(
            SourceSummary(
                source=content.source,
                key=key,
                digest=batch.digest,
                loaded_at=_now(),
                triples=content.triples,
                quads=content.quads,
                relation_counts=content.relation_counts,
                merges=content.merges,
                skipped=content.skipped,
            )
        )
        return LoadReport(src.id, True, written.entities, written.relations, content.triples)

    def _check(self, batch: Batch) -> None:
        """What the embedded store checks across sources: one kind per id, relation ends exist."""
        kinds = {e.id: e.kind for e in batch.entities}
        ends = {end for r in batch.relations for end in (r.subject, r.object)}
        stored: dict[str, tuple[str | None, list[str]]] = {}
        ids = sorted(set(kinds) | ends)
        for start in range(0, len(ids), 5000):
            for r in self._query(
                "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id, e.kind AS kind, e.sources AS sources",
                ids=ids[start : start + 5000],
            ):
                stored[r["id"]] = (r["kind"], r["sources"] or [])
        where = batch.source.path or batch.source.id
        for e in batch.entities:
            kind, sources = stored.get(e.id, (None, []))
            if kind is not None and kind != e.kind.value and set(sources) - {batch.source.id}:
                raise LoadError(where, f"entity {e.id} is a {e.kind.value} here but a {kind} in the store")
        for r in batch.relations:
            for end in (r.subject, r.object):
                kind, sources = stored.get(end, (None, []))
                # an entity only this source stated disappears when the source is replaced
                if end not in kinds and (kind is None or not set(sources) - {batch.source.id}):
                    raise LoadError(
                        where,
                        f"relation {r.kind.value} refers to unknown entity {end}",
                        field=r.provenance.locator,
                    )

    # ---- Store Protocol: reading ------------------------------------------------------------

    def kind_of(self, entity_id: str) -> EntityKind | None:
        """The kind of an entity, or None when it is not stored."""
        rows = self._query("MATCH (e:Entity {id: $id}) RETURN e.kind AS kind", id=entity_id)
        kind = rows[0]["kind"] if rows else None
        return EntityKind(kind) if kind else None

    def entity(self, entity_id: str) -> Entity | None:
        """One entity, its labels and aliases merged over all sources."""
        rows = self._query(
            f"MATCH (e:Entity {{id: $id}}) WHERE e.kind IS NOT NULL RETURN {_ENTITY_FIELDS}", id=entity_id
        )
        return _entity(rows[0]) if rows else None

    def entities(self, kind: EntityKind | None = None) -> Iterator[Entity]:
        """All entities, or those of one kind (streamed)."""
        for k in [kind] if kind else list(KIND_LABEL):
            query = _cypher("MATCH (e:{label}) RETURN " + _ENTITY_FIELDS, label=KIND_LABEL[k])
            for row in self._stream(query):
                yield _entity(row)

    def relations(self, entity_id: str | None = None) -> Iterator[Relation]:
        """Relations with provenance: all, or those with ``entity_id`` at either end."""
        loaded = {s.id: (s.loaded_at, s.loader) for s in self.sources()}
        if entity_id is None:
            rows: Iterable[Any] = self._stream(f"MATCH (a)-[r:{ALL_TYPES}]->(b) RETURN {_RELATION_FIELDS}")
        else:
            rows = self._query(
                f"MATCH (e:Entity {{id: $id}}) MATCH (a)-[r:{ALL_TYPES}]->(b) WHERE a = e OR b = e "
                f"RETURN DISTINCT {_RELATION_FIELDS}",
                id=entity_id,
            )
        for row in rows:
            yield _relation(row, loaded)

    def find(self, name: str) -> list[str]:
        """Entity ids named ``name`` by id, label, alias, other-language label or Wikidata id."""
        text = name.strip()
        found: list[str] = []
        if self.kind_of(text) is not None:
            found.append(text)
        elif "/" in name and " " not in text:
            for row in self._query(
                "MATCH (s:Source) WHERE $id IN s.mergeAliases "
                "RETURN [i IN range(0, size(s.mergeAliases) - 1) WHERE s.mergeAliases[i] = $id "
                "| s.mergeTargets[i]] AS targets",
                id=text,
            ):
                found.extend(row["targets"])
        key = normalise_name(name)
        if key:
            found.extend(
                r["id"]
                for r in self._query(
                    "MATCH (e:Entity) WHERE e.nameText CONTAINS $needle RETURN e.id AS id",
                    needle=f"\n{key}\n",
                )
            )
        qid = text.upper()
        if qid.startswith("Q") and qid[1:].isdigit():
            found.extend(
                r["id"]
                for r in self._query(
                    "MATCH (e:Entity) WHERE e.wikidataText CONTAINS $needle RETURN e.id AS id",
                    needle=f"\n{qid}\n",
                )
            )
        return sorted({f for f in found if f})

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Ids whose names contain ``text``; exact matches first, then prefixes, then the rest."""
        key = normalise_name(text)
        if not key:
            return []
        rows = self._query(
            "MATCH (e:Entity) WHERE e.nameText CONTAINS $key "
            "WITH e, [k IN e.nameKeys WHERE k CONTAINS $key | "
            "CASE WHEN k = $key THEN 0 WHEN k STARTS WITH $key THEN 1 ELSE 2 END] AS ranks "
            "WHERE size(ranks) > 0 "
            "WITH e.id AS id, reduce(best = 3, x IN ranks | CASE WHEN x < best THEN x ELSE best END) AS rank "
            "RETURN id ORDER BY rank, id LIMIT $limit",
            key=key,
            limit=limit,
        )
        return [r["id"] for r in rows]

    def sources(self) -> list[SourceInfo]:
        """Every source with its load time and size (digest empty while incomplete)."""
        rows = self._query(
            "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.loader AS loader, "
            "s.loadedAt AS loaded_at, s.digest AS digest, s.triples AS triples ORDER BY id"
        )
        return [
            SourceInfo(
                r["id"],
                r["title"] or "",
                r["loader"] or "",
                r["loaded_at"] or "",
                r["digest"] or "",
                r["triples"] or 0,
            )
            for r in rows
        ]

    def source_details(self, source_id: str) -> dict[str, Any] | None:
        """Everything the Source node holds (for ``neo4j pull``)."""
        rows = self._query("MATCH (s:Source {id: $id}) RETURN properties(s) AS p", id=source_id)
        return dict(rows[0]["p"]) if rows else None

    def stats(self) -> dict[str, object]:
        """Counts of entities by kind (live), relations by kind and triples by source (as written).

        Relations count as the embedded store counts them: one per subject, kind, object and
        source, however many dated or qualified records it has.
        """
        parts = " UNION ALL ".join(
            f"MATCH (e:{label}) RETURN '{kind.value}' AS kind, count(e) AS n"
            for kind, label in KIND_LABEL.items()
        )
        by_kind = {r["kind"]: r["n"] for r in self._query(f"CALL () {{ {parts} }} RETURN kind, n") if r["n"]}
        by_rel: dict[str, int] = defaultdict(int)
        sources: dict[str, int] = {}
        quads = 0
        for r in self._query(
            "MATCH (s:Source) RETURN s.id AS id, s.triples AS triples, s.quads AS quads, "
            "s.relationCounts AS counts ORDER BY id"
        ):
            sources[r["id"]] = r["triples"] or 0
            quads += r["quads"] or 0
            for kind, n in json.loads(r["counts"] or "{}").items():
                by_rel[kind] += n
        return {
            "store": self.kind,
            "entities": sum(by_kind.values()),
            "relations": sum(by_rel.values()),
            "entities_by_kind": dict(sorted(by_kind.items())),
            "relations_by_kind": dict(sorted((k, n) for k, n in by_rel.items() if n)),
            "sources": sources,
            "triples": quads,
        }

    def version(self) -> str:
        """A hash of every source's digest and load time."""
        h = hashlib.sha1()
        for s in self.sources():
            h.update(f"{s.id}|{s.digest}|{s.loaded_at}|{s.triples}\n".encode())
        return h.hexdigest()[:16]

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entity(row: Any) -> Entity:
    return Entity(
        id=row["id"],
        kind=EntityKind(row["kind"]),
        label=row["label"],
        provenance=Provenance(
            source=row["source"] or "",
            loader="",
            locator=row["locator"],
            quote=row["quote"],
            status="extracted" if row["status"] == "extracted" else "curated",
        ),
        labels=tuple(zip(row["langs"] or [], row["texts"] or [], strict=True)),
        aliases=tuple(row["aliases"] or []),
        wikidata=row["wikidata"],
        classification=row["classification"],
        description=row["description"],
        date=row["date"],
        country=row["country"],
        lat=row["lat"],
        lon=row["lon"],
    )


def _relation(row: Any, loaded: dict[str, tuple[str, str]]) -> Relation:
    """A relationship as a Relation; what is not stored is the default (see ``relation_row``)."""
    loaded_at, loader = loaded.get(row["graph"], (None, ""))
    return Relation(
        subject=row["s"],
        kind=TYPE_KIND[row["type"]],
        object=row["o"],
        provenance=Provenance(
            source=row["source"] or row["graph"],
            loader=row["loader"] or loader,
            locator=row["locator"],
            quote=row["quote"],
            confidence=float(row["confidence"] if row["confidence"] is not None else 1.0),
            status="extracted" if row["status"] == "extracted" else "curated",
            loaded_at=loaded_at,
        ),
        start=row["start"],
        end=row["end"],
        role=row["role"],
    )


def batch_quads(batch: Batch, base: str) -> tuple[int, int]:
    """(statements written, distinct quads stored) for a batch, as the embedded store counts them."""
    lines = list(m.batch_ntriples(batch, base))
    # the embedded store adds five statements about the load itself to the source's graph
    return len(lines), len(set(lines)) + 5
