"""Fixtures for the integration tests: an app database (SQLite file, or a throwaway Postgres
database) built from db.models, independent of the rest of the test suite's fixtures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Base
from db.session import make_engine, make_sessionmaker
from testkit import services

from .receiver import RecordingReceiver
from .supabase_stub import throwaway_database


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgres",
            marks=pytest.mark.postgres,
        ),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
        return
    with throwaway_database("outbox") as dsn:
        name = dsn.split("dbname=")[1].split()[0]
        yield services.sqlalchemy_url(name)


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
