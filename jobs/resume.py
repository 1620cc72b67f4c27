"""Resume a course's interrupted or failed job as the kind of job it was (generate or edit)."""

from __future__ import annotations

from typing import Any

from infra.progress_bus import ProgressEvent
from jobs.queue import JobQueue
from jobs.services import JobServices


def pending_edit(metadata: dict[str, Any] | None) -> dict[str, Any] | None:
    """The arguments of the outline edit the course is (still) being regenerated for, if any.

    The PUT that queued the edit stored them under `pendingEdit`; the edit's persist removes it.
    """
    meta = metadata or {}
    edit = meta.get("pendingEdit")
    if not edit or edit.get("version") != meta.get("version"):
        return None
    return {"version": edit["version"], "previous_outline": edit["previousOutline"],
            "impacts": meta.get("impacts") or [], "regenerate": edit["regenerate"]}


async def resume_job(jobs: JobQueue, course_id: str, metadata: dict[str, Any] | None) -> str:
    """Queue the course's job again, from its checkpoint; returns "edit" or "generate"."""
    edit = pending_edit(metadata)
    if edit is not None:
        await jobs.submit_edit(course_id, **edit)
        return "edit"
    await jobs.submit_generate(course_id, resume=True)
    return "generate"


async def announce_attempt(services: JobServices, course_id: str, message: str) -> None:
    """Open a new attempt on the course's progress stream before the API answers: a client
    that follows the stream at once (after a PUT outline or a retry) would otherwise replay
    the previous attempt, up to its `completed`, because the job's own `started` comes later."""
    await services.progress.publish(ProgressEvent(
        course_id=course_id, type="started", step="queued", message=message))
