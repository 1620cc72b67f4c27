"""Redis restarted under a running job (the real server: shutdown nosave, then started again with
no persistence, so checkpoints, queue and streams are gone). The job must end cleanly — completed
with every section, or failed with its error recorded — never a half-written course marked done;
and a retry then completes it.

Named to run last in this folder: it stops the Redis server every other test uses, and always
restarts it (finally), whatever happens. The suite runs serially (no xdist).
"""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid

import pytest
import redis

from db.models import Course, CourseContent
from tests.conftest import auth_headers
from tests.distributed.conftest import REDIS_HOST_URL, Cluster, poll
from tests.distributed.test_workers import SECTIONS, final_status, start_course

START = ('redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
         "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log")

pytestmark = pytest.mark.redis


def redis_up() -> bool:
    try:
        with redis.Redis.from_url(REDIS_HOST_URL, socket_connect_timeout=0.5) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def start_redis() -> None:
    if not redis_up():
        subprocess.run(shlex.split(START), check=True, timeout=30)
    deadline = time.monotonic() + 20
    while not redis_up():
        if time.monotonic() > deadline:
            raise RuntimeError("Redis did not come back")
        time.sleep(0.1)


def restart_redis(down_seconds: float) -> None:
    try:
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], timeout=30,
                       capture_output=True)
        deadline = time.monotonic() + 10
        while redis_up() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(down_seconds)
    finally:
        start_redis()


async def test_redis_restart_mid_job_ends_cleanly_and_retry_completes(dist: Cluster) -> None:
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode != 0:
        pytest.skip("redis-server is not on PATH: cannot restart Redis")
    dist.start_worker("w")
    dist.wait_worker_ready("w")
    try:
        async with dist.api() as (app, client):
            token, course_id = await start_course(client)
            await poll(lambda: dist.counts().get("done:LessonDraft", 0) >= 2, 40)
            restart_redis(down_seconds=1.5)

            async def settled() -> str | None:
                async with app.state.sessionmaker() as session:
                    course = await session.get(Course, uuid.UUID(course_id))
                    assert course is not None
                    await session.refresh(course)
                    return None if course.status == "processing" else course.status

            status = await poll(settled, 40, interval=0.3)
            async with app.state.sessionmaker() as session:
                course = await session.get(Course, uuid.UUID(course_id))
                rows = (await session.execute(
                    CourseContent.__table__.select().where(
                        CourseContent.course_id == uuid.UUID(course_id)))).all()
            sections = [r for r in rows if r.type == "section"]
            if status == "completed":  # it rode through the outage: the course is whole
                assert len(sections) == SECTIONS
            else:  # it failed, said why, and nothing pretends to be a finished course
                assert status == "failed", status
                assert course is not None and course.metadata_["error"]["code"]
                assert len(sections) in (0, SECTIONS)  # written in one transaction or not at all

            if status == "failed":
                r = await client.post(f"/api/courses/{course_id}/retry",
                                      headers=auth_headers(token))
                assert r.status_code == 202, r.text
                final = await final_status(client, token, course_id, timeout=60)
                assert final["status"] == "completed", dist.log("worker-w.log")[-3000:]
                detail = (await client.get(f"/api/courses/{course_id}",
                                           headers=auth_headers(token))).json()
                assert len(detail["sections"]) == SECTIONS
    finally:
        start_redis()
