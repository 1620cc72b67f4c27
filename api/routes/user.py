"""The caller's learning progress (seed: /api/user)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CourseIdPath, CurrentUser, SessionDep
from api.errors import AppError
from api.schemas import (
    CourseProgressItem,
    ModuleProgressItem,
    ProgressList,
    ProgressUpdate,
    ProgressUpdateResponse,
    SectionProgressItem,
    error_responses,
)
from core.domain import CourseModule, QuizResult
from db.repo import courses as courses_repo
from db.repo import learner_progress as learner_repo

router = APIRouter(prefix="/api/user", tags=["user"])


def module_rollup(modules: list[CourseModule], saved: list[learner_repo.SectionProgress]
                  ) -> list[ModuleProgressItem]:
    """Each module's sections completed and quiz scores, from the caller's section rows."""
    by_id = {str(s.section_id): s for s in saved}
    out = []
    for m in modules:
        mine = [by_id[sid] for sid in m.section_ids if sid in by_id]
        done = sum(1 for s in mine if s.completed)
        quizzes = [QuizResult.model_validate(s.quiz_results) for s in mine if s.quiz_results]
        total = len(m.section_ids)
        out.append(ModuleProgressItem(
            module_id=m.id, title=m.title, video_id=m.video_id, sections_completed=done,
            sections_total=total, progress=done / total if total else 0.0,
            completed=total > 0 and done >= total,
            quiz_score=sum(q.score for q in quizzes), quiz_total=sum(q.total for q in quizzes)))
    return out


@router.get("/progress", response_model=ProgressList, responses=error_responses(401, 503))
async def get_progress(user: CurrentUser, session: SessionDep) -> ProgressList:
    """Progress in every course the caller has started, most recently accessed first."""
    items = await learner_repo.list_course_progress(session=session, user_id=user.id)
    course_ids = [p.course_id for p in items]
    sections = await learner_repo.section_progress(
        session=session, user_id=user.id, course_ids=course_ids
    )
    modules = await learner_repo.modules_of_courses(session=session, course_ids=course_ids)
    return ProgressList(
        courses=[
            CourseProgressItem(
                course_id=p.course_id,
                progress=p.progress,
                last_accessed=p.last_accessed,
                completed=p.completed,
                sections=[
                    SectionProgressItem(
                        section_id=s.section_id, completed=s.completed,
                        quiz_results=QuizResult.model_validate(s.quiz_results)
                        if s.quiz_results else None)
                    for s in sections.get(p.course_id, [])
                ],
                modules=module_rollup(modules.get(p.course_id, []),
                                      sections.get(p.course_id, [])),
            )
            for p in items
        ]
    )


@router.post(
    "/progress/{courseId:uuid}",
    response_model=ProgressUpdateResponse,
    response_model_exclude_none=True,
    responses=error_responses(400, 401, 404, 422, 503),
)
async def update_progress(
    course_id: CourseIdPath, body: ProgressUpdate, user: CurrentUser, session: SessionDep
) -> ProgressUpdateResponse:
    """Mark a section completed (or not) and store quiz results; idempotent. 404
    `course_not_found` for a course that is not the caller's or public; 422
    `section_not_in_course` for a section of another course."""
    course = await courses_repo.get_course_for_user(
        session=session, user_id=user.id, course_id=course_id
    )
    if course is None:
        raise AppError("course_not_found", "No such course.", status=404)
    sections = await courses_repo.list_sections(
        session=session, user_id=user.id, course_id=course_id
    )
    if body.section_id not in {s.id for s in sections}:
        raise AppError("section_not_in_course", "sectionId is not a section of this course.", 422)
    await learner_repo.record_section_progress(
        session=session,
        user_id=user.id,
        course_id=course_id,
        section_id=body.section_id,
        completed=body.completed,
        quiz_results=body.quiz_results.model_dump(mode="json") if body.quiz_results else None,
    )
    summary = await learner_repo.course_progress(
        session=session, user_id=user.id, course_id=course_id
    )
    await session.commit()
    return ProgressUpdateResponse(
        updated_progress=summary.progress, next_section=summary.next_section_id
    )
