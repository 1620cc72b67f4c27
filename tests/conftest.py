"""Shared fixtures for tests that talk to the API or the database.

Fixtures
- `app_settings` — `Settings` for a fresh, isolated database. Parametrised:
  "sqlite": a SQLite file in the test's temp dir; "postgres": a new schema in database `test` of
  this run's Postgres (TEST_POSTGRES_URL, see testkit/services.py), selected through `search_path`
  and dropped after the test; skipped (failed under COURSEGEN_REQUIRE_SERVICES=1) without it.
  JWT secret is generated into the temp data dir; REDIS_URL is unset.
- `app` — `create_app(app_settings)` with its lifespan running (so migrations have been applied).
- `client` — `httpx.AsyncClient` on `app` via ASGITransport, base_url "http://test".

Helpers: `await create_course(...)` here; `signup`, `auth_headers`, `settings_for` and
`PostgresSchema` live in testkit/ (shared with the benchmarks).
- `await signup(client, email=None, password=PASSWORD, name="Test User") -> (token, user_json)`
- `auth_headers(token) -> {"Authorization": "Bearer <token>"}`
- `await create_course(app, owner_id, sections=3, is_public=False) -> (course_id, [section_ids])`
  inserts a course with an outline row and N section rows (sequence 1..N) straight into the db.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings
from db.models import Course, CourseContent
from testkit import services
from testkit.client import settings_for
from testkit.services import PostgresSchema

POSTGRES_URL = services.POSTGRES_URL


def postgres_unavailable_reason() -> str | None:
    """None when this run's Postgres answers, else why not (see testkit/services.py)."""
    return services.postgres_reason()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `postgres` / `redis` skips without its server, or fails when required."""
    if item.get_closest_marker("postgres"):
        services.need_postgres()
    if item.get_closest_marker("redis"):
        services.need_redis()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield settings_for("sqlite", tmp_path)
        return
    services.need_postgres()
    with PostgresSchema() as schema:
        yield settings_for("postgres", tmp_path, pg_schema=schema)


@pytest.fixture
async def app(app_settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(app_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def create_course(
    app: FastAPI,
    owner_id: str | uuid.UUID,
    sections: int = 3,
    is_public: bool = False,
    title: str = "Test course",
) -> tuple[str, list[str]]:
    owner = uuid.UUID(str(owner_id))
    async with app.state.sessionmaker() as session:
        course = Course(
            id=uuid.uuid4(), title=title, created_by=owner, is_public=is_public, status="completed"
        )
        outline = CourseContent(
            id=uuid.uuid4(),
            course_id=course.id,
            type="outline",
            title=title,
            content={},
            sequence=0,
        )
        rows = [
            CourseContent(
                id=uuid.uuid4(),
                course_id=course.id,
                type="section",
                title=f"Section {i}",
                content={"markdown": f"# {i}"},
                sequence=i,
                parent_id=outline.id,
            )
            for i in range(1, sections + 1)
        ]
        session.add(course)
        await session.flush()
        session.add(outline)
        await session.flush()
        session.add_all(rows)
        await session.commit()
    return str(course.id), [str(r.id) for r in rows]
