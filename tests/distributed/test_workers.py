"""Celery workers as real processes: crash recovery (SIGKILL mid-course), cancel, config errors.

Workers run with one pool process and LLM_MAX_CONCURRENCY=1, so sections are written one at a
time and at most one LLM call is in flight when a worker is killed; the fake LLM
(testkit/fake_factory.py) answers after 0.3 s and counts its calls in Redis.

WRITER_CONCURRENCY stays at its default (8, more than the 6 sections): LangGraph gates checkpoint
writes behind the same semaphore as the tasks (`max_concurrency`), so with fewer slots than
parallel sections a finished section's write waits for the queued sections to finish, and a crash
loses it. Serialising through the LLM client's own semaphore keeps the writes flowing.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx

from testkit.client import auth_headers, signup, upload_body
from testkit.cluster import ROOT, Cluster, poll

SECTIONS = 6  # upload_body(duration=48): 48 minutes at 8 minutes per section


async def start_course(client: httpx.AsyncClient, duration: int = 48) -> tuple[str, str]:
    token, _ = await signup(client)
    r = await client.post("/api/courses/generate", json=upload_body(duration),
                          headers=auth_headers(token))
    assert r.status_code == 202, r.text
    return token, r.json()["courseId"]


async def final_status(client: httpx.AsyncClient, token: str, course_id: str,
                       timeout: float) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        r = await client.get(f"/api/courses/status/{course_id}", headers=auth_headers(token))
        assert r.status_code == 200, r.text
        return r.json() if r.json()["status"] != "processing" else None

    return await poll(done, timeout, interval=0.2)  # type: ignore[no-any-return]


async def test_sigkilled_worker_is_resumed_without_regenerating_sections(dist: Cluster) -> None:
    first = dist.start_worker("first")
    dist.wait_worker_ready("first")
    async with dist.api() as (_, client):
        token, course_id = await start_course(client)
        # kill the worker half-way through the sections
        await poll(lambda: dist.counts().get("done:LessonDraft", 0) >= 3, 40)
        dist.kill(first)
        at_kill = dist.counts()
        assert at_kill.get("done:LessonDraft", 0) < SECTIONS, at_kill

        dist.start_worker("second")
        final = await final_status(client, token, course_id, timeout=60)
        assert final["status"] == "completed", (final, dist.log("worker-second.log")[-3000:])
        course = (await client.get(f"/api/courses/{course_id}",
                                   headers=auth_headers(token))).json()

    assert len(course["sections"]) == SECTIONS
    for section in course["sections"]:
        assert section["content"]["markdown"] and section["supplement"]["quiz"]["questions"]
    counts = dist.counts()
    # analysis and outline were checkpointed long before the kill: never asked again
    assert counts["done:CourseOutline"] == at_kill["done:CourseOutline"] == 1
    assert counts["done:Analysis"] == at_kill["done:Analysis"]
    # Every section's lesson was written; a lesson finished before the kill is not written again.
    # The one exception we can justify: a call whose answer had arrived but whose task write had
    # not reached the checkpoint when SIGKILL landed (a window of a few ms) is repeated once. The
    # call in flight at the kill never completed, so it is counted once, by the second worker.
    lessons = {k: v for k, v in counts.items() if k.startswith("done:LessonDraft:")}
    assert len(lessons) == SECTIONS, counts
    assert counts["done:LessonDraft"] == sum(lessons.values())
    assert SECTIONS <= counts["done:LessonDraft"] <= SECTIONS + 1, (counts, at_kill)
    assert sum(1 for v in lessons.values() if v > 1) <= 1, counts
    # at most one lesson call in flight at the kill (concurrency 1) is started again
    assert counts["started:LessonDraft"] <= SECTIONS + 2, counts
    # each quiz is written with its lesson: no separate quiz call
    assert not any(k.startswith("started:SupplementDraft") for k in counts), counts


async def test_cancel_reaches_the_worker(dist: Cluster) -> None:
    dist.start_worker("w")
    dist.wait_worker_ready("w")
    async with dist.api() as (_, client):
        token, course_id = await start_course(client)
        await poll(lambda: dist.counts().get("done:LessonDraft", 0) >= 1, 40)
        r = await client.post(f"/api/courses/{course_id}/cancel", headers=auth_headers(token))
        assert r.status_code == 200, r.text
        final = await final_status(client, token, course_id, timeout=10)
        assert final["status"] == "cancelled"
        stopped_at = dist.counts().get("started:LessonDraft", 0)
        # the worker itself stopped (its job recorded the cancel on the progress stream) ...
        stream = await client.get(f"/api/courses/{course_id}/events", headers=auth_headers(token))
        assert '"type":"cancelled"' in stream.text.replace(" ", "")
        # ... and makes no more calls for this course
        await __import__("asyncio").sleep(1.5)
        assert dist.counts().get("started:LessonDraft", 0) == stopped_at < SECTIONS

        # retry resumes from the checkpoint: finished lessons are not written again
        done_before = dist.counts()["done:LessonDraft"]
        r = await client.post(f"/api/courses/{course_id}/retry", headers=auth_headers(token))
        assert r.status_code == 202, r.text
        final = await final_status(client, token, course_id, timeout=40)
        assert final["status"] == "completed"
    assert dist.counts()["done:LessonDraft"] <= SECTIONS + 1
    assert done_before >= 1


async def test_cancel_of_a_queued_job_is_recorded_and_skipped(dist: Cluster) -> None:
    async with dist.api() as (_, client):
        token, course_id = await start_course(client)  # no worker running yet
        r = await client.post(f"/api/courses/{course_id}/cancel", headers=auth_headers(token))
        assert r.status_code == 200
        dist.start_worker("late")
        dist.wait_worker_ready("late")
        await poll(lambda: "skipped" in dist.log("worker-late.log")
                   or "nothing to run" in dist.log("worker-late.log"), 20)
        status = (await client.get(f"/api/courses/status/{course_id}",
                                   headers=auth_headers(token))).json()
    assert status["status"] == "cancelled"
    assert dist.counts().get("started:Analysis", 0) == 0


def test_worker_refuses_a_per_machine_checkpointer(dist: Cluster) -> None:
    proc = subprocess.run([sys.executable, "-m", "cli.main", "worker"], cwd=ROOT,
                          env={**dist.env, "CHECKPOINTER": "sqlite"}, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert "CHECKPOINTER=sqlite" in proc.stderr and "CHECKPOINTER=redis" in proc.stderr
