"""Fixtures for the integration tests: an app database (SQLite file, or a throwaway Postgres
database) built from db.models, independent of the rest of the test suite's fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Base
from db.session import make_engine, make_sessionmaker

from .receiver import RecordingReceiver
from .supabase_stub import postgres_available, throwaway_database

_PG_OK = postgres_available()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not _PG_OK, reason="Postgres at 127.0.0.1:5432 not reachable"),
            ],
        ),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
        return
    with throwaway_database("outbox") as dsn:
        name = dsn.split("dbname=")[1].split()[0]
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


@pytest.fixture
async def sessionmaker(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    r = RecordingReceiver().start()
    try:
        yield r
    finally:
        r.stop()
