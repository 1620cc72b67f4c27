"""Shared fixtures for tests that talk to the API or the database.

Fixtures
- `app_settings` — `Settings` for a fresh, isolated database. Parametrised:
  "sqlite": a SQLite file in the test's temp dir; "postgres": a new schema in database `test` of
  this run's Postgres (TEST_POSTGRES_URL, see tests/services.py), selected through `search_path`
  and dropped after the test; skipped (failed under COURSEGEN_REQUIRE_SERVICES=1) without it.
  JWT secret is generated into the temp data dir; REDIS_URL is unset.
- `app` — `create_app(app_settings)` with its lifespan running (so migrations have been applied).
- `client` — `httpx.AsyncClient` on `app` via ASGITransport, base_url "http://test".

Helpers (plain functions: `from tests.conftest import signup, auth_headers, create_course`)
- `await signup(client, email=None, password=PASSWORD, name="Test User") -> (token, user_json)`
- `auth_headers(token) -> {"Authorization": "Bearer <token>"}`
- `await create_course(app, owner_id, sections=3, is_public=False) -> (course_id, [section_ids])`
  inserts a course with an outline row and N section rows (sequence 1..N) straight into the db.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings
from db.models import Course, CourseContent
from tests import services

PASSWORD = "correct horse battery"
POSTGRES_URL = services.POSTGRES_URL


def postgres_unavailable_reason() -> str | None:
    """None when this run's Postgres answers, else why not (see tests/services.py)."""
    return services.postgres_reason()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `postgres` / `redis` skips without its server, or fails when required."""
    if item.get_closest_marker("postgres"):
        services.need_postgres()
    if item.get_closest_marker("redis"):
        services.need_redis()


def settings_for(
    kind: str, tmp_path: Path, *, pg_schema: str | None = None, **extra: Any
) -> Settings:
    data_dir = tmp_path / "data"
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'test.db'}"
    else:
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{pg_schema}"
    values: dict[str, Any] = {
        "COURSEGEN_DATA_DIR": data_dir,
        "DATABASE_URL": url,
        "REDIS_URL": None,
        "JWT_SECRET": None,
        "COURSEGEN_MIGRATE_ON_START": True,
        "CORS_ORIGINS": ["http://localhost:3000"],
        # Cheap argon2 parameters keep the suite fast; production keeps the RFC 9106 defaults.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 8192,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class PostgresSchema:
    """Create/drop a throwaway schema so each test starts from an empty, migrated database."""

    def __init__(self) -> None:
        self.name = f"t_{uuid.uuid4().hex[:16]}"

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(services.libpq_url(), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')
        return self.name

    def __exit__(self, *exc: object) -> None:
        import psycopg

        with psycopg.connect(services.libpq_url(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


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


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def signup(
    client: httpx.AsyncClient,
    email: str | None = None,
    password: str = PASSWORD,
    name: str | None = "Test User",
) -> tuple[str, dict[str, Any]]:
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    response = await client.post(
        "/api/auth/signup", json={"email": email, "password": password, "name": name}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body["token"], body["user"]


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
