"""A cache hit never shows another user's data (issue #29 item 2).

Two users upload the same transcript under different titles: the second is served from the
cache, under their own title, with nothing of the first user's in the course, its transcript or
its exports. On SQLite (in-process cache) and on Postgres + Redis (the shared cache).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from testkit import services
from testkit.captions import canned_captions
from testkit.client import auth_headers, settings_for, signup, upload_body, wait_done
from testkit.scripted_course import course_fake
from testkit.services import PostgresSchema

SECRET = "Alice private notes 7731"


@pytest.fixture(params=["sqlite", pytest.param("postgres+redis",
                                               marks=[pytest.mark.postgres, pytest.mark.redis])])
async def client(request: pytest.FixtureRequest, tmp_path: Path
                 ) -> AsyncIterator[httpx.AsyncClient]:
    fake = course_fake()

    async def serve(**extra: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = settings_for(request.param.split("+")[0], tmp_path, **extra)
        app = create_app(settings.model_copy(update={"checkpointer": "sqlite"}),
                         chat_factory=lambda _spec: fake, fetch_captions=canned_captions)
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test",
                timeout=60) as c:
            yield c

    if request.param == "sqlite":
        async for c in serve():
            yield c
        return
    redis_url = services.need_redis()
    services.need_postgres()
    with PostgresSchema() as schema:
        async for c in serve(pg_schema=schema, REDIS_URL=redis_url, CACHE_TTL_SECONDS=60):
            yield c


async def _course(client: httpx.AsyncClient, token: str, course_id: str) -> dict[str, Any]:
    r = await client.get(f"/api/courses/{course_id}", headers=auth_headers(token))
    assert r.status_code == 200, r.text
    return dict(r.json())


async def _everything(client: httpx.AsyncClient, token: str, course_id: str) -> str:
    """The course as its owner can read it: detail, list entry, and every text export."""
    h = auth_headers(token)
    parts = [json.dumps(await _course(client, token, course_id))]
    parts.append((await client.get("/api/courses", headers=h)).text)
    for fmt in ("md", "json", "mermaid"):
        r = await client.get(f"/api/courses/{course_id}/export", params={"format": fmt},
                             headers=h)
        assert r.status_code == 200, r.text
        parts.append(r.text)
    return "\n".join(parts)


async def test_a_cache_hit_carries_the_requesters_title_not_the_first_users(
        client: httpx.AsyncClient) -> None:
    alice, _ = await signup(client)
    bob, _ = await signup(client)
    carol, _ = await signup(client)
    # a unique transcript per run: the Redis cache outlives the test's schema
    body = upload_body(title=SECRET)
    body["transcript"] += f"\n\n999\n00:09:59,000 --> 00:10:00,000\nRun {id(client)}.\n"
    first = await client.post("/api/courses/generate", json=body, headers=auth_headers(alice))
    assert first.status_code == 202, first.text
    assert (await wait_done(client, alice, first.json()["courseId"]))["final"]["status"] \
        == "completed"
    assert (await _course(client, alice, first.json()["courseId"]))["title"] == SECRET

    bobs = await client.post("/api/courses/generate", json={**body, "title": "Bob's course"},
                             headers=auth_headers(bob))
    assert bobs.status_code == 200, bobs.text  # served from the cache
    assert bobs.json()["outline"]["title"] == "Bob's course"
    got = await _course(client, bob, bobs.json()["courseId"])
    assert got["title"] == "Bob's course"
    seen = await _everything(client, bob, bobs.json()["courseId"])
    assert "Bob's course" in seen and SECRET not in seen

    untitled = {k: v for k, v in body.items() if k != "title"}
    carols = await client.post("/api/courses/generate", json=untitled,
                               headers=auth_headers(carol))
    assert carols.status_code == 200, carols.text
    assert SECRET not in await _everything(client, carol, carols.json()["courseId"])
    assert (await _course(client, carol, carols.json()["courseId"]))["title"]
