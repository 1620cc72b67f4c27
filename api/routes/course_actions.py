"""Changing a course: outline edits with impact validation, cancel, retry, export."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError
from pydantic.json_schema import SkipJsonSchema

from api.course_schemas import ActionResponse, OutlineUpdateRequest, OutlineUpdateResponse
from api.course_views import course_tree, detail, etag, owned_course, visible_course
from api.deps import CourseIdPath, CurrentUser, JobsDep, ServicesDep, SessionDep
from api.errors import AppError
from api.schemas import ETAG, error_responses
from core.anki import course_apkg
from core.domain import CourseOutline, GeneratedCourse
from core.export import course_markdown
from core.lifecycle import CourseStatus, PendingEdit
from core.mind_map import course_mermaid
from core.modules import with_modules
from db.repo.course_store import write_tree
from db.repo.lifecycle import is_, metadata_of, store_metadata, transition
from jobs.outline_edits import assess_outline_edit
from jobs.resume import announce_attempt, resume_job

router = APIRouter(prefix="/api/courses", tags=["courses"])


def merge_outline(current: dict[str, Any], patch: dict[str, Any]) -> CourseOutline:
    """Partial<CourseOutline> over the stored one; new sections get fresh ids."""
    merged = {**current, **patch}
    known = {s["id"]: s for s in current.get("sections", [])}
    sections = []
    for s in merged.get("sections", []):
        if not s.get("id") or s["id"] not in known:
            s = {**s, "id": str(uuid.uuid4())}
        else:  # a kept section: fields not given stay as they were
            s = {**known[s["id"]], **s}
        sections.append(s)
    merged["sections"] = sections
    try:
        return CourseOutline.model_validate(merged)
    except ValidationError as exc:
        raise AppError("invalid_outline", "The edited outline is not valid; nothing was changed.",
                       422, details=exc.errors(include_url=False, include_input=False)) from exc


def check_version(course_etag: str, if_match: str | None) -> None:
    if if_match and if_match.strip() not in (course_etag, course_etag.removeprefix("W/"), "*"):
        raise AppError("version_conflict", "The course changed since you loaded it; reload and "
                       "apply your edit again.", 409)


@router.put("/outline/{courseId:uuid}", response_model=OutlineUpdateResponse,
            responses={200: {"headers": ETAG}, **error_responses(401, 404, 409, 422, 503)})
async def update_outline(
    course_id: CourseIdPath, body: OutlineUpdateRequest, session: SessionDep, user: CurrentUser,
    services: ServicesDep, jobs: JobsDep, response: Response,
    if_match: Annotated[str | SkipJsonSchema[None],
                        Header(alias="If-Match", max_length=64)] = None,
) -> OutlineUpdateResponse:
    """Edit the outline: returns the impacts of the change and regenerates, in the background,
    only the sections it affects (status goes back to processing)."""
    course = await owned_course(session, user.id, course_id, for_update=True)
    check_version(etag(course), if_match)
    if is_(course, CourseStatus.PROCESSING):
        raise AppError("course_busy", "The course is being generated; edit it when it is done.",
                       409)
    tree = await course_tree(session, user.id, course)
    if tree is None:
        raise AppError("course_not_ready", "The course has no outline yet.", 409)
    old = CourseOutline.model_validate(tree["outline"])
    # null means "unchanged", like an absent field (a null list or title is never a valid value)
    patch = body.outline.model_dump(by_alias=True, exclude_unset=True, exclude_none=True,
                                    mode="json")
    new = merge_outline(tree["outline"], patch)
    impacts, regenerate = await assess_outline_edit(old, new, services)
    # store the new outline now (old lessons stay until rewritten); rewrite in the background
    contents = {s["id"]: s for s in tree["sections"]}
    # sections as dicts, validated into CourseSection like any nested input
    generated = GeneratedCourse.model_validate({"outline": new, "sections": [
        {"id": s.id, "title": s.title, "sequence": i, "outline": s,
         "content": contents.get(s.id, {}).get("content"),
         "supplement": contents.get(s.id, {}).get("supplement")}
        for i, s in enumerate(new.sections)]})
    await write_tree(session=session, course=course,
                     generated=generated.model_dump(by_alias=True, mode="json"))
    meta = metadata_of(course)
    version = meta.version + 1
    dumped_impacts = [i.model_dump(by_alias=True) for i in impacts]
    # kept until the edit's regeneration is stored: a restart or a retry resumes this edit
    edit = PendingEdit(version=version, previous_outline=tree["outline"],
                       regenerate=regenerate) if regenerate else None
    meta = meta.model_copy(update={"version": version, "impacts": dumped_impacts,
                                   "pending_edit": edit})
    if regenerate:
        await transition(session, course, CourseStatus.PROCESSING, metadata=meta)
    else:
        store_metadata(course, meta)
    await session.commit()
    if regenerate:
        await announce_attempt(services, str(course.id), f"queued: {len(regenerate)} section(s)")
        await jobs.submit_edit(str(course.id), version=version, previous_outline=tree["outline"],
                               impacts=dumped_impacts, regenerate=regenerate)
    response.headers["ETag"] = etag(course)
    return OutlineUpdateResponse(course=await detail(session, user.id, course),
                                 validation_issues=impacts)


@router.post("/{courseId:uuid}/cancel", response_model=ActionResponse,
             responses=error_responses(401, 404, 409, 422))
async def cancel_course(course_id: CourseIdPath, session: SessionDep, user: CurrentUser,
                        jobs: JobsDep) -> ActionResponse:
    """Stop a running generation; finished sections stay in its checkpoint for a retry."""
    course = await owned_course(session, user.id, course_id)
    if not is_(course, CourseStatus.PROCESSING):
        raise AppError("not_running", f"The course is {course.status}; nothing to cancel.", 409)
    await session.close()
    await jobs.cancel(str(course.id))
    # the job records its own cancellation; when no live job held the course (it died with a
    # restart, or had not started yet) record it here
    async with session.begin():
        row = await owned_course(session, user.id, course_id, for_update=True)
        if is_(row, CourseStatus.PROCESSING):
            await transition(session, row, CourseStatus.CANCELLED)
    return ActionResponse(course_id=str(course.id), status="cancelled")


@router.post("/{courseId:uuid}/retry", status_code=202,
             response_model=ActionResponse,
             responses=error_responses(401, 404, 409, 422))
async def retry_course(course_id: CourseIdPath, session: SessionDep, user: CurrentUser,
                       jobs: JobsDep, services: ServicesDep) -> ActionResponse:
    """Resume a failed or cancelled generation from its last checkpoint."""
    course = await owned_course(session, user.id, course_id, for_update=True)
    if not (is_(course, CourseStatus.FAILED) or is_(course, CourseStatus.CANCELLED)):
        raise AppError("not_retryable", f"The course is {course.status}; only failed or "
                       "cancelled courses can be retried.", 409)
    await transition(session, course, CourseStatus.PROCESSING)
    meta = metadata_of(course)
    await session.commit()
    await announce_attempt(services, str(course.id), "queued: retry")
    await resume_job(jobs, str(course.id), meta)
    return ActionResponse(course_id=str(course.id), status="processing")


@router.get("/{courseId:uuid}/export", responses={
    200: {"model": GeneratedCourse,  # application/json (format=json)
          "content": {"text/markdown": {"schema": {"type": "string"}},
                      "text/vnd.mermaid": {"schema": {"type": "string"}},
                      "application/apkg": {"schema": {"type": "string", "format": "binary"}}}},
    **error_responses(401, 404, 409, 422)})
async def export_course(
    course_id: CourseIdPath, session: SessionDep, user: CurrentUser,
    format: Annotated[Literal["md", "json", "apkg", "mermaid"], Query()] = "md",
) -> Response:
    """Download the course as Markdown, JSON, an Anki deck (flashcards and quiz questions, each
    linking to its moment in the video) or a Mermaid mind map."""
    course = await visible_course(session, user.id, course_id)
    tree = await course_tree(session, user.id, course)
    if tree is None:
        raise AppError("course_not_ready", "The course has no content yet.", 409)
    # a playlist course's exports group its sections by video (core.modules)
    generated = with_modules(GeneratedCourse.model_validate(tree),
                             metadata_of(course).video)
    name = f"course-{course.id}"
    if format == "apkg":
        deck = await asyncio.to_thread(course_apkg, generated, course_id=str(course.id),
                                       video_url=course.youtube_url)  # SQLite + zip: off-loop
        return Response(deck,
                        media_type="application/apkg", headers={
                            "Content-Disposition": f'attachment; filename="{name}.apkg"'})
    if format == "mermaid":
        return PlainTextResponse(course_mermaid(generated), media_type="text/vnd.mermaid",
                                 headers={"Content-Disposition":
                                          f'attachment; filename="{name}.mmd"'})
    if format == "json":
        return JSONResponse(generated.model_dump(by_alias=True, mode="json"), headers={
            "Content-Disposition": f'attachment; filename="{name}.json"'})
    return PlainTextResponse(course_markdown(generated, course.youtube_url),
                             media_type="text/markdown", headers={
                                 "Content-Disposition": f'attachment; filename="{name}.md"'})



