"""Run one course job (generate, resume, or edit) and record how it ended.

Whatever runs the job — an asyncio task in the API or a Celery worker — calls these. State is
checkpointed per course (thread id = course id), so a job that died resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import (
    CourseOutline,
    ModificationImpact,
    SectionContent,
    SectionSupplement,
    Transcript,
)
from core.lifecycle import CourseRequest, CourseStatus, JobError
from core.tiers import TierLimits, effective_tier, limits_for
from db.models import Course, User
from db.repo.course_store import DbCourseStore, load_transcript
from db.repo.course_tree import assemble, contents_and_supplements
from db.repo.courses import content_rows
from db.repo.lifecycle import is_, metadata_of, transition
from graph.course import compile_course_graph
from graph.edit import compile_edit_graph
from graph.runner import run_config, run_graph
from infra.progress_bus import EventType, ProgressEvent
from jobs.failures import check_finished, describe_failure
from jobs.result_cache import CachingStore
from jobs.services import JobServices
from pipeline.context import CourseContext, CourseStore
from pipeline.state import to_state

log = logging.getLogger(__name__)


async def _end_run(services: JobServices, course_id: str, status: CourseStatus,
                   error: JobError | None = None) -> None:
    """Record how a running job ended; a course no longer processing (finished, cancelled or
    re-queued meanwhile) is left as it is."""
    async with services.sessionmaker() as session, session.begin():
        course = await session.get(Course, uuid.UUID(course_id), with_for_update=True)
        if is_(course, CourseStatus.PROCESSING):
            assert course is not None
            await transition(session, course, status, error=error)


async def _emit(services: JobServices, course_id: str, type_: EventType, message: str,
                data: dict[str, Any] | None = None) -> None:
    await services.progress.publish(ProgressEvent(
        course_id=course_id, type=type_, step=type_, message=message, data=data or {}))


async def _guard(services: JobServices, course_id: str, work: Any) -> None:
    try:
        await work
    except asyncio.CancelledError:
        if course_id not in services.user_cancels:
            # a shutdown: the course stays `processing` and resumes from its checkpoint
            log.info("course %s: interrupted by a shutdown; it resumes on the next start",
                     course_id)
            raise
        services.user_cancels.discard(course_id)
        await asyncio.shield(_end_run(services, course_id, CourseStatus.CANCELLED))
        await asyncio.shield(_emit(services, course_id, "cancelled", "cancelled by the user"))
        raise
    except Exception as exc:  # recorded for the user, then the job ends
        code, message = describe_failure(exc)
        # the user gets the sentence; the log keeps the technical cause
        log.warning("course %s failed (%s): %s", course_id, code, exc,
                    exc_info=code == "generation_failed")
        await _end_run(services, course_id, CourseStatus.FAILED,
                       JobError(code=code, message=message))
        await _emit(services, course_id, "failed", message, {"code": code})


async def _context(services: JobServices, course_id: str, *, cache_result: bool,
                   plan_limits: bool = True, loaded: _Loaded | None = None) -> CourseContext:
    """The run's context; `loaded` saves re-reading what the caller already read."""
    # an edited course is no longer the answer to its original request: only generations cache
    request = loaded.request if loaded else await _request_of(services, course_id)
    key = request.cache_key if cache_result else None
    db_store = DbCourseStore(services.sessionmaker, bump_version=cache_result)
    store: CourseStore = CachingStore(db_store, services, key) if key else db_store
    if not plan_limits:
        limits = None
    elif loaded is not None:
        limits = loaded.limits
    else:
        limits = await _owner_limits(services, course_id)
    return CourseContext(llm=await services.llm(), course_id=course_id,
                         progress=services.progress, store=store,
                         settings=services.settings, fetch_captions=services.fetch_captions,
                         limits=limits)


async def _owner_limits(services: JobServices, course_id: str) -> TierLimits | None:
    async with services.sessionmaker() as session:
        course = await session.get(Course, uuid.UUID(course_id))
        return await _limits_of(session, services, course)


async def _limits_of(session: AsyncSession, services: JobServices, course: Course | None
                     ) -> TierLimits | None:
    owner = await session.get(User, course.created_by) if course and course.created_by else None
    if owner is None:
        return None
    return limits_for(effective_tier(owner.subscription_tier, owner.subscription_status,
                                     owner.subscription_ends_at), services.settings)


@dataclass(frozen=True)
class _Loaded:
    """What a new generation reads before it starts, in one session."""

    request: CourseRequest
    limits: TierLimits | None
    graph_input: dict[str, Any]


async def _load_new_run(services: JobServices, course_id: str, plan_limits: bool) -> _Loaded:
    async with services.sessionmaker() as session:
        course = await session.get(Course, uuid.UUID(course_id))
        if course is None:
            raise LookupError(f"course {course_id} no longer exists")
        limits = await _limits_of(session, services, course) if plan_limits else None
        return _Loaded(metadata_of(course).request, limits,
                       await _input_of(session, course, course_id))


async def run_course_job(services: JobServices, course_id: str, *, resume: bool = False,
                         plan_limits: bool = True) -> None:
    """Generate a course, or resume it from its last checkpoint. `plan_limits=False` (the local
    CLI) skips the owner's tier limits."""
    await _guard(services, course_id, _generate(services, course_id, resume, plan_limits))


async def _generate(services: JobServices, course_id: str, resume: bool,
                    plan_limits: bool = True) -> None:
    graph = compile_course_graph(services.checkpointer)
    graph_input: dict[str, Any] | None = None
    if not resume:
        # a new run: the course, its owner and its input in one session, no checkpoint read
        loaded = await _load_new_run(services, course_id, plan_limits)
        ctx = await _context(services, course_id, cache_result=True, plan_limits=plan_limits,
                             loaded=loaded)
        graph_input = loaded.graph_input
    else:
        ctx = await _context(services, course_id, cache_result=True, plan_limits=plan_limits)
        config = run_config(course_id, ctx)
        snapshot = await graph.aget_state(config)
        if not snapshot.next and _sections_unfinished(snapshot.values):
            # every section branch failed, so the run ended with no pending node: start again
            # right after the outline review (finished sections are skipped by the fan-out)
            await graph.aupdate_state(config, None, as_node="review_outline")
        elif not snapshot.next:
            graph_input = await _course_input(services, course_id)
    await _emit(services, course_id, "started", "resumed" if graph_input is None else "started")
    check_finished(await run_graph(graph, graph_input, ctx=ctx, thread_id=course_id))


def _sections_unfinished(values: dict[str, Any]) -> bool:
    return bool(values.get("outline")) and not values.get("course")


async def _request_of(services: JobServices, course_id: str) -> CourseRequest:
    async with services.sessionmaker() as session:
        course = await session.get(Course, uuid.UUID(course_id))
        return metadata_of(course).request if course else CourseRequest()


async def _course_input(services: JobServices, course_id: str) -> dict[str, Any]:
    async with services.sessionmaker() as session:
        course = await session.get(Course, uuid.UUID(course_id))
        if course is None:
            raise LookupError(f"course {course_id} no longer exists")
        return await _input_of(session, course, course_id)


async def _input_of(session: AsyncSession, course: Course, course_id: str) -> dict[str, Any]:
    request = metadata_of(course).request
    transcript = await load_transcript(session=session, course_id=course.id)
    graph_input: dict[str, Any] = {"course_id": course_id,
                                   "preferences": request.preferences,
                                   "title": request.title or ""}
    if transcript is not None:
        graph_input["transcript"] = transcript
    elif request.video_id:
        graph_input["video_id"] = request.video_id
    else:
        raise LookupError(f"course {course_id} has neither a transcript nor a video")
    return graph_input


async def run_edit_job(services: JobServices, course_id: str, *, version: int,
                       previous_outline: dict[str, Any], impacts: list[dict[str, Any]],
                       regenerate: list[str]) -> None:
    """Regenerate only the sections an outline edit affected."""
    await _guard(services, course_id, _edit(services, course_id, version, previous_outline,
                                             impacts, regenerate))


async def _edit(services: JobServices, course_id: str, version: int,
                previous_outline: dict[str, Any], impacts: list[dict[str, Any]],
                regenerate: list[str]) -> None:
    ctx = await _context(services, course_id, cache_result=False)
    async with services.sessionmaker() as session:
        course = await session.get(Course, uuid.UUID(course_id))
        if course is None:
            raise LookupError(f"course {course_id} no longer exists")
        tree = assemble(await content_rows(session=session, user_id=course.created_by,
                                           course_id=course.id))
        transcript = await load_transcript(session=session, course_id=course.id)
    if tree is None or transcript is None:
        raise LookupError(f"course {course_id} has nothing to edit yet")
    contents, supplements = contents_and_supplements(tree)
    graph = compile_edit_graph(services.checkpointer)
    thread = f"{course_id}:edit:{version}"
    config = run_config(thread, ctx)
    snapshot = await graph.aget_state(config)
    graph_input: dict[str, Any] | None = None
    if not snapshot.next and _sections_unfinished(snapshot.values):
        # an earlier attempt of this edit ended with every section branch failed
        await graph.aupdate_state(config, None, as_node="assess_impact")
    elif not snapshot.next:
        # stored rows are camelCase: the graph's state is snake_case
        graph_input = {
            "course_id": course_id,
            "previous_outline": to_state(CourseOutline.model_validate(previous_outline)),
            "outline": to_state(CourseOutline.model_validate(tree["outline"])),
            "transcript": to_state(Transcript.model_validate(transcript)),
            "contents": {k: to_state(SectionContent.model_validate(v))
                         for k, v in contents.items()},
            "supplements": {k: to_state(SectionSupplement.model_validate(v))
                            for k, v in supplements.items()},
            "impacts": [to_state(ModificationImpact.model_validate(i)) for i in impacts],
            "regenerate": regenerate}
    await _emit(services, course_id, "started", f"rewriting {len(regenerate)} section(s)")
    check_finished(await run_graph(graph, graph_input, ctx=ctx, thread_id=thread))
