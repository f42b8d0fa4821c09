"""A connection to one Neo4j server and database: queries with one-line errors, and the schema.

The driver is imported where it is used: importing this module connects nothing and loads no
driver. Every error the driver or the server raises becomes a one-line ``StoreError`` that
names the server, never the credentials.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Self
from urllib.parse import urlsplit

from climatekg.graph.errors import StoreError
from climatekg.graph.stores.neo4j_store.codec import REL_TYPE
from climatekg.graph.stores.neo4j_store.credentials import Credentials, load_credentials

#: Seconds to wait for a TCP connection, and for retries of a failed transaction: a server
#: that is down or refuses the password is reported within 5 s.
CONNECT_TIMEOUT = 3.0
RETRY_TIME = 2.0


class Connection:
    """A driver to one server (``where``: scheme://host:port, never with credentials) and database.

    ``_query``, ``_auto`` and ``_stream`` run Cypher for this package (the store, its writes and
    ``neo4j push``/``pull``); :meth:`run_read` is the read-only door for everything else.
    """

    def __init__(self, driver: Any, where: str, database: str | None = None):
        self._driver = driver
        self.where = where
        self.database = database
        self._schema_ready = False

    @classmethod
    def connect(cls, url: str, *, credentials: Credentials | None = None) -> Self:
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
        """A read-only query (the Cypher engine of queries/); errors as StoreError."""
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

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()
