"""Driving the API over HTTP the way a user does: settings for a throwaway app, sign-up, the
upload body of the shipped sample lecture, waiting for a job. Shared by tests and benchmarks."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from core.config import Settings
from testkit import services

PASSWORD = "correct horse battery"
SAMPLE = (Path(__file__).resolve().parents[1] / "samples" / "sample_lecture.srt").read_text()


def settings_for(
    kind: str, tmp_path: Path, *, pg_schema: str | None = None, **extra: Any
) -> Settings:
    data_dir = tmp_path / "data"
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'test.db'}"
    else:
        url = f"{services.POSTGRES_URL}?options=-csearch_path%3D{pg_schema}"
    values: dict[str, Any] = {
        "COURSEGEN_DATA_DIR": data_dir,
        "DATABASE_URL": url,
        "REDIS_URL": None,
        "JWT_SECRET": None,
        "COURSEGEN_MIGRATE_ON_START": True,
        "CORS_ORIGINS": ["http://localhost:3000"],
        # a test's app stops at once: jobs left running stay `processing` (graceful stop)
        "JOB_SHUTDOWN_GRACE_SECONDS": 0,
        # Cheap argon2 parameters keep the suite fast; production keeps the RFC 9106 defaults.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 8192,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running(app: FastAPI, *, base_url: str = "http://test", timeout: float = 30
                  ) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (its lifespan: database, job queue) and a client calling it in-process."""
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url,
                                     timeout=timeout) as client:
            yield client


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


def upload_body(duration: int = 24, **extra: Any) -> dict[str, Any]:
    return {"transcript": SAMPLE, "title": "HTTP caching",
            "preferences": {"duration": duration}, **extra}


async def wait_done(client: httpx.AsyncClient, token: str, course_id: str,
                    timeout: float = 60) -> dict[str, Any]:
    """Poll status until the job leaves `processing`; returns the statuses seen."""
    seen: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        r = await client.get(f"/api/courses/status/{course_id}", headers=auth_headers(token))
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if r.json()["status"] != "processing":
            return {"final": r.json(), "seen": seen}
        await asyncio.sleep(0.05)
    raise AssertionError(f"course {course_id} still processing: {seen[-1]}")
