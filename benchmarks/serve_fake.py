"""The API on the scripted fake LLM and canned captions, for the HTTP benchmarks.

- `create_fake_app()` — a uvicorn factory (`uvicorn benchmarks.serve_fake:create_fake_app
  --factory`): settings from the environment as `coursegen serve` reads them, the chat model
  replaced by the course fake with `BENCH_FAKE_LATENCY` seconds per call (default 0.3).
- `bench_settings(data_dir, database_url, **extra)` — isolated Settings for an in-process app.
- `running_app(settings, fake)` — that app with its lifespan running, and an httpx client on it.
- `throwaway_postgres()` — a schema in the `test` database, dropped on exit (reuses the test
  suite's helper), so a benchmark never touches anyone's data.

Benchmarks are dev tools (never shipped, never in the test run); they share testkit/ with the tests.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings, get_settings
from testkit import services
from testkit.captions import canned_captions
from testkit.client import running
from testkit.scripted import FakeChatModel
from testkit.scripted_course import course_fake
from testkit.services import POSTGRES_URL, PostgresSchema

LATENCY_ENV = "BENCH_FAKE_LATENCY"
# limits high enough that a benchmark measures the API, not the free tier's 429s
UNLIMITED = {"FREE_CONCURRENT_JOBS": 1_000_000, "FREE_COURSES_PER_MONTH": 1_000_000,
             "PRO_CONCURRENT_JOBS": 1_000_000, "PRO_COURSES_PER_MONTH": 1_000_000}
# cheap argon2 (as the test suite uses): sign-up cost is not what these benchmarks measure
CHEAP_HASH = {"PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 8192}


def create_fake_app() -> FastAPI:
    fake = course_fake(latency_per_call=float(os.environ.get(LATENCY_ENV, "0.3")))
    return create_app(get_settings(), chat_factory=lambda _spec: fake,
                      fetch_captions=canned_captions)


def server_env(data_dir: Path, database_url: str, redis_url: str | None,
               latency: float) -> dict[str, str]:
    """Environment for a uvicorn subprocess running `create_fake_app`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "JOB_BACKEND", "CHECKPOINTER")}
    env.update({k: str(v) for k, v in {**UNLIMITED, **CHEAP_HASH}.items()})
    env.update({
        "COURSEGEN_DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
        "JWT_SECRET": secrets.token_urlsafe(32), "JOB_BACKEND": "inprocess",
        "CHECKPOINTER": "sqlite", "RESUME_JOBS_ON_START": "false", "LLM_CACHE": "false",
        "LOG_LEVEL": "WARNING", LATENCY_ENV: str(latency),
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def bench_settings(data_dir: Path, database_url: str | None = None, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "COURSEGEN_DATA_DIR": data_dir,
        "DATABASE_URL": database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
        "REDIS_URL": None, "JWT_SECRET": secrets.token_urlsafe(32), "CHECKPOINTER": "sqlite",
        "JOB_BACKEND": "inprocess", "RESUME_JOBS_ON_START": False, **UNLIMITED, **CHEAP_HASH,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running_app(settings: Settings, fake: FakeChatModel
                      ) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings, chat_factory=lambda _spec: fake, fetch_captions=canned_captions)
    async with running(app, base_url="http://bench", timeout=120) as client:
        yield app, client


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A database URL whose search_path is a fresh schema; the schema is dropped on exit."""
    reason = services.postgres_reason()
    if reason:
        raise RuntimeError(reason)
    with PostgresSchema() as schema:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
