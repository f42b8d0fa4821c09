"""The Neo4j store: the canonical model as a property graph on a Neo4j server, over Bolt.

One node per entity, labelled ``:Entity`` plus its kind (``:City``, ``:Organisation``, …), and
one relationship per relation, typed by its kind (``MEMBER_OF``, ``PARTY_TO``, …); a ``:Source``
node per source. Labels and relationship types come only from the literal tables of the codec
(``codec.py``), never from data; every value travels as a query parameter.

Sources stay separable as in the embedded store's named graphs: a relationship carries the
``graph`` (source) it belongs to, and an entity node keeps one record per source that describes
it (``sources`` and ``records``, parallel lists, records as JSON) next to the merged view that
queries read (``label``, ``aliases``, ``nameKeys``, …). Writing a source follows one protocol
(``writes.py``), used by :meth:`Neo4jStore.load` and by ``climatekg neo4j push`` (``sync.py``):
mark the Source node pending, MERGE entities and relationships in batches, write the digest last.

The driver, its errors and the schema are the :class:`Connection` this store is; credentials
come from ``credentials.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from climatekg.graph import vocab as v
from climatekg.graph.errors import LoadError
from climatekg.graph.model import Batch, Entity, EntityKind, Relation, closest_names, normalise_name
from climatekg.graph.store import LoadReport, SourceInfo, sources_version, timestamp
from climatekg.graph.stores.neo4j_store.codec import (
    ALL_TYPES,
    ENTITY_COLUMNS,
    KIND_LABEL,
    RELATION_COLUMNS,
    entity_from_row,
    relation_from_row,
)
from climatekg.graph.stores.neo4j_store.connection import Connection
from climatekg.graph.stores.neo4j_store.content import batch_content, rdf_file_content
from climatekg.graph.stores.neo4j_store.writes import (
    DEFAULT_BATCH_SIZE,
    SourceSummary,
    begin_source,
    cypher,
    finish_source,
    remove_data,
    write_content,
)


class Neo4jStore(Connection):
    """The Store Protocol on a Neo4j 5 server (``bolt://``, ``neo4j://``, ``neo4j+s://``).

    Open one with :meth:`Neo4jStore.connect` (or ``open_store``), which logs in first.
    """

    kind = "neo4j"

    def __init__(self, driver: Any, where: str, database: str | None = None):
        super().__init__(driver, where, database)
        self.base = v.base_iri()

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

    def remove_source(self, source_id: str) -> None:
        """Forget everything one source said (its Source node last)."""
        self.ensure_schema()
        self._query(
            "MATCH (s:Source {id: $id}) REMOVE s.digest, s.syncKey SET s.pending = ''",
            write=True,
            id=source_id,
        )
        remove_data(self, source_id)
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
        src = batch.source
        key = batch.digest or uuid.uuid4().hex  # no digest: always rewrite, as the embedded store does
        if batch.rdf_path:
            content = rdf_file_content(batch)
        else:
            self._check(batch)
            content = batch_content(batch)
        state = begin_source(self, src.id, key)
        if state == "unchanged":
            return LoadReport(src.id, False, len(batch.entities), len(batch.relations), 0)
        written = write_content(self, content, create=state == "fresh", batch_size=batch_size)
        finish_source(
            self,
            SourceSummary(
                source=content.source,
                key=key,
                digest=batch.digest,
                loaded_at=timestamp(),
                triples=content.triples,
                quads=content.quads,
                relation_counts=content.relation_counts,
                merges=content.merges,
                skipped=content.skipped,
            ),
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
            f"MATCH (e:Entity {{id: $id}}) WHERE e.kind IS NOT NULL RETURN {ENTITY_COLUMNS}", id=entity_id
        )
        return entity_from_row(rows[0]) if rows else None

    def entities(self, kind: EntityKind | None = None) -> Iterator[Entity]:
        """All entities, or those of one kind (streamed)."""
        for k in [kind] if kind else list(KIND_LABEL):
            query = cypher("MATCH (e:{label}) RETURN " + ENTITY_COLUMNS, label=KIND_LABEL[k])
            for row in self._stream(query):
                yield entity_from_row(row)

    def relations(self, entity_id: str | None = None) -> Iterator[Relation]:
        """Relations with provenance: all, or those with ``entity_id`` at either end."""
        loaded = {s.id: (s.loaded_at, s.loader) for s in self.sources()}
        if entity_id is None:
            rows: Iterable[Any] = self._stream(f"MATCH (a)-[r:{ALL_TYPES}]->(b) RETURN {RELATION_COLUMNS}")
        else:
            rows = self._query(
                f"MATCH (e:Entity {{id: $id}}) MATCH (a)-[r:{ALL_TYPES}]->(b) WHERE a = e OR b = e "
                f"RETURN DISTINCT {RELATION_COLUMNS}",
                id=entity_id,
            )
        for row in rows:
            loaded_at, loader = loaded.get(row["graph"], (None, ""))
            yield relation_from_row(row, loader=loader, loaded_at=loaded_at)

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
        """Ids whose names contain ``text``; exact matches first, then prefixes, then the rest.

        Names are compared folded (case, accents, quote and dash variants: the ``nameKeys`` the
        writer stores). When no name contains ``text``, the closest names by rapidfuzz's WRatio
        (score ≥ 80) are returned, as on the embedded store: the folded names (only they, never
        the graph) are streamed from the server to be scored here, since Cypher has no such scorer.
        """
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
        if rows:
            return [r["id"] for r in rows]
        names: dict[str, set[str]] = {}
        for r in self._stream("MATCH (e:Entity) UNWIND e.nameKeys AS name RETURN name, e.id AS id"):
            names.setdefault(r["name"], set()).add(r["id"])
        return closest_names(key, names, limit)

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
        return sources_version(self.sources())
