"""Redis restarted under a running job (a real server: shutdown nosave, then started again with
no persistence, so checkpoints, queue and streams are gone). The job must end cleanly — completed
with every section, or failed with its error recorded — never a half-written course marked done;
and a retry then completes it.

The Redis restarted here is this test's own (a redis-server on a free port under tmp_path): the
run's shared Redis, and any other server on the machine, are never touched.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from db.models import Course, CourseContent
from testkit import services
from testkit.client import auth_headers
from testkit.cluster import Cluster, free_port, poll
from testkit.services import PostgresSchema
from tests.distributed.test_workers import SECTIONS, final_status, start_course

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


class OwnRedis:
    """A redis-server of this test only, restartable on the same port."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path / "own-redis"
        self.dir.mkdir()
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def up(self) -> bool:
        try:
            with redis.Redis.from_url(self.url, socket_connect_timeout=0.5) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        log = open(self.dir / "redis.log", "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [services.redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not self.up():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                log = (self.dir / "redis.log").read_text()
                raise RuntimeError(f"own Redis did not start:\n{log}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                with redis.Redis.from_url(self.url) as client:
                    client.shutdown(nosave=True)
            except redis.RedisError:
                pass  # shutdown drops the connection: that is the expected answer
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def restart(self, down_seconds: float) -> None:
        self.stop()
        time.sleep(down_seconds)
        self.start()


@pytest.fixture
def own(tmp_path: Path) -> Iterator[tuple[Cluster, OwnRedis]]:
    services.need_postgres()
    server = OwnRedis(tmp_path)
    server.start()
    try:
        with PostgresSchema() as schema:
            cluster = Cluster(tmp_path, schema, server.url)
            try:
                yield cluster, server
            finally:
                cluster.close()
    finally:
        server.stop()


async def test_redis_restart_mid_job_ends_cleanly_and_retry_completes(
    own: tuple[Cluster, OwnRedis],
) -> None:
    dist, server = own
    dist.start_worker("w")
    dist.wait_worker_ready("w")
    async with dist.api() as (app, client):
        token, course_id = await start_course(client)
        await poll(lambda: dist.counts().get("done:LessonDraft", 0) >= 2, 40)
        server.restart(down_seconds=1.5)

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
