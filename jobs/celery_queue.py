"""The API side of `JOB_BACKEND=celery`: enqueue course jobs for the workers, and cancel them.

Messages carry only ids and small arguments; the worker reads the rest from the database and the
checkpoint. Any API process can cancel any job: the request goes through Redis, not memory.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from infra.redis_conn import redis_client
from jobs.celery_app import (
    EDIT_TASK,
    GENERATE_TASK,
    LOCK_TTL_SECONDS,
    QUEUE,
    JobKeys,
    make_celery_app,
)
from jobs.services import JobServices

log = logging.getLogger(__name__)


class CeleryJobQueue:
    """Send jobs to Celery workers over the Redis broker."""

    def __init__(self, services: JobServices, *, keys: JobKeys | None = None) -> None:
        self.services = services
        self.app = make_celery_app(services.settings)  # validates the distributed settings
        self.redis = redis_client(services.settings.redis_url)  # type: ignore[arg-type]
        self.keys = keys or JobKeys()
        # flags outlive any job that could still read them
        self.flag_ttl = services.settings.job_visibility_timeout_seconds * 2

    async def _send(self, task: str, course_id: str, kwargs: dict[str, Any]) -> str:
        job_id = f"{course_id}:{uuid.uuid4().hex[:12]}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.keys.cancel(course_id))  # a retry after a cancel must run
            pipe.set(self.keys.current(course_id), job_id, ex=self.flag_ttl)
            await pipe.execute()
        # kombu's publish is blocking I/O: keep it off the event loop
        await asyncio.to_thread(self.app.send_task, task, kwargs={
            "course_id": course_id, "job_id": job_id, **kwargs}, task_id=job_id, queue=QUEUE)
        return job_id

    async def submit_generate(self, course_id: str, *, resume: bool = False) -> None:
        await self._send(GENERATE_TASK, course_id, {"resume": resume})

    async def submit_edit(self, course_id: str, **edit: Any) -> None:
        await self._send(EDIT_TASK, course_id, edit)

    async def cancel(self, course_id: str) -> bool:
        """Ask the worker running the course to stop. True once a worker has stopped it (and
        recorded `cancelled`); False when no worker runs it, so the caller records it — a queued
        message is then skipped by whichever worker receives it (status is no longer processing,
        and the flag is set)."""
        await self.redis.set(self.keys.cancel(course_id), "1", ex=self.flag_ttl)
        job_id = await self.redis.get(self.keys.current(course_id))
        if isinstance(job_id, bytes):  # no decode_responses: replies are bytes
            job_id = job_id.decode()
        if job_id is not None:
            await asyncio.to_thread(self.app.control.revoke, job_id)
        if not await self.redis.exists(self.keys.lock(course_id)):
            return False
        # the worker polls the flag every CANCEL_POLL_SECONDS and frees the lock when it stopped
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOCK_TTL_SECONDS
        while loop.time() < deadline:
            if not await self.redis.exists(self.keys.lock(course_id)):
                return True
            await asyncio.sleep(0.1)
        log.warning("course %s: no worker confirmed the cancel in %ss", course_id,
                    LOCK_TTL_SECONDS)
        return False

    async def aclose(self) -> None:
        await self.redis.aclose()
        self.app.close()
