"""A SIGKILLed worker's job is re-enqueued from its expired lock, under the default
JOB_VISIBILITY_TIMEOUT (4 h): the course completes within half a minute of the kill, on another
worker, and no finished section is written again."""

from __future__ import annotations

import time

from testkit.client import auth_headers
from testkit.cluster import Cluster, poll
from tests.distributed.test_workers import SECTIONS, final_status, start_course

DEFAULT_VISIBILITY = {"JOB_VISIBILITY_TIMEOUT": "14400"}


async def test_dead_worker_job_is_requeued_within_30s_at_default_settings(dist: Cluster) -> None:
    dist.settings = dist.settings.model_copy(update={"job_visibility_timeout_seconds": 14400})
    workers = {name: dist.start_worker(name, **DEFAULT_VISIBILITY) for name in ("a", "b")}
    for name in workers:
        dist.wait_worker_ready(name)
    async with dist.api() as (_, client):
        token, course_id = await start_course(client)
        await poll(lambda: dist.counts().get("done:LessonDraft", 0) >= 2, 40)
        # kill the worker running the course; the other one is idle and alive
        running = [n for n in workers if course_id in dist.log(f"worker-{n}.log")]
        assert len(running) == 1, running
        dist.kill(workers[running[0]])
        killed_at = time.monotonic()
        at_kill = dist.counts()
        assert at_kill.get("done:LessonDraft", 0) < SECTIONS, at_kill
        final = await final_status(client, token, course_id, timeout=30)
        recovered_in = time.monotonic() - killed_at
        assert final["status"] == "completed", final
        course = (await client.get(f"/api/courses/{course_id}",
                                   headers=auth_headers(token))).json()
    print(f"recovered {recovered_in:.1f}s after the SIGKILL")
    assert len(course["sections"]) == SECTIONS
    counts = dist.counts()
    assert counts["done:CourseOutline"] == 1 and counts["done:Analysis"] == at_kill["done:Analysis"]
    lessons = {k: v for k, v in counts.items() if k.startswith("done:LessonDraft:")}
    assert len(lessons) == SECTIONS, counts
    # a lesson finished before the kill is not written again (bar the few-ms window between an
    # answer and its checkpoint write, as in test_workers.py)
    assert sum(1 for v in lessons.values() if v > 1) <= 1, counts
