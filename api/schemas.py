"""Request/response models for auth, user and progress routes (camelCase on the wire)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from core.domain import CamelModel, QuizResult
from core.tiers import SubscriptionStatus as SubscriptionStatus
from core.tiers import Tier as SubscriptionTier


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _utc(value: datetime) -> datetime:
    # SQLite returns naive datetimes; everything stored is UTC, and the API always says so.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _date_time_text(value: Any) -> Any:
    """The contract says date-time (RFC 3339): pydantic would also read 0.5 or "1700000000" as
    Unix time, which a client never meant."""
    if isinstance(value, int | float) or (
            isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value)):
        raise ValueError("expected an RFC 3339 date-time such as 2026-01-31T12:00:00Z")
    return value


UtcDatetime = Annotated[datetime, BeforeValidator(_date_time_text), AfterValidator(_utc)]
def _true_or_false(value: Any) -> Any:
    """A boolean query parameter is `true` or `false`, as the contract's type says (pydantic
    alone would also take 0, 1, yes, off, ...)."""
    if isinstance(value, str) and value not in ("true", "false"):
        raise ValueError("expected true or false")
    return value


QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]
# Text the database keeps: Postgres cannot store NUL in text or JSONB, so the contract
# says so and a client gets 422 validation_error up front instead of a refused write.
StoredText = Annotated[str, Field(pattern=r"^[^\x00]*$")]

def _email(value: str) -> str:
    # test_environment: addresses on .test (RFC 2606) are for testing and accepted; the other
    # special-use names (.arpa, .invalid, .local, .localhost, .onion) can never receive mail.
    try:
        return validate_email(value, check_deliverability=False, test_environment=True
                              ).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(f"value is not a valid email address: {exc}") from exc


# Normalised so "Ada@Example.com " and "ada@example.com" are one account.
Email = Annotated[
    str,
    BeforeValidator(_strip),
    AfterValidator(_email),
    Field(max_length=320, examples=["ada@example.com"], json_schema_extra={
        "format": "email", "description": "An e-mail address; .test is accepted, the other "
        "special-use domains (.arpa, .invalid, .local, .localhost, .onion) are not."}),
]
# The minimum length is a runtime setting, checked by the route (-> 422 weak_password); the
# maximum bounds hashing work per request.
Password = Annotated[str, Field(min_length=1, max_length=1024, examples=["correct horse battery"])]


class FieldProblem(CamelModel):
    """One problem of a refused request (pydantic's error, without the input echoed)."""

    loc: list[str | int] = Field(description="Where: body/query/path, then the field path")
    msg: str
    type: str = Field(examples=["missing", "string_too_short"])


class ErrorDetail(CamelModel):
    # sent only when set (errors, health details, exclude_none responses)
    model_config = ConfigDict(json_schema_serialization_defaults_required=False)

    code: str = Field(description="Stable machine-readable code", examples=["invalid_credentials"])
    message: str = Field(description="Human-readable explanation")
    details: list[FieldProblem] | None = Field(
        default=None, description="Per-field problems for validation errors"
    )


class ErrorResponse(CamelModel):
    error: ErrorDetail


class User(CamelModel):
    id: uuid.UUID
    email: str
    name: str | None = None
    created_at: UtcDatetime
    subscription_tier: SubscriptionTier = "free"
    subscription_status: SubscriptionStatus = "active"


class SignupRequest(CamelModel):
    email: Email
    password: Password
    name: StoredText | None = Field(default=None, max_length=200, examples=["Ada Lovelace"])


class SigninRequest(CamelModel):
    email: Email
    password: Password


class AuthResponse(CamelModel):
    user: User
    token: str = Field(description="Bearer token (HS256 JWT) for the Authorization header")


class SignoutResponse(CamelModel):
    success: bool


class SectionProgressItem(CamelModel):
    section_id: uuid.UUID
    completed: bool
    quiz_results: QuizResult | None = Field(description="As last saved for the section")


class ModuleProgressItem(CamelModel):
    """A playlist course's module (one video, core.modules) rolled up from its sections."""

    module_id: str = Field(description="As in the course's `modules` (m1, m2, …)")
    title: str = Field(description="The video's title")
    video_id: str
    sections_completed: int = Field(ge=0)
    sections_total: int = Field(ge=0)
    progress: float = Field(ge=0, le=1, description="Completed sections ÷ the module's sections")
    completed: bool
    quiz_score: float = Field(ge=0, description="Sum of the saved quiz scores of its sections")
    quiz_total: float = Field(ge=0, description="Sum of those quizzes' totals (0: none saved)")


class CourseProgressItem(CamelModel):
    course_id: uuid.UUID
    progress: float = Field(ge=0, le=1, description="Completed sections ÷ all sections")
    last_accessed: UtcDatetime
    completed: bool
    sections: list[SectionProgressItem] = Field(
        default_factory=list, description="Sections the caller has saved progress for, in order")
    modules: list[ModuleProgressItem] = Field(
        default_factory=list, description="A playlist course's modules (one per video) in "
        "playlist order; empty for a course made from one video or transcript")


class ProgressList(CamelModel):
    courses: list[CourseProgressItem]


class ProgressUpdate(CamelModel):
    section_id: uuid.UUID = Field(description="id of a section row of this course")
    completed: bool
    quiz_results: QuizResult | None = Field(
        default=None, description="Stored with the section's progress; score must not exceed total"
    )


class ProgressUpdateResponse(CamelModel):
    updated_progress: float = Field(ge=0, le=1)
    next_section: uuid.UUID | None = Field(
        default=None, description="First not-completed section by sequence; null when all done"
    )


class Check(CamelModel):
    status: str = Field(examples=["ok"])
    detail: str | None = None


class HealthResponse(CamelModel):
    status: str = Field(examples=["ok"])


class ReadyResponse(CamelModel):
    status: str = Field(examples=["ok"])
    checks: dict[str, Check]


RETRY_AFTER = {"Retry-After": {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
ETAG = {"ETag": {"description": "The course version, for If-Match on an outline edit.",
                 "required": True, "schema": {"type": "string"}}}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the error shape for these statuses (with
    Retry-After on 429 and 503, where the server may send it)."""
    return {status: {"model": ErrorResponse, **({"headers": RETRY_AFTER}
                                                if status in (429, 503) else {})}
            for status in statuses}
