"""Request/response models of the course routes (camelCase on the wire)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from api.schemas import UtcDatetime
from core.domain import (
    CamelModel,
    CourseOutline,
    CourseSection,
    Difficulty,
    ModificationImpact,
    OutlineSection,
    Preferences,
)

JobStatus = Literal["processing", "completed", "failed", "cancelled", "draft"]


class GenerateRequest(CamelModel):
    url: str | None = Field(default=None, max_length=2048,
                            description="A YouTube URL (watch, youtu.be, shorts, embed, live).",
                            examples=["https://www.youtube.com/watch?v=dQw4w9WgXcQ"])
    transcript: str | None = Field(default=None, description="Text of an .srt, .vtt or .txt "
                                   "transcript, instead of fetching the video's captions.")
    title: str | None = Field(default=None, max_length=300)
    preferences: Preferences | None = None


class GenerateResponse(CamelModel):
    course_id: str
    status: JobStatus
    outline: CourseOutline | None = None


class JobError(CamelModel):
    code: str
    message: str


class StatusResponse(CamelModel):
    status: JobStatus
    progress: float = Field(ge=0, le=1)
    current_step: str
    eta: float | None = Field(default=None, description="Seconds until done, estimated.")
    sections_done: int = 0
    sections_total: int = 0
    error: JobError | None = None


class CourseSummary(CamelModel):
    id: str
    title: str
    description: str | None = None
    difficulty: str | None = None
    status: str | None = None
    youtube_url: str | None = None
    is_public: bool = False
    # UtcDatetime: SQLite returns naive datetimes; the API always sends an RFC 3339 offset.
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None


class CourseList(CamelModel):
    items: list[CourseSummary]
    total: int
    limit: int
    offset: int


class CourseDetail(CourseSummary):
    version: int = 0
    outline: CourseOutline | None = None
    sections: list[CourseSection] = Field(default_factory=list)
    generation: dict[str, Any] = Field(default_factory=dict,
                                       description="Prompt versions, models, usage, warnings.")
    error: JobError | None = None


class OutlinePatch(CamelModel):
    """Partial<CourseOutline>: fields given replace the stored ones, absent or null fields are
    left unchanged; `sections`, when given, is the full new list (keep a section's `id` to keep
    its content and learner progress)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = None
    difficulty: Difficulty | None = None
    language: str | None = None
    learning_objectives: list[str] | None = None
    estimated_minutes: int | None = Field(default=None, ge=1)
    sections: list[OutlineSection] | None = Field(default=None, min_length=1, max_length=100)


class OutlineUpdateRequest(CamelModel):
    outline: OutlinePatch


class OutlineUpdateResponse(CamelModel):
    course: CourseDetail
    validation_issues: list[ModificationImpact] = Field(default_factory=list)


class ActionResponse(CamelModel):
    course_id: str
    status: JobStatus
