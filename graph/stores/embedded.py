"""The default store: an on-disk RDF dataset (Oxigraph), one named graph per source.

Loads are validated before anything is written, then replace the source's graph atomically
(``replace.py``: the old graph stays until the new content is written, then one transaction
switches); what an interrupted load leaves is removed the next time the store is opened.
Reads use pyoxigraph directly on hot paths; ``rdflib_dataset()`` offers rdflib's API
(pySHACL, serialisers) over the same data.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from climatekg.graph import rdf_mapping as m
from climatekg.graph import vocab as v
from climatekg.graph.errors import LoadError, StoreError
from climatekg.graph.model import (
    Batch,
    Entity,
    EntityKind,
    Relation,
    closest_names,
    normalise_name,
)
from climatekg.graph.rdf_mapping import Term
from climatekg.graph.store import LoadReport, SourceInfo, sources_version
from climatekg.graph.stores import checkpoint
from climatekg.graph.stores.rdf_files import prepared
from climatekg.graph.stores.replace import clean_interrupted, load_record, replace_graph
from climatekg.graph.stores.stated_relations import RELATION_PROPS, stated_relations, term_entity_id
from climatekg.graph.terms import check_batch

if TYPE_CHECKING:
    import rdflib

#: Above this many triples a load goes through the bulk loader: Oxigraph's transactional
#: loader took 1.8 s vs 0.6 s for 127k triples and 46 s vs 9 s for 1.3M on this machine.
TRANSACTION_LIMIT = 20_000

_T = {
    name: ox.NamedNode(iri)
    for name, iri in {
        "type": m.TYPE,
        "same": m.SAME_AS,
        "key": m.NAME_KEY,
        "title": m.SOURCE_FIELDS["title"],
        "digest": v.CKG + "digest",
    }.items()
}


class EmbeddedStore:
    """An on-disk Oxigraph dataset under ``home/store``."""

    kind = "embedded"

    def __init__(self, home: Path, *, read_only: bool = False):
        self.home = Path(home)
        self.base = v.base_iri()
        self.read_only = read_only
        self._keys_held: tuple[str, list[tuple[str, str]]] | None = None
        self._lock = None if read_only else checkpoint.WriterLock(self.home)
        self._in_set = False
        # an interrupted multi-source load is rolled back before the store is opened
        done = [] if read_only else checkpoint.restore(self.home)
        self._ox = self._open()
        if not read_only:
            done += clean_interrupted(self._ox, self.home, self.base)
        for what in done:
            logging.getLogger(__name__).info("%s, left by an interrupted load", what)

    def _open(self) -> ox.Store:
        path = self.home / "store"
        try:
            if self.read_only:
                # a reader never creates files: a home without a store reads as empty
                return ox.Store.read_only(str(path)) if path.exists() else ox.Store()
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store in {path}: {exc}") from exc

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.home)!r})"

    @property
    def location(self) -> str:
        """The home folder: ``open_store`` opens it again."""
        return str(self.home)

    def side_path(self, name: str) -> Path:
        """``home/name``: files kept beside the data (review memory, the projection cache)."""
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home / name

    # ---- writing -------------------------------------------------------------------------

    def load(self, batch: Batch) -> LoadReport:
        """Replace the facts of ``batch.source`` with the batch, all or nothing."""
        if batch.rdf_path:
            return self._load_rdf(
                batch, Path(batch.rdf_path), ox.RdfFormat.from_media_type(batch.rdf_format or "")
            )
        src = batch.source
        graph = ox.NamedNode(v.graph_iri(src.id, self.base))
        if batch.digest and batch.digest == self._digest(graph):
            return LoadReport(src.id, False, len(batch.entities), len(batch.relations), 0)
        self._check(batch)
        temporary: list[Path] = []
        try:
            data, meta = self._temp(temporary, ".nt"), self._temp(temporary, ".nt")
            with open(data, "w", encoding="utf-8") as out:
                count = 0
                for line in m.batch_ntriples(batch, self.base):
                    out.write(line)
                    count += 1
            lines = self._meta_triples(batch, graph, count)
            meta.write_text("".join(t + " .\n" for t in lines), encoding="utf-8")
            self._replace_graph(
                graph, [(data, ox.RdfFormat.N_TRIPLES), (meta, ox.RdfFormat.N_TRIPLES)], count
            )
        finally:
            for t in temporary:
                t.unlink(missing_ok=True)
        return LoadReport(src.id, True, len(batch.entities), len(batch.relations), count)

    def _load_rdf(self, batch: Batch, path: Path, fmt: ox.RdfFormat | None) -> LoadReport:
        """Load an RDF file as the graph of ``batch.source``: validated by a streaming parse first."""
        graph = ox.NamedNode(v.graph_iri(batch.source.id, self.base))
        if batch.digest and batch.digest == self._digest(graph):
            return LoadReport(batch.source.id, False, 0, 0, 0)
        if fmt is None:
            raise LoadError(str(path), f"unsupported RDF format {batch.rdf_format}")
        check_batch(batch)
        temporary: list[Path] = []
        try:
            count, files = prepared(path, fmt, self._temp(temporary, ".nt"))
            if count == 0:
                raise LoadError(str(path), "no RDF triples in the file")
            meta = self._temp(temporary, ".nt")
            lines = [*m.source_triples(batch.source, self.base), *self._meta_triples(batch, graph, count)]
            meta.write_text("".join(t + " .\n" for t in lines), encoding="utf-8")
            self._replace_graph(graph, [*files, (meta, ox.RdfFormat.N_TRIPLES)], count)
        finally:
            for t in temporary:
                t.unlink(missing_ok=True)
        return LoadReport(batch.source.id, True, 0, 0, count)

    @contextlib.contextmanager
    def load_set(self) -> Iterator[None]:
        """Several loads that commit together: all or none, also when the process is killed.

        The loads inside see each other's writes; the set is undone from a checkpoint of the
        store taken at the start (``checkpoint.py``) on an exception here, or on the next
        writable open after a kill.
        """
        if self._in_set:
            yield
            return
        checkpoint.begin(self._ox, self.home)
        self._in_set = True
        try:
            yield
            checkpoint.commit(self._ox, self.home)
        except BaseException:
            del self._ox  # releases RocksDB's lock, so the folder can be put back
            checkpoint.restore(self.home)
            self._ox = self._open()
            raise
        finally:
            self._in_set = False

    def _temp(self, temporary: list[Path], suffix: str) -> Path:
        fd, name = tempfile.mkstemp(suffix=suffix, dir=self.home)
        os.close(fd)
        temporary.append(Path(name))
        return temporary[-1]

    def remove_source(self, source_id: str) -> None:
        """Forget everything one source said."""
        self._ox.remove_graph(ox.NamedNode(v.graph_iri(source_id, self.base)))

    def _check(self, batch: Batch) -> None:
        """Cross-source checks the loader cannot make alone: endpoints exist, one kind per id."""
        check_batch(batch)
        kinds = {e.id: e.kind for e in batch.entities}
        for e in batch.entities:
            stored = self.kind_of(e.id)
            if stored is not None and stored != e.kind and not self._only_in(e.id, batch.source.id):
                raise LoadError(
                    batch.source.path or batch.source.id,
                    f"entity {e.id} is a {e.kind.value} here but a {stored.value} in the store",
                )
        kept: dict[str, bool] = {}  # ends from other sources, each looked up once
        for r in batch.relations:
            for end in (r.subject, r.object):
                if end in kinds:
                    continue
                if end not in kept:
                    # an entity only this source stated disappears when the source is replaced
                    kept[end] = self.kind_of(end) is not None and not self._only_in(end, batch.source.id)
                if not kept[end]:
                    raise LoadError(
                        batch.source.path or batch.source.id,
                        f"relation {r.kind.value} refers to unknown entity {end}",
                        field=r.provenance.locator,
                    )

    def _only_in(self, entity_id: str, source_id: str) -> bool:
        graphs = {q.graph_name for q in self._ox.quads_for_pattern(self._iri(entity_id), _T["type"], None)}
        return graphs == {ox.NamedNode(v.graph_iri(source_id, self.base))}

    def _meta_triples(self, batch: Batch, graph: ox.NamedNode, count: int) -> list[str]:
        """What the graph says about its own load; written last, so a digest means a complete load."""
        source = v.source_iri(batch.source.id, self.base)
        return load_record(graph.value, source, batch.source.loader, batch.digest or "none", count)

    def _replace_graph(self, graph: ox.NamedNode, files: list[tuple[Path, ox.RdfFormat]], count: int) -> None:
        """Switch the source's graph to the validated files (the last one is the load record)."""
        bulk = count > TRANSACTION_LIMIT
        replace_graph(self._ox, graph, files[:-1], files[-1:], bulk=bulk)
        self._ox.flush()
        if bulk:
            # a bulk load leaves many overlapping files; queries open the store read-only, where
            # nothing compacts them, and read 4x slower at 1M entities until this is done
            self._ox.optimize()

    def _digest(self, graph: ox.NamedNode) -> str | None:
        for q in self._ox.quads_for_pattern(graph, _T["digest"], None, graph):
            return m.literal(q.object)
        return None

    # ---- reading -------------------------------------------------------------------------

    def _iri(self, entity_id: str) -> ox.NamedNode:
        return ox.NamedNode(v.entity_iri(entity_id, self.base))

    def _id(self, term: Term | None) -> str | None:
        return term_entity_id(term, self.base)

    def kind_of(self, entity_id: str) -> EntityKind | None:
        """The kind of an entity, or None when it is not stored."""
        try:
            node = self._iri(entity_id)
        except ValueError:
            return None
        for q in self._ox.quads_for_pattern(node, _T["type"], None):
            kind = v.CLASS_KIND.get(m.value(q.object))
            if kind:
                return kind
        return None

    def entity(self, entity_id: str) -> Entity | None:
        """One entity, its labels and aliases merged over all sources."""
        try:
            node = self._iri(entity_id)
        except ValueError:
            return None
        objects: dict[str, list[Term]] = {}
        for q in self._ox.quads_for_pattern(node, None, None):
            objects.setdefault(q.predicate.value, []).append(q.object)
        # the kind from the statements just read: one store lookup per entity, not two
        kind = next((k for t in objects.get(m.TYPE, []) if (k := v.CLASS_KIND.get(m.value(t)))), None)
        return m.entity_from_rdf(entity_id, kind, objects, unlabelled=entity_id) if kind else None

    def entities(self, kind: EntityKind | None = None) -> Iterator[Entity]:
        """All entities, or those of one kind."""
        classes = [v.KIND_CLASS[kind]] if kind else list(v.KIND_CLASS.values())
        for cls in classes:
            seen: set[str] = set()
            for q in self._ox.quads_for_pattern(None, _T["type"], ox.NamedNode(cls)):
                eid = self._id(q.subject)
                if eid and eid not in seen:
                    seen.add(eid)
                    e = self.entity(eid)
                    if e:
                        yield e

    def relations(self, entity_id: str | None = None) -> Iterator[Relation]:
        """Relations with provenance: all, or those with ``entity_id`` at either end.

        Every direct triple is a relation; its qualified node (if any) adds dates, role and
        evidence, and its named graph says which source it came from and when it was loaded
        (``stated_relations``).
        """
        yield from stated_relations(self._ox, self.base, {s.id: s for s in self.sources()}, entity_id)

    def find(self, name: str) -> list[str]:
        """Entity ids named ``name`` by id, label, alias, other-language label or Wikidata id."""
        found: list[str] = []
        if self.kind_of(name.strip()) is not None:
            found.append(name.strip())
        elif "/" in name and " " not in name.strip():
            # an id that a recorded merge maps onto a stored entity
            with contextlib.suppress(ValueError):
                for q in self._ox.quads_for_pattern(self._iri(name.strip()), _T["same"], None):
                    found.append(self._id(q.object) or "")
        key = normalise_name(name)
        for q in self._ox.quads_for_pattern(None, _T["key"], ox.Literal(key)):
            found.append(self._id(q.subject) or "")
        qid = name.strip().upper()
        if qid.startswith("Q") and qid[1:].isdigit():
            for q in self._ox.quads_for_pattern(None, _T["same"], ox.NamedNode(v.WD + qid)):
                found.append(self._id(q.subject) or "")
        return sorted({f for f in found if f})

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Ids whose names contain ``text``; exact matches first, then prefixes, then the rest.

        Names are compared folded (case, accents, quote and dash variants). When no name
        contains ``text``, the closest names by rapidfuzz's WRatio (score ≥ 80) are returned.
        """
        key = normalise_name(text)
        if not key:
            return []
        hits: dict[str, int] = {}
        keys: dict[str, set[str]] = {}
        for name, eid in self._name_keys():
            if key in name:
                rank = 0 if name == key else 1 if name.startswith(key) else 2
                hits[eid] = min(rank, hits.get(eid, 3))
            elif not hits:
                keys.setdefault(name, set()).add(eid)
        if hits:
            return sorted(hits, key=lambda e: (hits[e], e))[:limit]
        return _closest(key, keys, limit)

    def _name_keys(self) -> list[tuple[str, str]]:
        """Every (folded name, entity id), read once per data version: reading them from the
        dataset takes seconds on ~40,000 entities, scanning the list a few milliseconds."""
        version = self.version()
        held = self._keys_held
        if held is None or held[0] != version:
            rows = [
                (m.value(q.object), self._id(q.subject))
                for q in self._ox.quads_for_pattern(None, _T["key"], None)
            ]
            held = (version, [(name, eid) for name, eid in rows if eid])
            self._keys_held = held
        return held[1]

    def sources(self) -> list[SourceInfo]:
        """Every loaded source with its load time and size."""
        out = []
        for g in self._ox.named_graphs():
            if not isinstance(g, ox.NamedNode) or not g.value.startswith(self.base + "graph/"):
                continue
            meta = {
                q.predicate.value: m.literal(q.object) for q in self._ox.quads_for_pattern(g, None, None, g)
            }
            if v.CKG + "digest" not in meta:
                continue  # an interrupted first load: removed on the next writable open
            sid = g.value.rsplit("/", 1)[-1]
            title = ""
            for q in self._ox.quads_for_pattern(
                ox.NamedNode(v.source_iri(sid, self.base)), _T["title"], None
            ):
                title = m.literal(q.object)
            count = int(meta.get(v.CKG + "triples") or 0)
            out.append(
                SourceInfo(
                    sid,
                    title,
                    meta.get(v.CKG + "loader", ""),
                    meta.get(v.PROV + "generatedAtTime", ""),
                    meta.get(v.CKG + "digest", ""),
                    count,
                )
            )
        return sorted(out, key=lambda s: s.id)

    def stats(self) -> dict[str, object]:
        """Counts of entities by kind, relations by kind, triples by source."""
        q: Any = self._ox.query(
            "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c",
            use_default_graph_as_union=True,
        )
        by_kind = {
            v.CLASS_KIND[s["c"].value].value: int(s["n"].value) for s in q if s["c"].value in v.CLASS_KIND
        }
        values = " ".join(f"<{p.value}>" for p in RELATION_PROPS)
        q = self._ox.query(
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?p"
        )
        by_rel = {v.PROPERTY_RELATION[s["p"].value].value: int(s["n"].value) for s in q}
        return {
            "store": self.kind,
            "entities": sum(by_kind.values()),
            "relations": sum(by_rel.values()),
            "entities_by_kind": dict(sorted(by_kind.items())),
            "relations_by_kind": dict(sorted(by_rel.items())),
            "sources": {s.id: s.triples for s in self.sources()},
            "triples": len(self._ox),
        }

    def version(self) -> str:
        """A hash of every source's digest and load time."""
        return sources_version(self.sources())

    def committed_version(self) -> str:
        """What is committed on disk now (``version()`` is what this handle reads, which for a
        read-only store is the data as it was when opened): compare to see a newer commit."""
        return checkpoint.committed_version(self.home / "store")

    def dump_ntriples(self) -> bytes:
        """Every triple of every source (the union graph) as N-Triples, for validation."""
        triples: Any = self._ox.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
        )
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for SPARQL on hot paths."""
        return self._ox

    def rdflib_dataset(self) -> rdflib.Dataset:
        """rdflib's API over the same data (Oxigraph underneath, via oxrdflib)."""
        import rdflib
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self._ox))

    def close(self) -> None:
        """Flush and release the files."""
        if not self.read_only:
            self._ox.flush()
        del self._ox
        if self._lock is not None:
            self._lock.release()

    def wipe(self) -> None:
        """Delete the whole store (tests and ``climatekg reset``)."""
        self.close()
        shutil.rmtree(self.home / "store", ignore_errors=True)


def _closest(key: str, keys: dict[str, set[str]], limit: int) -> list[str]:
    """Ids of the names nearest ``key`` (a typo, a missing word), best first."""
    return closest_names(key, keys, limit)
