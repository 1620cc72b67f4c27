"""Course queries, owner-scoped: a caller sees their own courses and public ones."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Course, CourseContent

SECTION = "section"


def visible_to(user_id: uuid.UUID) -> ColumnElement[bool]:
    """Rows of `courses` the user may read (mirrors the RLS policy in supabase/)."""
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
