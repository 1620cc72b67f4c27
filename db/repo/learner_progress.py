"""User progress: one `user_progress` row per (user, course, section)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import CourseModule, OutlineSection
from core.modules import course_modules
from db.models import Course, CourseContent, UserProgress
from db.repo.courses import SECTION, list_sections, visible_to
from db.repo.users import as_utc

COMPLETED = "completed"
IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class CourseProgress:
    course_id: uuid.UUID
    completed_sections: int
    total_sections: int
    last_accessed: datetime
    next_section_id: uuid.UUID | None = None

    @property
    def progress(self) -> float:
        return self.completed_sections / self.total_sections if self.total_sections else 0.0

    @property
    def completed(self) -> bool:
        return self.total_sections > 0 and self.completed_sections >= self.total_sections


def _completed_sections_query(user_id: uuid.UUID):  # type: ignore[no-untyped-def]
    # Joining course_content keeps rows whose section was deleted or is not a section out.
    return (
        select(UserProgress.course_id, func.count(func.distinct(UserProgress.section_id)))
        .join(
            CourseContent,
            (CourseContent.id == UserProgress.section_id)
            & (CourseContent.course_id == UserProgress.course_id)
            & (CourseContent.type == SECTION),
        )
        .where(UserProgress.user_id == user_id, UserProgress.status == COMPLETED)
        .group_by(UserProgress.course_id)
    )


async def _counts(session: AsyncSession, query: Any) -> dict[uuid.UUID, int]:
    return {row[0]: int(row[1]) for row in (await session.execute(query)).all()}


async def list_course_progress(
    *, session: AsyncSession, user_id: uuid.UUID
) -> list[CourseProgress]:
    """Every course the user has touched (and may still see), most recently accessed first."""
    touched = (
        await session.execute(
            select(UserProgress.course_id, func.max(UserProgress.last_accessed))
            .join(Course, Course.id == UserProgress.course_id)
            .where(UserProgress.user_id == user_id, visible_to(user_id))
            .group_by(UserProgress.course_id)
        )
    ).all()
    if not touched:
        return []
    course_ids = [row[0] for row in touched]
    totals = await _counts(
        session,
        select(CourseContent.course_id, func.count())
        .where(CourseContent.course_id.in_(course_ids), CourseContent.type == SECTION)
        .group_by(CourseContent.course_id),
    )
    done = await _counts(
        session, _completed_sections_query(user_id).where(UserProgress.course_id.in_(course_ids))
    )
    items = [
        CourseProgress(
            course_id=course_id,
            completed_sections=done.get(course_id, 0),
            total_sections=totals.get(course_id, 0),
            last_accessed=as_utc(last) if last else datetime.now(UTC),
        )
        for course_id, last in touched
    ]
    return sorted(items, key=lambda p: p.last_accessed, reverse=True)


@dataclass(frozen=True)
class SectionProgress:
    section_id: uuid.UUID
    completed: bool
    quiz_results: dict[str, Any] | None


async def section_progress(
    *, session: AsyncSession, user_id: uuid.UUID, course_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[SectionProgress]]:
    """Per course, the user's rows for sections that still exist, with stored quiz results."""
    if not course_ids:
        return {}
    rows = (
        await session.execute(
            select(UserProgress.course_id, UserProgress.section_id, UserProgress.status,
                   UserProgress.metadata_)
            .join(CourseContent, (CourseContent.id == UserProgress.section_id)
                  & (CourseContent.type == SECTION))
            .where(UserProgress.user_id == user_id, UserProgress.course_id.in_(course_ids))
            .order_by(CourseContent.sequence)
        )
    ).all()
    out: dict[uuid.UUID, list[SectionProgress]] = {}
    for course_id, section_id, status, metadata in rows:
        out.setdefault(course_id, []).append(SectionProgress(
            section_id=section_id, completed=status == COMPLETED,
            quiz_results=(metadata or {}).get("quizResults")))
    return out


async def modules_of_courses(
    *, session: AsyncSession, course_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[CourseModule]]:
    """Per playlist course, its modules (core.modules) from its video metadata and its section
    rows; courses without modules are left out."""
    playlists = {
        course_id: video
        for course_id, meta in (await session.execute(
            select(Course.id, Course.metadata_).where(Course.id.in_(course_ids)))).all()
        if (video := (meta or {}).get("video")) and video.get("entries")
    }
    if not playlists:  # only a playlist's section rows are read
        return {}
    rows = (
        await session.execute(
            select(CourseContent.course_id, CourseContent.id, CourseContent.content)
            .where(CourseContent.course_id.in_(list(playlists)), CourseContent.type == SECTION)
            .order_by(CourseContent.sequence)
        )
    ).all()
    sections: dict[uuid.UUID, list[OutlineSection]] = {}
    for course_id, section_id, content in rows:
        sections.setdefault(course_id, []).append(
            OutlineSection.model_validate({**(content or {}), "id": str(section_id)}))
    found = {cid: course_modules(video, sections.get(cid, [])) for cid, video in playlists.items()}
    return {cid: modules for cid, modules in found.items() if modules}


async def record_section_progress(
    *,
    session: AsyncSession,
    user_id: uuid.UUID,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    completed: bool,
    quiz_results: dict[str, Any] | None = None,
) -> UserProgress:
    """Upsert the (user, course, section) row. Repeating the same call changes nothing but
    last_accessed; completed_at keeps the first completion time."""
    now = datetime.now(UTC)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # Insert-if-absent first, then lock and update: safe against concurrent first writes.
    await session.execute(
        insert(UserProgress)
        .values(
            id=uuid.uuid4(),
            user_id=user_id,
            course_id=course_id,
            section_id=section_id,
            status=IN_PROGRESS,
            last_accessed=now,
            progress=0,
            metadata={},
        )
        .on_conflict_do_nothing(index_elements=["user_id", "course_id", "section_id"])
    )
    row = await session.scalar(
        select(UserProgress)
        .where(
            UserProgress.user_id == user_id,
            UserProgress.course_id == course_id,
            UserProgress.section_id == section_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert row is not None  # just inserted or already there, inside this transaction
    row.status = COMPLETED if completed else IN_PROGRESS
    row.completed_at = (row.completed_at or now) if completed else None
    row.progress = 1 if completed else 0  # type: ignore[assignment]
    row.last_accessed = now
    if quiz_results is not None:
        row.metadata_ = {**(row.metadata_ or {}), "quizResults": quiz_results}
    await session.flush()
    return row


async def course_progress(
    *, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID
) -> CourseProgress:
    """Fraction of sections completed and the first not-completed section by sequence."""
    sections = await list_sections(session=session, user_id=user_id, course_id=course_id)
    done_ids = set(
        await session.scalars(
            select(UserProgress.section_id).where(
                UserProgress.user_id == user_id,
                UserProgress.course_id == course_id,
                UserProgress.status == COMPLETED,
            )
        )
    )
    last = await session.scalar(
        select(func.max(UserProgress.last_accessed)).where(
            UserProgress.user_id == user_id, UserProgress.course_id == course_id
        )
    )
    next_section = next((s.id for s in sections if s.id not in done_ids), None)
    return CourseProgress(
        course_id=course_id,
        completed_sections=sum(1 for s in sections if s.id in done_ids),
        total_sections=len(sections),
        last_accessed=as_utc(last) if last else datetime.now(UTC),
        next_section_id=next_section,
    )
