"""The only code that writes a course's status or metadata (core/lifecycle.py says which
transitions exist). A transition runs in the caller's transaction, with its outbox event."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.lifecycle import (
    CourseMetadata,
    CourseRequest,
    CourseStatus,
    JobError,
    LifecycleEvent,
    event_for,
    status_of,
)
from db.models import Course, User
from db.outbox import enqueue_event

# the lifecycle events other systems hear of (the outbox dispatcher delivers them)
OUTBOX_EVENTS: frozenset[LifecycleEvent] = frozenset({"course.completed", "course.failed"})


def metadata_of(course: Course) -> CourseMetadata:
    return CourseMetadata.of(course.metadata_)


def store_metadata(course: Course, meta: CourseMetadata) -> None:
    """Write the course's metadata (the status never changes here: see transition)."""
    course.metadata_ = meta.stored()


def new_course(*, user_id: uuid.UUID | None, title: str, youtube_url: str | None,
               request: CourseRequest) -> Course:
    """A draft row; the caller adds it and moves it on (queued, or served from the cache)."""
    return Course(id=uuid.uuid4(), title=title, created_by=user_id, youtube_url=youtube_url,
                  status=CourseStatus.DRAFT.value,
                  metadata_=CourseMetadata(request=request).stored())


async def transition(session: AsyncSession, course: Course, to: CourseStatus, *,
                     error: JobError | None = None,
                     metadata: CourseMetadata | None = None) -> LifecycleEvent:
    """Move the course to `to` (InvalidTransition when the table has no such edge), write
    `metadata` with it (the error set on failure, cleared otherwise) and enqueue the outbox
    event when other systems hear of it. Returns the transition's event."""
    event = event_for(course.status, to)
    meta = metadata if metadata is not None else metadata_of(course)
    meta = meta.model_copy(update={"error": error if to is CourseStatus.FAILED else None})
    if to is CourseStatus.COMPLETED:
        meta = meta.model_copy(update={"pending_edit": None})
    course.status = to.value
    store_metadata(course, meta)
    if event in OUTBOX_EVENTS:
        await _announce(session, course, event, error)
    return event


def is_(course: Course | None, status: CourseStatus) -> bool:
    return course is not None and status_of(course.status) is status


async def _announce(session: AsyncSession, course: Course, event: LifecycleEvent,
                    error: JobError | None) -> None:
    owner = await session.get(User, course.created_by) if course.created_by else None
    payload: dict[str, Any]
    if event == "course.completed":
        payload = {"courseId": str(course.id), "title": course.title,
                   "userId": str(course.created_by) if course.created_by else None,
                   "email": owner.email if owner else None, "name": owner.name if owner else None}
    else:  # course.failed: only an owner hears of it
        if not course.created_by:
            return
        payload = {"courseId": str(course.id), "title": course.title,
                   "userId": str(course.created_by), "email": owner.email if owner else None,
                   "error": error.model_dump(mode="json") if error else None}
    await enqueue_event(session, event_type=event, payload=payload)
