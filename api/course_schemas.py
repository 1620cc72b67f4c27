"""Request/response models of the course routes (camelCase on the wire)."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import AfterValidator, Field

from api.schemas import StoredText, UtcDatetime
from core.domain import (
    CamelModel,
    CourseModule,
    CourseOutline,
    CourseSection,
    CourseStatus,
    Difficulty,
    ModificationImpact,
    Preferences,
    TranscriptSource,
    VideoMetadata,
)
from core.markdown_safety import safe_text
from infra.progress_bus import Step
from llm.usage import UsageTotals as LedgerTotals

JobStatus = CourseStatus



# Text a user types that pages and exports show: no HTML survives (core/markdown_safety.py)
UserText = Annotated[StoredText, AfterValidator(safe_text)]

# The least a transcript must hold to teach from (about 35 words): shorter is 422
# transcript_too_short, declared as the body's minLength.
MIN_TRANSCRIPT_CHARS = 200
# Text that is not blank and holds no NUL (Postgres cannot store it): one pattern, as JSON Schema
# allows one per string.
TRANSCRIPT_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"


class GenerateRequest(CamelModel):
    """A `url` or a `transcript` is required: the OpenAPI body says so as anyOf (see
    api/openapi_bodies.py); the route answers 422 missing_source."""

    url: str | None = Field(default=None, min_length=1, max_length=2048,
                            description="A YouTube video or playlist URL (watch, youtu.be, "
                            "shorts, embed, live, playlist); anything else is 422 invalid_url.",
                            examples=["https://www.youtube.com/watch?v=dQw4w9WgXcQ"])
    # checked by the route (api/generation.py), so each rule has its own error code
    transcript: str | None = Field(
        default=None, json_schema_extra={"minLength": MIN_TRANSCRIPT_CHARS,
                                         "pattern": TRANSCRIPT_PATTERN},
        description=f"Text of an .srt, .vtt or .txt transcript, instead of fetching the video's "
        f"captions: at least {MIN_TRANSCRIPT_CHARS} characters, not blank (422 "
        "transcript_too_short), and it must parse as one of those formats (422 "
        "invalid_transcript).")
    title: UserText | None = Field(default=None, max_length=300)
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
    current_step: str = Field(json_schema_extra={"enum": list(get_args(Step))},
                              description="The step of the latest progress event")
    eta: float | None = Field(default=None, description="Seconds until done, estimated.")
    sections_done: int = 0
    sections_total: int = 0
    error: JobError | None = None


class CourseSummary(CamelModel):
    id: str
    title: str
    description: str | None = None
    difficulty: Difficulty | None = None
    status: CourseStatus = "draft"
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


class UsageTotals(CamelModel, LedgerTotals):
    """The usage ledger's totals (llm/usage.py), camelCase on the wire: one list of fields."""


class Usage(CamelModel):
    """LLM usage of the generation: totals, per graph node and per model."""

    totals: UsageTotals = Field(default_factory=UsageTotals)
    by_node: dict[str, UsageTotals] = Field(default_factory=dict)
    by_model: dict[str, UsageTotals] = Field(default_factory=dict)


class ValidationIssue(CamelModel):
    section_id: str
    message: str


class GenerationInfo(CamelModel):
    """How the course was made (courses.metadata, as stored by the job)."""

    video_id: str | None = None
    transcript_language: str | None = None
    transcript_source: TranscriptSource | None = None
    duration_seconds: float | None = Field(default=None, ge=0)
    video: VideoMetadata | None = Field(
        default=None, description="The YouTube video's own metadata (yt-dlp), read before "
        "any model call: title, channel, length, language, chapters, thumbnail.")
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    usage: Usage | None = None
    validation_issues: list[ValidationIssue] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    impacts: list[ModificationImpact] = Field(
        default_factory=list, description="Impacts of the last outline edit.")


class CourseDetail(CourseSummary):
    version: int = 0
    outline: CourseOutline | None = None
    sections: list[CourseSection] = Field(default_factory=list)
    modules: list[CourseModule] = Field(
        default_factory=list, description="A playlist course's videos, each with its sections "
        "in course order; empty for a course made from one video or transcript.")
    generation: GenerationInfo = Field(default_factory=GenerationInfo)
    error: JobError | None = None


class OutlineSectionInput(CamelModel):
    """A section as a client sends it: only `title` is required. Keep `id` to keep the
    section's lesson and learner progress; a new or unknown id makes a new section. The
    server requires endSeconds >= startSeconds (422 invalid_outline)."""

    id: StoredText | None = Field(default=None, max_length=64)
    title: UserText = Field(min_length=1, max_length=300)
    summary: UserText | None = None
    objectives: list[UserText] | None = None
    start_seconds: float | None = Field(default=None, ge=0)
    end_seconds: float | None = Field(default=None, ge=0)
    lessons: list[UserText] | None = None


class OutlinePatch(CamelModel):
    """Partial<CourseOutline>: fields given replace the stored ones, absent or null fields are
    left unchanged; `sections`, when given, is the full new list (keep a section's `id` to keep
    its content and learner progress)."""

    title: UserText | None = Field(default=None, min_length=1, max_length=300)
    description: UserText | None = None
    difficulty: Difficulty | None = None
    language: StoredText | None = None
    learning_objectives: list[UserText] | None = None
    estimated_minutes: int | None = Field(default=None, ge=1)
    sections: list[OutlineSectionInput] | None = Field(default=None, min_length=1, max_length=100)


class OutlineUpdateRequest(CamelModel):
    outline: OutlinePatch


class OutlineUpdateResponse(CamelModel):
    course: CourseDetail
    validation_issues: list[ModificationImpact] = Field(default_factory=list)


class ActionResponse(CamelModel):
    course_id: str
    status: JobStatus
