"""Load courses for the API: owner/public scoping, 404s and the response shapes, in one place."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.course_schemas import CourseDetail, CourseSummary, GenerationInfo, JobError
from api.errors import AppError
from core.domain import OutlineSection
from core.lifecycle import GenerationRecord
from core.modules import course_modules
from db.models import Course
from db.repo.course_tree import assemble
from db.repo.courses import content_rows, get_course_for_user, get_owned_course
from db.repo.lifecycle import metadata_of

GENERATION_FIELDS = set(GenerationRecord.model_fields) | {"impacts"}


def not_found() -> AppError:
    return AppError("course_not_found", "No such course (or it is not yours).", 404)


async def visible_course(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID
                         ) -> Course:
    course = await get_course_for_user(session=session, user_id=user_id, course_id=course_id)
    if course is None:
        raise not_found()
    return course


async def owned_course(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID,
                       *, for_update: bool = False) -> Course:
    course = await get_owned_course(session=session, user_id=user_id, course_id=course_id,
                                    for_update=for_update)
    if course is None:
        raise not_found()
    return course


def summary(course: Course) -> CourseSummary:
    # validated: difficulty and status come from the enums, as the outline and jobs write them
    return CourseSummary.model_validate(dict(
        id=str(course.id), title=course.title, description=course.description,
        difficulty=course.difficulty, status=course.status or "draft",
        youtube_url=course.youtube_url, is_public=bool(course.is_public),
        created_at=course.created_at, updated_at=course.updated_at))


def job_error(course: Course) -> JobError | None:
    error = metadata_of(course).error
    return JobError(**error.model_dump()) if error else None


async def course_tree(session: AsyncSession, user_id: uuid.UUID, course: Course
                      ) -> dict[str, Any] | None:
    return assemble(await content_rows(session=session, user_id=user_id, course_id=course.id))


async def detail(session: AsyncSession, user_id: uuid.UUID, course: Course) -> CourseDetail:
    tree = await course_tree(session, user_id, course)
    meta = metadata_of(course)
    return CourseDetail(
        **summary(course).model_dump(), version=meta.version,
        outline=tree["outline"] if tree else None, sections=tree["sections"] if tree else [],
        modules=course_modules(meta.video, [OutlineSection.model_validate(s["outline"])
                                            for s in (tree or {}).get("sections", [])]),
        generation=GenerationInfo.model_validate(
            meta.model_dump(include=GENERATION_FIELDS, exclude_none=True, by_alias=False)),
        error=job_error(course),
    )


def etag(course: Course) -> str:
    return f'W/"{metadata_of(course).version}"'
