"""A course's lifecycle: its states, the transitions allowed between them (with the event each
emits) and the typed metadata stored beside the status.

Pure: no database. `db/repo/lifecycle.py` applies a transition to a row, and is the only code
that writes a course's status or metadata (tests/core/test_lifecycle.py checks both, and that
docs/DESIGN.md's state diagram is this table).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class CourseStatus(StrEnum):
    DRAFT = "draft"  # a row not yet given to a job (the column's default; never observed)
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


LifecycleEvent = Literal["course.queued", "course.served_from_cache", "course.completed",
                         "course.failed", "course.cancelled", "course.retried", "course.edited"]

S = CourseStatus
# (from, to) -> the event the transition emits. Anything else is refused.
TRANSITIONS: dict[tuple[CourseStatus, CourseStatus], LifecycleEvent] = {
    (S.DRAFT, S.PROCESSING): "course.queued",             # POST /generate queued a job
    (S.DRAFT, S.COMPLETED): "course.served_from_cache",   # an identical request's course
    (S.PROCESSING, S.COMPLETED): "course.completed",      # the graph's persist step
    (S.PROCESSING, S.FAILED): "course.failed",            # the job recorded an error
    (S.PROCESSING, S.CANCELLED): "course.cancelled",      # only a user's cancel
    (S.FAILED, S.PROCESSING): "course.retried",           # retry (or an edit) resumes it
    (S.CANCELLED, S.PROCESSING): "course.retried",
    (S.COMPLETED, S.PROCESSING): "course.edited",         # an outline edit rewrites sections
}


class InvalidTransition(Exception):
    def __init__(self, current: CourseStatus | str | None, to: CourseStatus) -> None:
        super().__init__(f"a course cannot go from {current} to {to}")
        self.current, self.to = current, to


def status_of(value: str | None) -> CourseStatus:
    return CourseStatus(value or CourseStatus.DRAFT)


def event_for(current: CourseStatus | str | None, to: CourseStatus) -> LifecycleEvent:
    """The event of the transition `current → to`; InvalidTransition when it is not allowed."""
    event = TRANSITIONS.get((status_of(current), to))
    if event is None:
        raise InvalidTransition(current, to)
    return event


class _Stored(BaseModel):
    """Stored JSON keeps its camelCase keys (existing rows read unchanged); Python is snake."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              serialize_by_alias=True, extra="ignore")


class CourseRequest(_Stored):
    """What the course was asked for (POST /generate), enough to run or resume its job."""

    video_id: str | None = None
    url: str | None = None
    preferences: dict[str, Any] = Field(default_factory=dict)
    title: str | None = None
    cache_key: str | None = None
    source: Literal["upload", "youtube"] | None = None


class JobError(_Stored):
    code: str
    message: str


class PendingEdit(_Stored):
    """An outline edit whose sections are still being rewritten; a restart or retry resumes it."""

    version: int
    previous_outline: dict[str, Any]
    regenerate: list[str]


class ValidationIssue(_Stored):
    section_id: str
    message: str


class GenerationRecord(_Stored):
    """What persist records about a finished run (a subset of CourseMetadata)."""

    video_id: str | None = None
    transcript_language: str | None = None
    transcript_source: str | None = None
    duration_seconds: float | None = None
    video: dict[str, Any] | None = None
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    usage: dict[str, Any] | None = None
    validation_issues: list[ValidationIssue] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class CourseMetadata(GenerationRecord):
    """`courses.metadata`: the request, the version (the ETag), the job's error or pending
    edit, and how the course was made (what persist records)."""

    request: CourseRequest = Field(default_factory=CourseRequest)
    version: int = 0
    error: JobError | None = None
    pending_edit: PendingEdit | None = None
    impacts: list[dict[str, Any]] = Field(default_factory=list)
    served_from_cache: bool | None = None

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> CourseMetadata:
        return cls.model_validate(stored or {})

    def stored(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)

    def current_edit(self) -> PendingEdit | None:
        """The pending edit if it is the one of the course's current version."""
        edit = self.pending_edit
        return edit if edit is not None and edit.version == self.version else None
