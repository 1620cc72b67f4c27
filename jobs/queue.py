"""The job queue the API talks to: in-process asyncio tasks (embedded) or Celery (distributed)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from jobs.course_job import run_course_job, run_edit_job
from jobs.services import JobServices

log = logging.getLogger(__name__)


class JobQueue(Protocol):
    async def submit_generate(self, course_id: str, *, resume: bool = False) -> None: ...
    async def submit_edit(self, course_id: str, **edit: Any) -> None: ...
    async def cancel(self, course_id: str) -> bool: ...
    async def aclose(self) -> None: ...


class InProcessJobQueue:
    """Jobs as asyncio tasks in the API process; checkpoints make them resumable after a crash."""

    def __init__(self, services: JobServices) -> None:
        self.services = services
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.closing = False

    def _start(self, course_id: str, work: Any) -> None:
        if self.closing:  # stopping: the course stays `processing` for the next start
            work.close()
            log.info("course %s: not started, the server is stopping", course_id)
            return
        previous = self.tasks.get(course_id)

        async def after_previous() -> None:
            # A job that just persisted may still be finishing (events, bookkeeping) when the
            # next one (an edit) arrives: let it end rather than cancel it mid-bookkeeping.
            try:
                if previous is not None and not previous.done():
                    await asyncio.gather(previous, return_exceptions=True)
            except asyncio.CancelledError:
                work.close()  # cancelled before it started: nothing to clean up
                raise
            await work

        task = asyncio.create_task(after_previous(), name=f"course:{course_id}")
        self.tasks[course_id] = task
        task.add_done_callback(lambda t: self._finished(course_id, t))

    def _finished(self, course_id: str, task: asyncio.Task[None]) -> None:
        if self.tasks.get(course_id) is task:
            del self.tasks[course_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("job %s crashed", course_id, exc_info=task.exception())

    async def submit_generate(self, course_id: str, *, resume: bool = False) -> None:
        self._start(course_id, run_course_job(self.services, course_id, resume=resume))

    async def submit_edit(self, course_id: str, **edit: Any) -> None:
        self._start(course_id, run_edit_job(self.services, course_id, **edit))

    async def cancel(self, course_id: str) -> bool:
        """A user's cancel: the job records `cancelled`."""
        task = self.tasks.get(course_id)
        if task is None or task.done():
            return False
        self.services.user_cancels.add(course_id)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        return True

    async def wait_idle(self) -> None:
        """Wait for running jobs (tests, graceful shutdown)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks.values()), return_exceptions=True)

    async def aclose(self, grace: float | None = None) -> None:
        """Graceful stop: take no new job, give running ones the grace period (default: the
        setting), then stop them as a shutdown (their courses stay `processing` and resume on
        the next start)."""
        self.closing = True
        running = list(self.tasks.values())
        if running:
            if grace is None:
                grace = self.services.settings.job_shutdown_grace_seconds
            _, pending = await asyncio.wait(running, timeout=grace)
            for task in pending:
                task.cancel()
            log.info("shutdown: %d job(s) finished, %d left to resume on the next start",
                     len(running) - len(pending), len(pending))
        await asyncio.gather(*list(self.tasks.values()), return_exceptions=True)
