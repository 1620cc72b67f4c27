"""Resume a course's interrupted or failed job as the kind of job it was (generate or edit)."""

from __future__ import annotations

from core.lifecycle import CourseMetadata
from infra.progress_bus import ProgressEvent
from jobs.queue import JobQueue
from jobs.services import JobServices


async def resume_job(jobs: JobQueue, course_id: str, metadata: CourseMetadata) -> str:
    """Queue the course's job again, from its checkpoint; returns "edit" or "generate".

    An outline edit still pending (the PUT stored it; the edit's completion clears it) resumes
    as that edit, not as a full regeneration."""
    edit = metadata.current_edit()
    if edit is not None:
        await jobs.submit_edit(course_id, version=edit.version,
                               previous_outline=edit.previous_outline,
                               impacts=metadata.impacts, regenerate=edit.regenerate)
        return "edit"
    await jobs.submit_generate(course_id, resume=True)
    return "generate"


async def announce_attempt(services: JobServices, course_id: str, message: str) -> None:
    """Open a new attempt on the course's progress stream before the API answers: a client
    that follows the stream at once (after a PUT outline or a retry) would otherwise replay
    the previous attempt, up to its `completed`, because the job's own `started` comes later."""
    await services.progress.publish(ProgressEvent(
        course_id=course_id, type="started", step="queued", message=message))
