"""The Neo4j store: ``store`` (the Store protocol on a server), ``connection`` (driver, errors,
schema), ``credentials``, ``codec`` (records ↔ nodes and relationships), ``content`` (a source's
records to write), ``writes`` (the write protocol and its Cypher) and ``sync`` (push and pull)."""

from climatekg.graph.stores.neo4j_store.credentials import Credentials, load_credentials
from climatekg.graph.stores.neo4j_store.store import Neo4jStore

__all__ = ["Credentials", "Neo4jStore", "load_credentials"]
