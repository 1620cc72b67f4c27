"""Bursts against POST /generate (on SQLite and Postgres): 50 concurrent requests never give a
500, respect the concurrent-job limit, and make one course per Idempotency-Key; the same key
with another body is 422 `idempotency_key_reused`."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

from sqlalchemy import func, select

from db.models import Course
from testkit.client import auth_headers, upload_body

BURST = 50


async def _courses_of(app, user_id: str) -> int:  # type: ignore[no-untyped-def]
    async with app.state.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Course).where(
            Course.created_by == uuid.UUID(user_id))) or 0)


async def test_a_burst_respects_the_concurrent_job_limit(course_app, cclient, user, fake):
    token, me = user
    fake.latency_per_call = 5  # no job finishes during the burst: every slot stays taken
    limit = course_app.state.settings.free_concurrent_jobs
    replies = await asyncio.gather(*(
        cclient.post("/api/courses/generate", json=upload_body(duration=5 + i),
                     headers=auth_headers(token)) for i in range(BURST)))
    codes = Counter(r.status_code for r in replies)
    assert not [c for c in codes if c >= 500], codes
    assert codes[202] == limit, codes
    assert {r.json()["error"]["code"] for r in replies if r.status_code != 202} == {
        "too_many_concurrent_jobs"}
    assert await _courses_of(course_app, me["id"]) == limit


async def test_a_burst_with_one_idempotency_key_makes_one_course(course_app, cclient, user,
                                                                   fake):
    token, me = user
    fake.latency_per_call = 5
    headers = {**auth_headers(token), "Idempotency-Key": "burst-1"}
    replies = await asyncio.gather(*(
        cclient.post("/api/courses/generate", json=upload_body(), headers=headers)
        for _ in range(BURST)))
    codes = Counter(r.status_code for r in replies)
    assert set(codes) <= {200, 202} and codes[202] == 1, codes
    assert len({r.json()["courseId"] for r in replies}) == 1
    assert await _courses_of(course_app, me["id"]) == 1
    # the same key with another body is refused, not answered with the first course
    other = await cclient.post("/api/courses/generate", json=upload_body(duration=9),
                               headers=headers)
    assert other.status_code == 422, other.text
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    again = await cclient.post("/api/courses/generate", json=upload_body(), headers=headers)
    assert again.status_code == 200 and again.json()["courseId"] == replies[0].json()["courseId"]
