"""Cached session checks: two API processes (app instances) on one database and one Redis.

A session found live is trusted for AUTH_CACHE_SECONDS without reading auth_sessions; signing
out in one process must still kill the token in the other at once (Redis pub/sub), not after
the TTL. The TTL here is an hour, so only the invalidation can explain a 401.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from api.app import create_app
from db.models import AuthSession
from testkit.client import auth_headers, settings_for, signup

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def two_apps(tmp_path: Path, redis_url: str
                   ) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, FastAPI,
                                            httpx.AsyncClient]]:
    # same data dir: same SQLite file and the same generated JWT secret
    settings = settings_for("sqlite", tmp_path, REDIS_URL=redis_url, AUTH_CACHE_SECONDS=3600)
    async with AsyncExitStack() as stack:
        out: list[object] = []
        for _ in range(2):
            app = create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test"))
            out += [app, client]
        yield tuple(out)  # type: ignore[misc]


async def wait_for_invalidation(app: FastAPI, seen: int) -> None:
    """Pub/sub delivery is asynchronous: wait (bounded) until the listener has handled it."""
    cache = app.state.session_cache
    for _ in range(500):
        if cache.invalidations_received > seen:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the revocation never reached the other process")


async def test_the_cache_answers_without_the_database(two_apps: tuple) -> None:
    app_a, client_a, app_b, client_b = two_apps
    token, _ = await signup(client_a)
    assert (await client_b.get("/api/courses", headers=auth_headers(token))).status_code == 200
    # Revoke behind the API's back (no signout, so no invalidation): B still trusts its cache,
    # which proves reads skip auth_sessions; a fresh process (A never cached it) refuses.
    async with app_a.state.sessionmaker() as session:
        await session.execute(update(AuthSession).values(revoked_at=datetime.now(UTC)))
        await session.commit()
    assert (await client_b.get("/api/courses", headers=auth_headers(token))).status_code == 200
    r = await client_a.get("/api/courses", headers=auth_headers(token))
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_revoked"


async def test_signout_in_one_process_kills_the_token_in_the_other(two_apps: tuple) -> None:
    app_a, client_a, app_b, client_b = two_apps
    token, _ = await signup(client_a)
    other, _ = await signup(client_a)
    for client in (client_a, client_b):  # both processes now hold the session as live
        assert (await client.get("/api/courses", headers=auth_headers(token))).status_code == 200
        assert (await client.get("/api/courses", headers=auth_headers(other))).status_code == 200

    seen = app_b.state.session_cache.invalidations_received
    r = await client_a.post("/api/auth/signout", headers=auth_headers(token))
    assert r.status_code == 200
    await wait_for_invalidation(app_b, seen)

    for client in (client_a, client_b):
        r = await client.get("/api/courses", headers=auth_headers(token))
        assert r.status_code == 401, r.text
        assert r.json()["error"]["code"] == "token_revoked"
        r = await client.get(f"/api/courses/status/{uuid.uuid4()}", headers=auth_headers(token))
        assert r.status_code == 401
        # another user's session is untouched
        assert (await client.get("/api/courses", headers=auth_headers(other))).status_code == 200
