"""The worker side of `JOB_BACKEND=celery`: the Celery tasks and what they run on.

Each worker process (a prefork child) builds its JobServices once, lazily, on its own event loop,
and runs every job on that loop. A job runs only if it is still the course's current job, the
course is still `processing` and no other live worker holds the course's lock; while it runs, a
side task refreshes the lock and polls the cancel flag, and cancels the job when the flag is set
(run_course_job then records `cancelled`). Generation always resumes from the course's checkpoint
when there is one: a message redelivered after a worker died picks up where that worker stopped.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AsyncExitStack
from typing import Any

import redis.asyncio as aredis
from celery import Celery
from celery.signals import worker_process_shutdown, worker_ready, worker_shutdown
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings, get_settings
from core.lifecycle import CourseStatus
from db.models import Course
from db.repo.lifecycle import is_, transition
from db.session import make_engine, make_sessionmaker
from infra.redis_conn import redis_client
from jobs.celery_app import (
    CANCEL_POLL_SECONDS,
    EDIT_TASK,
    GENERATE_TASK,
    LOCK_TTL_SECONDS,
    REFRESH_LOCK,
    RELEASE_LOCK,
    JobKeys,
    make_celery_app,
)
from jobs.course_job import run_course_job, run_edit_job
from jobs.reaper import Reaper, running_record
from jobs.services import JobServices, open_job_services

log = logging.getLogger(__name__)
Work = Callable[[JobServices], Coroutine[Any, Any, None]]  # create_task takes a coroutine


class WorkerRuntime:
    """One per worker process: an event loop, the job services and a Redis client on it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        self.services: JobServices | None = None
        self.redis: aredis.Redis | None = None
        self.keys = JobKeys()

    async def _open(self) -> JobServices:
        if self.services is None:
            engine = make_engine(self.settings.resolved_database_url)
            self.stack.push_async_callback(engine.dispose)
            self.services = await self.stack.enter_async_context(
                open_job_services(self.settings, make_sessionmaker(engine)))
            self.redis = redis_client(self.settings.redis_url)  # type: ignore[arg-type]
            self.stack.push_async_callback(self.redis.aclose)
        return self.services

    def run(self, course_id: str, job_id: str, work: Work, *, task: str,
            kwargs: dict[str, Any]) -> str:
        record = running_record(task, job_id, kwargs)
        return self.loop.run_until_complete(self._run(course_id, job_id, work, record))

    def close(self) -> None:
        if self.services is not None:
            self.loop.run_until_complete(self.stack.aclose())
        self.loop.close()

    async def _run(self, course_id: str, job_id: str, work: Work, record: str) -> str:
        services = await self._open()
        r, keys = self.redis, self.keys
        assert r is not None
        current = await r.get(keys.current(course_id))
        if isinstance(current, bytes):  # no decode_responses: replies are bytes
            current = current.decode()
        if current is not None and current != job_id:
            log.info("course %s: job %s superseded by %s", course_id, job_id, current)
            return "stale"
        status = await _status(services.sessionmaker, course_id)
        if status != CourseStatus.PROCESSING.value:
            log.info("course %s is %s: nothing to run", course_id, status)
            return "skipped"
        if await r.exists(keys.cancel(course_id)):
            await _mark_cancelled(services.sessionmaker, course_id)
            return "cancelled"
        holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        if not await self._acquire(course_id, holder):
            log.warning("course %s is running on another live worker; dropping %s", course_id,
                        job_id)
            return "busy"
        # what a reaper re-enqueues if this process dies while holding the lock
        await r.set(keys.running(course_id), record,
                    ex=self.settings.job_visibility_timeout_seconds)
        job = asyncio.create_task(work(services), name=f"course:{course_id}")
        watcher = asyncio.create_task(self._watch(course_id, holder, job))
        try:
            await asyncio.wait({job})
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
            # the record goes before the lock: a reaper never sees a finished job as orphaned
            await _quietly(r.delete(keys.running(course_id)))
            await _quietly(r.eval(RELEASE_LOCK, 1, keys.lock(course_id), holder))
        if job.cancelled():
            return "cancelled"
        job.result()  # re-raise what run_course_job could not record (e.g. the DB went away)
        return "done"

    async def _acquire(self, course_id: str, holder: str) -> bool:
        """Take the course's lock; a dead holder's lock expires within LOCK_TTL_SECONDS."""
        assert self.redis is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOCK_TTL_SECONDS + 2
        while True:
            if await self.redis.set(self.keys.lock(course_id), holder, nx=True,
                                    px=LOCK_TTL_SECONDS * 1000):
                return True
            if loop.time() > deadline:
                return False
            await asyncio.sleep(CANCEL_POLL_SECONDS)

    async def _watch(self, course_id: str, holder: str, job: asyncio.Task[None]) -> None:
        """Refresh the lock and cancel the job when the API sets the course's cancel flag."""
        assert self.redis is not None
        while not job.done():
            try:
                await self.redis.eval(REFRESH_LOCK, 1, self.keys.lock(course_id), holder,
                                      LOCK_TTL_SECONDS * 1000)
                if await self.redis.exists(self.keys.cancel(course_id)):
                    log.info("course %s: cancel requested", course_id)
                    assert self.services is not None
                    self.services.user_cancels.add(course_id)  # a user's: recorded cancelled
                    job.cancel()
                    return
            except aredis.RedisError as exc:  # Redis away: the job itself decides what fails
                log.warning("course %s: cannot reach Redis to watch the job: %s", course_id, exc)
            await asyncio.sleep(CANCEL_POLL_SECONDS)


async def _quietly(awaitable: Awaitable[Any]) -> None:
    try:
        await awaitable
    except aredis.RedisError as exc:  # the lock then expires on its own
        log.warning("could not release a job lock: %s", exc)


async def _status(sessionmaker: async_sessionmaker[AsyncSession], course_id: str) -> str | None:
    async with sessionmaker() as session:
        course = await session.get(Course, uuid.UUID(course_id))
        return course.status if course is not None else None


async def _mark_cancelled(sessionmaker: async_sessionmaker[AsyncSession], course_id: str) -> None:
    async with sessionmaker() as session, session.begin():
        course = await session.get(Course, uuid.UUID(course_id), with_for_update=True)
        if course is not None and is_(course, CourseStatus.PROCESSING):
            await transition(session, course, CourseStatus.CANCELLED)


_runtime: WorkerRuntime | None = None


def runtime() -> WorkerRuntime:
    """This process's runtime, built on first use (after the prefork fork, never before)."""
    global _runtime
    if _runtime is None:
        _runtime = WorkerRuntime(get_settings())
    return _runtime


_reaper: Reaper | None = None


@worker_ready.connect
def _start_reaper(sender: Any = None, **_: Any) -> None:
    """In the worker's main process: re-enqueue jobs of workers that died (see jobs/reaper.py)."""
    global _reaper
    settings = get_settings()
    app = getattr(sender, "app", None)
    if _reaper is None and settings.redis_url and app is not None:
        _reaper = Reaper(settings.redis_url, app, JobKeys(),
                         flag_ttl=settings.job_visibility_timeout_seconds * 2)
        _reaper.start()


@worker_shutdown.connect
def _stop_reaper(**_: Any) -> None:
    if _reaper is not None:
        _reaper.stop()


@worker_process_shutdown.connect
def _close_runtime(**_: Any) -> None:
    global _runtime
    if _runtime is not None:
        _runtime.close()
        _runtime = None


def register_tasks(app: Celery) -> Celery:
    @app.task(name=GENERATE_TASK, bind=True)
    def generate(self: Any, course_id: str, job_id: str, resume: bool = False) -> str:
        redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
        log.info("course %s: generate (job %s, resume=%s, redelivered=%s)", course_id, job_id,
                 resume, redelivered)
        # Always resume: with no checkpoint it is a fresh start; with one (a redelivered message
        # or a retry) the finished nodes and sections are not run again.
        return runtime().run(course_id, job_id,
                             lambda s: run_course_job(s, course_id, resume=True),
                             task=GENERATE_TASK, kwargs={"resume": resume})

    @app.task(name=EDIT_TASK, bind=True)
    def edit(self: Any, course_id: str, job_id: str, **edit: Any) -> str:
        log.info("course %s: edit (job %s)", course_id, job_id)
        return runtime().run(course_id, job_id, lambda s: run_edit_job(s, course_id, **edit),
                             task=EDIT_TASK, kwargs=edit)

    return app


def make_worker_app(settings: Settings | None = None) -> Celery:
    return register_tasks(make_celery_app(settings or get_settings()))
