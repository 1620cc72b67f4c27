"""Course queries, owner-scoped: a caller sees their own courses and public ones."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.lifecycle import CourseRequest, CourseStatus
from db.models import Course, CourseContent
from db.repo.lifecycle import new_course, transition

SECTION = "section"


def visible_to(user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """Rows of `courses` the user may read (mirrors the RLS policy in supabase/). None stands
    for the owner of an ownerless course (`created_by == None` compiles to IS NULL)."""
    return or_(Course.created_by == user_id, Course.is_public.is_(True))


async def get_course_for_user(
    *, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID
) -> Course | None:
    return await session.scalar(select(Course).where(Course.id == course_id, visible_to(user_id)))


async def list_sections(
    *, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID
) -> list[CourseContent]:
    """The course's section rows in sequence order; empty when the user cannot see the course."""
    rows = await session.scalars(
        select(CourseContent)
        .join(Course, Course.id == CourseContent.course_id)
        .where(
            CourseContent.course_id == course_id,
            CourseContent.type == SECTION,
            visible_to(user_id),
        )
        .order_by(CourseContent.sequence, CourseContent.id)
    )
    return list(rows)


# --- generation bookkeeping ----------------------------------------------------------------

async def get_owned_course(
    *, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID, for_update: bool = False
) -> Course | None:
    """A course the user owns (writes are owner-only even on public courses)."""
    query = select(Course).where(Course.id == course_id, Course.created_by == user_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def create_course(
    *, session: AsyncSession, user_id: uuid.UUID, title: str, youtube_url: str | None,
    request: dict[str, Any] | CourseRequest, queue: bool = True,
) -> Course:
    """A new course, queued for its job (`queue=False`: a draft the caller moves on itself)."""
    course = new_course(user_id=user_id, title=title, youtube_url=youtube_url,
                        request=CourseRequest.model_validate(request))
    session.add(course)
    if queue:
        await transition(session, course, CourseStatus.PROCESSING)
    await session.flush()
    return course


async def list_courses(
    *, session: AsyncSession, user_id: uuid.UUID, limit: int, offset: int,
    status: str | None = None,
) -> tuple[list[Course], int]:
    where = [Course.created_by == user_id]
    if status:
        where.append(Course.status == status)
    total = await session.scalar(select(func.count()).select_from(Course).where(*where))
    rows = await session.scalars(select(Course).where(*where)
                                 .order_by(Course.created_at.desc(), Course.id)
                                 .limit(limit).offset(offset))
    return list(rows), int(total or 0)


async def count_courses_since(*, session: AsyncSession, user_id: uuid.UUID,
                              since: datetime) -> int:
    return int(await session.scalar(select(func.count()).select_from(Course).where(
        Course.created_by == user_id, Course.created_at >= since)) or 0)


async def count_running(*, session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(await session.scalar(select(func.count()).select_from(Course).where(
        Course.created_by == user_id, Course.status == CourseStatus.PROCESSING.value)) or 0)


async def content_rows(*, session: AsyncSession, user_id: uuid.UUID | None,
                       course_id: uuid.UUID) -> list[CourseContent]:
    """Every content row of a course the user can see (the transcript row excluded)."""
    rows = await session.scalars(
        select(CourseContent).join(Course, Course.id == CourseContent.course_id)
        .where(CourseContent.course_id == course_id, CourseContent.type != "transcript",
               visible_to(user_id))
        .order_by(CourseContent.sequence, CourseContent.id))
    return list(rows)
