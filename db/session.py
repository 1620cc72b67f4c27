"""Async engine and session factory for the configured database."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import Executable, Row, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import StaticPool

from core.config import normalise_database_url


def make_engine(url: str) -> AsyncEngine:
    url = normalise_database_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Every checkout is ended by a Session/Connection that rolls back its own transaction;
        # the pool's reset-on-return would roll back again, and on aiosqlite each call is a
        # thread hand-off (a third of a cached read's cost).
        engine = create_async_engine(url, connect_args={"timeout": 30},
                                     pool_reset_on_return=None)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # WAL lets the API read while a job writes; FKs are off by default in SQLite.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    # pool_size covers a process's usual concurrency: an overflow connection is closed on
    # return, so a pool smaller than the load opens a Postgres backend (a fork, ms) per burst.
    engine = create_async_engine(url, pool_size=20, max_overflow=20)
    _ping_when_idle(engine)
    return engine


IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """pool_pre_ping's safety at a fraction of its cost: pool_pre_ping pings on every
    checkout (a second round trip for a one-query read); this pings only a connection that
    sat idle for IDLE_PING_SECONDS, when a server restart or a dropped socket may have killed
    it. A failed ping makes the pool discard it and check out another (DisconnectionError)."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _stamp(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        if record is not None:
            record.info["checked_in"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping(dbapi_conn, record, _proxy):  # type: ignore[no-untyped-def]
        idle_since = record.info.get("checked_in")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_conn)
        except Exception as exc:  # any failure: this connection is not usable
            raise DisconnectionError(f"idle connection failed its ping: {exc}") from exc


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        yield session


class LoopReader:
    """Point reads for SQLite run on the event loop's own thread, through one plain sqlite3
    connection: an indexed lookup takes microseconds, while every aiosqlite call is a thread
    hand-off (~0.2 ms each on a busy machine, five per ORM query). Only for hot, read-only,
    single-row queries (the status poll). WAL readers do not wait for writers; a lock wait is
    capped at 50 ms (`Busy`), after which the caller takes the ordinary async path."""

    class Busy(Exception):
        pass

    def __init__(self, url: str) -> None:
        sync_url = make_url(normalise_database_url(url)).set(drivername="sqlite")
        self.engine = create_engine(sync_url, poolclass=StaticPool,
                                    connect_args={"timeout": 0.05, "check_same_thread": False})

        @event.listens_for(self.engine, "connect")
        def _read_only(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA query_only=ON")

    def first(self, statement: Executable, params: dict[str, Any] | None = None
              ) -> Row[Any] | None:
        try:
            with self.engine.connect() as conn:
                return conn.execute(statement, params).first()
        except OperationalError as exc:  # "database is locked" past the 50 ms cap
            raise LoopReader.Busy(str(exc)) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def make_loop_reader(url: str) -> LoopReader | None:
    """A LoopReader for a SQLite file database, None otherwise (network drivers don't hop)."""
    url = normalise_database_url(url)
    if not url.startswith("sqlite") or ":memory:" in url or ":///" not in url:
        return None
    return LoopReader(url)
