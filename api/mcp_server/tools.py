"""The MCP tools' bodies: each opens a database session, resolves the caller and calls the
function its REST route calls (api/generation.py, api/course_views.py, api/course_export.py,
the study and tutor routes), so scoping, limits and errors are REST's own."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import State

from api.course_export import ExportFormat, export_file
from api.course_schemas import CourseList, CourseSummary, GenerateRequest, JobStatus, StatusResponse
from api.course_views import detail, read_status, visible_course
from api.errors import AppError
from api.generation import generate
from api.mcp_server.caller import Caller, RestError, tool_error
from api.routes.course_actions import cancel_course
from api.routes.courses import my_courses
from api.routes.study import DueList, ReviewRequest, ReviewState, due_reviews, record_review
from api.routes.tutor import AskRequest, admit_question, rate_limiter_of
from core.domain import CamelModel, CourseOutline, CourseSection, Preferences, Transcript
from core.quiz_grading import Grade, grade
from core.review_schedule import RatingName
from core.timecodes import timestamp
from core.tutor_turns import TutorAnswer, TutorSourceRef
from db.models import User
from db.repo.course_store import load_transcript
from jobs.transcript_search import search_transcript
from jobs.tutor_turn import TutorFailed, ask_tutor

TERMINAL = {"completed", "failed", "cancelled"}


class CreatedCourse(CamelModel):
    course_id: str
    status: JobStatus
    served_from_cache: bool = Field(description="An identical course was made before: done "
                                                "at once")
    final: StatusResponse | None = Field(default=None, description="Where the job ended, "
                                         "when the call followed it to the end")


class CourseView(CourseSummary):
    outline: CourseOutline | None = Field(default=None, description="Title, objectives and "
                                          "every section's title, summary and time range")
    section: CourseSection | None = Field(default=None, description="The asked section: "
                                          "lesson (Markdown), key points, quiz, flashcards")


class ExportedFile(CamelModel):
    filename: str
    media_type: str
    text: str | None = Field(default=None, description="The file, for text formats")
    base64: str | None = Field(default=None, description="The file, base64, for the Anki deck")


@dataclass
class Tools:
    """The tool bodies, bound to the app's state (read when a call comes: the state is filled
    in by the app's lifespan) and to how callers are resolved."""

    state_of: Callable[[], State]
    caller: Caller

    @asynccontextmanager
    async def as_user(self, ctx: Context[Any, Any]) -> AsyncIterator[tuple[AsyncSession, User]]:
        """A session and the calling user; a REST error becomes the tool's error, same body."""
        state = self.state_of()
        try:
            async with state.sessionmaker() as session:
                yield session, await self.caller.user(state, ctx, session)
        except AppError as exc:
            raise tool_error(exc) from exc

    async def create_course(self, ctx: Context[Any, Any], *, url: str | None,
                            transcript: str | None, path: str | None, title: str | None,
                            preferences: Preferences | None, follow: bool) -> CreatedCourse:
        state = self.state_of()
        if path is not None:
            transcript = self._read_path(path, state.settings.max_transcript_chars)
        try:
            body = GenerateRequest(url=url, transcript=transcript, title=title,
                                   preferences=preferences)
        except ValidationError as exc:
            raise ToolError(f"Invalid arguments: {exc}"[:300]) from exc
        async with self.as_user(ctx) as (session, user):
            _, created = await generate(session, user, body, settings=state.settings,
                                        services=state.job_services, jobs=state.jobs,
                                        idempotency_key=None)
            user_id = user.id
        course_id = uuid.UUID(created.course_id)
        await ctx.report_progress(0.0, 1.0, f"course {created.course_id}: {created.status}")
        if created.status != "processing" or not follow:
            return CreatedCourse(course_id=created.course_id, status=created.status,
                                 served_from_cache=created.status == "completed")
        try:
            final = await self._follow(ctx, user_id, course_id)
        except anyio.get_cancelled_exc_class():  # the client cancelled the call: stop the job
            with anyio.CancelScope(shield=True):
                await self._cancel(ctx, course_id)
            raise
        return CreatedCourse(course_id=created.course_id, status=final.status,
                             served_from_cache=False, final=final)

    def _read_path(self, path: str, max_chars: int) -> str:
        if not self.caller.files_allowed:
            raise tool_error(AppError("path_not_allowed", "A file path is read only by a local "
                                      "server (stdio); over HTTP send `transcript` text or a "
                                      "YouTube `url`.", 422))
        file = Path(path).expanduser()
        try:
            with file.open("rb") as handle:  # read no more than the limit allows, plus one
                raw = handle.read(max_chars * 4 + 1)
            return raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise tool_error(AppError("invalid_transcript", f"Cannot read {file.name} as UTF-8 "
                                      f"text: {exc.__class__.__name__}.", 422)) from exc

    async def _follow(self, ctx: Context[Any, Any], user_id: uuid.UUID, course_id: uuid.UUID
                      ) -> StatusResponse:
        """Relay the job's progress events as MCP progress notifications until it ends."""
        state = self.state_of()
        bus = state.job_services.progress
        after: str | None = None
        sent = 0.0
        while True:
            events = await bus.read(str(course_id), after, block_ms=1000, count=100)
            for event in events:
                after = event.id
                if event.progress >= sent:  # notifications must never go backwards
                    sent = event.progress
                    note = f"{event.step}" + (f": {event.message}" if event.message else "")
                    await ctx.report_progress(sent, 1.0, note)
                if event.terminal:
                    return await self.status(ctx, course_id)
            if not events:  # a job that ended without an event on this bus still ends here
                status = await self.status(ctx, course_id)
                if status.status in TERMINAL:
                    return status

    async def _cancel(self, ctx: Context[Any, Any], course_id: uuid.UUID) -> None:
        """What POST /cancel does; a job that has just ended has nothing to cancel."""
        try:
            async with self.as_user(ctx) as (session, user):
                await cancel_course(course_id, session, user, self.state_of().jobs)
        except RestError:
            pass

    async def status(self, ctx: Context[Any, Any], course_id: uuid.UUID) -> StatusResponse:
        async with self.as_user(ctx) as (_, user):
            try:
                return await read_status(self.state_of(), user.id, course_id)
            except AppError as exc:
                raise tool_error(exc) from exc

    async def course(self, ctx: Context[Any, Any], course_id: uuid.UUID,
                     section: int | None) -> CourseView:
        async with self.as_user(ctx) as (session, user):
            full = await detail(session, user.id, await visible_course(session, user.id,
                                                                       course_id))
        view = CourseView(**full.model_dump(include=set(CourseSummary.model_fields)),
                          outline=full.outline)
        if section is None:
            return view
        found = [s for s in full.sections if s.sequence == section]
        if not found:
            raise tool_error(AppError("section_not_found", f"The course has sections 1 to "
                                      f"{len(full.sections)}.", 404))
        return view.model_copy(update={"section": found[0]})

    async def courses(self, ctx: Context[Any, Any], limit: int, offset: int,
                      status: JobStatus | None) -> CourseList:
        async with self.as_user(ctx) as (session, user):
            return await my_courses(session, user, limit=limit, offset=offset, status=status)

    async def ask(self, ctx: Context[Any, Any], course_id: uuid.UUID, question: str
                  ) -> TutorAnswer:
        state = self.state_of()
        try:
            asked = AskRequest(question=question)
        except ValidationError as exc:
            raise ToolError(f"Invalid question: {exc}"[:300]) from exc
        async with self.as_user(ctx) as (session, user):
            course = await admit_question(session, user, course_id,
                                          rate_limiter_of(state, state.settings),
                                          state.settings)
            user_id = user.id
        answer: TutorAnswer | None = None
        try:
            async for item in ask_tutor(state.job_services, user_id=user_id,
                                        course_id=course.id, question=asked.question.strip()):
                if isinstance(item, TutorAnswer):
                    answer = item
        except TutorFailed as exc:
            raise tool_error(AppError("tutor_unavailable", "The tutor could not answer right "
                                      "now; try again shortly.", 503)) from exc
        assert answer is not None  # ask_tutor always ends with the answer
        return answer

    async def grade(self, ctx: Context[Any, Any], course_id: uuid.UUID, section: int,
                    question: int, answer: str) -> Grade:
        view = await self.course(ctx, course_id, section)
        assert view.section is not None
        questions = view.section.supplement.quiz.questions if view.section.supplement else []
        if not 1 <= question <= len(questions):
            raise tool_error(AppError("question_not_found", f"Section {section} has "
                                      f"{len(questions)} quiz questions.", 404))
        return grade(questions[question - 1], answer)

    async def due(self, ctx: Context[Any, Any], course_id: uuid.UUID | None, limit: int,
                  include_new: bool) -> DueList:
        async with self.as_user(ctx) as (session, user):
            return await due_reviews(session, user, course_id=course_id, before=None,
                                     include_new=include_new, limit=limit)

    async def review(self, ctx: Context[Any, Any], course_id: uuid.UUID, card_id: str,
                     rating: RatingName) -> ReviewState:
        try:
            body = ReviewRequest(course_id=course_id, card_id=card_id, rating=rating)
        except ValidationError as exc:
            raise ToolError(f"Invalid arguments: {exc}"[:300]) from exc
        async with self.as_user(ctx) as (session, user):
            return await record_review(body, session, user)

    async def export(self, ctx: Context[Any, Any], course_id: uuid.UUID,
                     format: ExportFormat) -> ExportedFile:
        async with self.as_user(ctx) as (session, user):
            file = await export_file(session, user.id, course_id, format)
        if isinstance(file.content, bytes):
            return ExportedFile(filename=file.filename, media_type=file.media_type,
                                base64=base64.b64encode(file.content).decode())
        return ExportedFile(filename=file.filename, media_type=file.media_type,
                            text=file.content)

    async def search(self, ctx: Context[Any, Any], course_id: uuid.UUID, question: str,
                     k: int) -> list[TutorSourceRef]:
        state = self.state_of()
        async with self.as_user(ctx) as (session, user):
            await visible_course(session, user.id, course_id)
        found = await search_transcript(state.job_services, course_id, question, k)
        if found is None:
            raise tool_error(AppError("course_not_ready", "The course has no transcript yet.",
                                      409))
        return found

    async def transcript(self, ctx: Context[Any, Any], course_id: uuid.UUID) -> str:
        """The transcript, one caption a line, each with its [mm:ss] time."""
        async with self.as_user(ctx) as (session, user):
            await visible_course(session, user.id, course_id)
            stored = await load_transcript(session=session, course_id=course_id)
        if stored is None:
            raise tool_error(AppError("course_not_ready", "The course has no transcript yet.",
                                      409))
        segments = Transcript.model_validate(stored).segments
        return "\n".join(f"{timestamp(s.start)} {s.text}" for s in segments)
