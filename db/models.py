"""SQLAlchemy 2 models mirroring the seed's Supabase schema, plus local-auth and outbox tables.

Column names and defaults follow the seed. JSON columns are JSONB on Postgres and JSON on SQLite.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column

JsonType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


def uuid_pk() -> MappedColumn[Any]:
    """A UUID primary key made in Python, so the id is known before the row is flushed."""
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def cascade_fk(target: str, *, primary_key: bool = False) -> MappedColumn[Any]:
    """A reference to `target` ("table.id") whose row is deleted with the row it points at."""
    return mapped_column(Uuid, ForeignKey(target, ondelete="CASCADE"), primary_key=primary_key)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JsonType, datetime: DateTime(timezone=True)}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str | None] = mapped_column(Text)
    subscription_tier: Mapped[str | None] = mapped_column(
        Text, default="free", server_default="free"
    )
    subscription_status: Mapped[str | None] = mapped_column(
        Text, default="active", server_default="active"
    )
    subscription_ends_at: Mapped[datetime | None] = mapped_column()


class Course(TimestampMixin, Base):
    __tablename__ = "courses"
    __table_args__ = (Index("ix_courses_created_by_created_at", "created_by", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    difficulty: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    status: Mapped[str | None] = mapped_column(Text, default="draft", server_default="draft")
    youtube_url: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JsonType, default=dict, server_default="{}"
    )
    is_public: Mapped[bool | None] = mapped_column(
        Boolean, default=False, server_default="false"
    )


class CourseContent(TimestampMixin, Base):
    __tablename__ = "course_content"
    __table_args__ = (Index("ix_course_content_course_seq", "course_id", "sequence"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    course_id: Mapped[uuid.UUID] = cascade_fk("courses.id")
    type: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    content: Mapped[dict[str, Any]] = mapped_column(JsonType)
    sequence: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[uuid.UUID | None] = cascade_fk("course_content.id")


class UserProgress(Base):
    __tablename__ = "user_progress"
    __table_args__ = (
        Index("ix_user_progress_user_course", "user_id", "course_id"),
        # One row per (user, course, section) makes progress updates idempotent and race-safe.
        Index("uq_user_progress_section", "user_id", "course_id", "section_id", unique=True),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = cascade_fk("users.id")
    course_id: Mapped[uuid.UUID] = cascade_fk("courses.id")
    section_id: Mapped[uuid.UUID | None] = cascade_fk("course_content.id")
    status: Mapped[str | None] = mapped_column(
        Text, default="not_started", server_default="not_started"
    )
    completed_at: Mapped[datetime | None] = mapped_column()
    last_accessed: Mapped[datetime | None] = mapped_column(
        default=utcnow, server_default=func.now()
    )
    progress: Mapped[Decimal | None] = mapped_column(Numeric, default=0, server_default="0")
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JsonType, default=dict, server_default="{}"
    )


# --- local auth (AUTH_BACKEND=local) ---------------------------------------------------------


class Credential(Base):
    """Password hash for local auth; Supabase keeps its own in auth.users."""

    __tablename__ = "credentials"

    user_id: Mapped[uuid.UUID] = cascade_fk("users.id", primary_key=True)
    password_hash: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuthSession(Base):
    """One row per issued token; signout sets revoked_at so the token dies at once."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = cascade_fk("users.id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


# --- integration / job bookkeeping -----------------------------------------------------------


class OutboxEvent(Base):
    """Domain events written in the same transaction as the change, delivered to n8n later."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_pending", "delivered_at", "next_attempt_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)


class IdempotencyKey(Base):
    """Maps (user, Idempotency-Key) to the course a generate request created, and the hash of
    that request."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[uuid.UUID] = cascade_fk("users.id", primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    course_id: Mapped[uuid.UUID] = cascade_fk("courses.id")
    # SHA-256 of the request the key was first used with (None: stored before revision 0003)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- spaced repetition (FSRS) ----------------------------------------------------------------


class ReviewCard(Base):
    """A learner's FSRS memory state of one study card (core/study.py ids) of a course."""

    __tablename__ = "review_cards"
    __table_args__ = (
        Index("uq_review_cards_card", "user_id", "course_id", "card_id", unique=True),
        Index("ix_review_cards_user_due", "user_id", "due"),  # "what is due" is the hot query
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = cascade_fk("users.id")
    course_id: Mapped[uuid.UUID] = cascade_fk("courses.id")
    card_id: Mapped[str] = mapped_column(String(64))
    fsrs: Mapped[dict[str, Any]] = mapped_column(JsonType)  # fsrs.Card.to_dict()
    due: Mapped[datetime] = mapped_column()
    last_review: Mapped[datetime] = mapped_column()
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)


class ReviewLog(Base):
    """Every review as given (FSRS parameters can be re-fitted from these)."""

    __tablename__ = "review_logs"
    __table_args__ = (Index("ix_review_logs_card", "review_card_id", "reviewed_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    review_card_id: Mapped[uuid.UUID] = cascade_fk("review_cards.id")
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column()
