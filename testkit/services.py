"""The Postgres and Redis servers of this test run, and what a test does when one is missing.

`scripts/test.sh` starts both on free ports (scripts/services.sh) and exports TEST_POSTGRES_URL
(SQLAlchemy form, database `test`, user `postgres`, trust auth), TEST_REDIS_URL and
TEST_REDIS_SERVER (the redis-server binary, for the test that restarts its own Redis). Nothing
here falls back to a server on a well-known port: a test only touches servers this run started.

A test that needs a server says so with the `postgres` / `redis` marker (checked before it runs,
in tests/conftest.py) or by calling `need_postgres()` / `need_redis()`. A missing server skips
the test, or fails it when COURSEGEN_REQUIRE_SERVICES=1 (the test command sets it).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
REQUIRED = os.environ.get("COURSEGEN_REQUIRE_SERVICES") == "1"
_reasons: dict[str, str | None] = {}


def libpq_url(dbname: str | None = None) -> str:
    """POSTGRES_URL as psycopg/libpq wants it (no `+psycopg`), optionally for another database."""
    parts = urlsplit(POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://", 1))
    return urlunsplit(parts._replace(path=f"/{dbname}") if dbname else parts)


def sqlalchemy_url(dbname: str) -> str:
    return libpq_url(dbname).replace("postgresql://", "postgresql+psycopg://", 1)


def redis_db_url(db: int) -> str:
    """REDIS_URL with another database number."""
    return urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{db}"))


def _reason(kind: str, url: str, env: str, probe: Callable[[], object],
            errors: tuple[type[Exception], ...]) -> str | None:
    """None when `probe()` reaches this run's server at `url`, else why not (cached for the
    session: each server is probed once)."""
    if kind not in _reasons:
        if not url:
            _reasons[kind] = f"{env} is not set (scripts/test.sh sets it)"
        else:
            try:
                probe()
                _reasons[kind] = None
            except errors as exc:  # the reason says which failure
                _reasons[kind] = f"{kind.capitalize()} at {url} unreachable: {exc}"
    return _reasons[kind]


def _ping_postgres() -> None:
    import psycopg

    with psycopg.connect(libpq_url(), connect_timeout=3):
        pass


def _ping_redis() -> None:
    import redis

    with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2) as client:
        client.ping()


def postgres_reason() -> str | None:
    """None when this run's Postgres answers, else why not (cached for the session)."""
    # any failure to connect counts: psycopg raises more than its own errors on a bad URL
    return _reason("postgres", POSTGRES_URL, "TEST_POSTGRES_URL", _ping_postgres, (Exception,))


def redis_reason() -> str | None:
    import redis

    return _reason("redis", REDIS_URL, "TEST_REDIS_URL", _ping_redis, (redis.RedisError,))


def missing(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"{reason} (COURSEGEN_REQUIRE_SERVICES=1: a missing service is a failure)")
    pytest.skip(reason)


def need_postgres() -> str:
    """POSTGRES_URL, or skip/fail the calling test."""
    if reason := postgres_reason():
        missing(reason)
    return POSTGRES_URL


def need_redis() -> str:
    if reason := redis_reason():
        missing(reason)
    return REDIS_URL


def redis_server_binary() -> str:
    """The redis-server to start a private server with (scripts/services.sh says which)."""
    path = os.environ.get("TEST_REDIS_SERVER") or shutil.which("redis-server")
    if not path:
        missing("no redis-server binary (TEST_REDIS_SERVER unset, none on PATH)")
    return path


class PostgresSchema:
    """Create/drop a throwaway schema so each test starts from an empty, migrated database."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:16]}"

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(libpq_url(), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')
        return self.name

    def __exit__(self, *exc: object) -> None:
        import psycopg

        with psycopg.connect(libpq_url(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')
