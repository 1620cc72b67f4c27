"""What runs beside the API: the job queue (and its services) and the outbox dispatcher."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from core.config import Settings
from core.lifecycle import CourseMetadata, CourseStatus
from db.models import Course
from infra.outbox_dispatcher import OutboxDispatcher
from jobs.queue import InProcessJobQueue, JobQueue
from jobs.resume import resume_job
from jobs.services import JobServices, open_job_services

log = logging.getLogger(__name__)


def make_job_queue(settings: Settings, services: JobServices) -> JobQueue:
    if settings.job_backend == "celery":
        from jobs.celery_queue import CeleryJobQueue

        return CeleryJobQueue(services)
    return InProcessJobQueue(services)


async def resume_interrupted(app: FastAPI, jobs: JobQueue) -> int:
    """Embedded mode: jobs that were running when the process died resume from checkpoints."""
    try:
        async with app.state.sessionmaker() as session:
            rows = list(await session.execute(
                select(Course.id, Course.metadata_)
                .where(Course.status == CourseStatus.PROCESSING.value)))
    except DBAPIError as exc:  # the API must start (and answer 503) while the DB is down
        log.warning("could not look for interrupted jobs: %s", exc)
        return 0
    for course_id, metadata in rows:
        # an interrupted outline edit resumes as that edit, not as a full regeneration
        await resume_job(jobs, str(course_id), CourseMetadata.of(metadata))
    if rows:
        log.info("resuming %d interrupted course job(s)", len(rows))
    return len(rows)


@asynccontextmanager
async def run_background(app: FastAPI, settings: Settings, chat_factory: Any,
                         fetch_captions: Any = None) -> AsyncIterator[None]:
    async with open_job_services(settings, app.state.sessionmaker, chat_factory=chat_factory,
                                 fetch_captions=fetch_captions) as services:
        jobs = make_job_queue(settings, services)
        app.state.job_services, app.state.jobs = services, jobs
        if isinstance(jobs, InProcessJobQueue) and settings.resume_jobs_on_start:
            await resume_interrupted(app, jobs)
        dispatcher = OutboxDispatcher(app.state.sessionmaker, settings)
        stop = asyncio.Event()
        outbox = asyncio.create_task(dispatcher.run_forever(stop))
        try:
            yield
        finally:
            stop.set()
            await jobs.aclose()
            await outbox
