"""The MCP server (official SDK, 2.x `MCPServer`): tools with model-facing descriptions and
annotations, `course://` resources and study prompts. `build_server` binds it to an app's state
and a way to resolve callers (api/mcp_server/caller.py); api/mcp_server/http.py serves it at
`/mcp`, cli/mcp_stdio.py on stdio."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from starlette.datastructures import State

from api.course_export import ExportFormat
from api.course_schemas import CourseList, JobStatus, StatusResponse
from api.mcp_server.caller import Caller, RestError
from api.mcp_server.tools import CourseView, CreatedCourse, ExportedFile, Tools
from api.routes.study import DueList, ReviewState
from core.domain import Preferences
from core.quiz_grading import Grade
from core.review_schedule import RatingName
from core.tutor_turns import TutorAnswer, TutorSourceRef

INSTRUCTIONS = """coursegen turns a lecture (a YouTube video or a transcript) into a course: an
outline bound to the video's timeline, a lesson per section, quizzes with answer keys and
flashcards. Make one with create_course, read it with get_course (or the course:// resources),
ask the video with ask_course (answers cite [mm:ss] moments), quiz the learner with get_course
and grade_answer, and schedule flashcard reviews with due_cards and review_card."""

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
CourseId = Annotated[uuid.UUID, Field(description="The course's id (from create_course or "
                                      "list_courses)")]
SectionNumber = Annotated[int, Field(ge=1, description="Section number, 1 for the first")]
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
_MOMENT = re.compile(r"^\[?(?:(\d+):)?(\d{1,2}):(\d{2})\]?$")


def build_server(state_of: Callable[[], State], caller: Caller) -> MCPServer:
    tools = Tools(state_of, caller)
    server = MCPServer("coursegen", instructions=INSTRUCTIONS, version="0.1.0")
    _add_tools(server, tools)
    _add_resources(server, tools)
    _add_prompts(server)
    return server


def rest_errors(fn: F) -> F:
    """A REST error becomes the call's error result with REST's body, as JSON text and as
    structured content (the SDK would prefix its text with 'Error executing tool ...')."""

    @functools.wraps(fn)
    async def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return await fn(*args, **kwargs)
        except RestError as exc:
            return CallToolResult(content=[TextContent(type="text", text=str(exc))],
                                  structured_content=exc.body, is_error=True)

    return call  # type: ignore[return-value]


def _add_tools(server: MCPServer, tools: Tools) -> None:
    @server.tool(annotations=ToolAnnotations(
        read_only_hint=False, destructive_hint=False, idempotent_hint=False,
        open_world_hint=True))
    @rest_errors
    async def create_course(
        ctx: Context[Any, Any],
        url: Annotated[str | None, Field(description="A YouTube video or playlist URL")] = None,
        transcript: Annotated[str | None, Field(description="The text of an .srt, .vtt or "
                                                "plain-text transcript")] = None,
        path: Annotated[str | None, Field(description="A transcript file on this machine "
                                          "(local stdio server only)")] = None,
        title: Annotated[str | None, Field(max_length=300)] = None,
        preferences: Annotated[Preferences | None, Field(
            description="difficulty, language and minutes of study")] = None,
        follow: Annotated[bool, Field(description="Stay until the course is done, reporting "
                                      "progress (default); false returns at once")] = True,
    ) -> CreatedCourse:
        """Make a course from a lecture: give exactly one of `url`, `transcript` or `path`.
        The course id comes at once in the first progress notification; with `follow` (the
        default) the call then reports progress (0..1, with the current step) until the
        course is completed, failed or cancelled, and returns its final status; cancelling
        the call cancels the generation. With follow=false it returns at once (poll
        get_course_status)."""
        given = [x for x in (url, transcript, path) if x is not None]
        if len(given) > 1:
            raise ToolError("Give only one of url, transcript or path.")
        return await tools.create_course(ctx, url=url, transcript=transcript, path=path,
                                         title=title, preferences=preferences, follow=follow)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def get_course_status(ctx: Context[Any, Any], course_id: CourseId) -> StatusResponse:
        """Where a course's generation stands: status (processing, completed, failed,
        cancelled), progress 0..1, current step, an ETA in seconds, and for a failed course an
        error code and what to do."""
        return await tools.status(ctx, course_id)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def get_course(ctx: Context[Any, Any], course_id: CourseId,
                         section: SectionNumber | None = None) -> CourseView:
        """A course's outline (title, objectives, every section's title, summary and
        [start, end] seconds in the video); with `section`, also that section's lesson
        (Markdown with [mm:ss] citations), key points, quiz (questions, options, answer key)
        and flashcards. Do not show the answer key before the learner answers."""
        return await tools.course(ctx, course_id, section)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def list_courses(
        ctx: Context[Any, Any],
        limit: Annotated[int, Field(ge=1, le=100)] = 20,
        offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
        status: JobStatus | None = None,
    ) -> CourseList:
        """The user's courses, newest first (id, title, status)."""
        return await tools.courses(ctx, limit, offset, status)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def search_course(
        ctx: Context[Any, Any], course_id: CourseId,
        question: Annotated[str, Field(min_length=1, max_length=1000)],
        limit: Annotated[int, Field(ge=1, le=20)] = 5,
    ) -> list[TutorSourceRef]:
        """The transcript passages that best match a question or phrase, best first, each
        with its start and end seconds and its [mm:ss] label: use it to find where in the
        video something is said."""
        return await tools.search(ctx, course_id, question, limit)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                             idempotent_hint=False, open_world_hint=False))
    @rest_errors
    async def ask_course(
        ctx: Context[Any, Any], course_id: CourseId,
        question: Annotated[str, Field(min_length=1, max_length=1000)],
    ) -> TutorAnswer:
        """Ask the course's video a question (the user's own courses). The answer comes only
        from the transcript and cites [mm:ss] moments (sourceRefs hold the quoted passages);
        `covered` is false, with no citations, when the video does not cover the question.
        Each question counts against the plan's hourly tutor limit and joins the
        conversation."""
        return await tools.ask(ctx, course_id, question)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def grade_answer(
        ctx: Context[Any, Any], course_id: CourseId, section: SectionNumber,
        question: Annotated[int, Field(ge=1, description="Question number in the section's "
                                       "quiz, 1 for the first")],
        answer: Annotated[str, Field(max_length=2000, description="The learner's answer: an "
                                     "option's text (or its letter) or a short answer")],
    ) -> Grade:
        """Mark a learner's answer to a quiz question against its answer key (case, spacing
        and a final full stop ignored) and give the explanation with its [mm:ss] moment."""
        return await tools.grade(ctx, course_id, section, question, answer)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def due_cards(
        ctx: Context[Any, Any], course_id: CourseId | None = None,
        limit: Annotated[int, Field(ge=1, le=500)] = 20,
        include_new: Annotated[bool, Field(description="With course_id: also its cards "
                                           "never reviewed")] = True,
    ) -> DueList:
        """Flashcards and quiz cards due for review (spaced repetition, FSRS), most overdue
        first; with course_id only that course's, then its new cards. Show the front, let the
        learner recall, then show the back and record the rating with review_card."""
        return await tools.due(ctx, course_id, limit, include_new)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                             idempotent_hint=False, open_world_hint=False))
    @rest_errors
    async def review_card(
        ctx: Context[Any, Any], course_id: CourseId,
        card_id: Annotated[str, Field(min_length=1, max_length=64,
                                      description="A card id from due_cards")],
        rating: Annotated[RatingName, Field(description="How well the learner recalled it")],
    ) -> ReviewState:
        """Record one review of a card (again, hard, good, easy); the schedule sets its next
        due time, which this returns. Each call is a new review."""
        return await tools.review(ctx, course_id, card_id, rating)

    @server.tool(annotations=READ_ONLY)
    @rest_errors
    async def export_course(ctx: Context[Any, Any], course_id: CourseId,
                            format: ExportFormat = "md") -> ExportedFile:
        """The course as a file: md (Markdown), json, apkg (Anki deck, base64) or mermaid
        (a mind map)."""
        return await tools.export(ctx, course_id, format)


def _add_resources(server: MCPServer, tools: Tools) -> None:
    async def read(call: Any) -> Any:
        try:
            return await call
        except ToolError as exc:  # the same error body, as a resource error
            raise ResourceError(str(exc)) from exc

    @server.resource("course://{course_id}", mime_type="application/json")
    async def course_outline(course_id: str, ctx: Context[Any, Any]) -> str:
        """A course's outline: title, objectives, sections with their time ranges."""
        view = await read(tools.course(ctx, _uuid(course_id), None))
        return str(view.model_dump_json(by_alias=True, exclude_none=True))

    @server.resource("course://{course_id}/section/{n}", mime_type="application/json")
    async def course_section(course_id: str, n: str, ctx: Context[Any, Any]) -> str:
        """One section (numbered from 1): lesson, key points, quiz and flashcards."""
        if not n.isdigit() or int(n) < 1:
            raise ResourceError("The section is a number from 1.")
        view = await read(tools.course(ctx, _uuid(course_id), int(n)))
        return str(view.section.model_dump_json(by_alias=True))  # type: ignore[union-attr]

    @server.resource("course://{course_id}/transcript", mime_type="text/plain")
    async def course_transcript(course_id: str, ctx: Context[Any, Any]) -> str:
        """The lecture's transcript, a line per caption with its [mm:ss] time."""
        return str(await read(tools.transcript(ctx, _uuid(course_id))))

    @server.resource("course://{course_id}/mindmap", mime_type="text/vnd.mermaid")
    async def course_mindmap(course_id: str, ctx: Context[Any, Any]) -> str:
        """The course as a Mermaid mind map."""
        file = await read(tools.export(ctx, _uuid(course_id), "mermaid"))
        return str(file.text)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ResourceError("Not a course id.") from exc


def _add_prompts(server: MCPServer) -> None:
    @server.prompt()
    def study_session(course_id: str, minutes: str = "20") -> str:
        """A study session on a course: due cards first, then the next section, then a quiz."""
        return (f"Run a {minutes}-minute study session on course {course_id}. First call "
                f"due_cards with course_id={course_id} and review each card with me: show the "
                "front, wait for my recall, show the back, then record my rating with "
                "review_card. Then read the outline (get_course), pick the first section I have "
                "not studied, teach its lesson briefly citing the [mm:ss] moments, and quiz me "
                "on it one question at a time with grade_answer, never showing the answer key "
                "before I answer.")

    @server.prompt()
    def explain_moment(course_id: str, moment: str) -> str:
        """Explain what the video says at a moment, given as [mm:ss] (or h:mm:ss)."""
        if not _MOMENT.match(moment.strip()):
            raise ValueError("moment must look like [mm:ss] or [h:mm:ss]")
        stamp = moment.strip().strip("[]")
        return (f"Read the transcript of course {course_id} (resource course://{course_id}/"
                f"transcript) around [{stamp}]: the lines from a minute before to a minute "
                f"after. Explain what the speaker means at [{stamp}] in plain words, using "
                "only what the video says, cite the [mm:ss] moments you draw on, and say which "
                "section of the outline (course://" + course_id + ") it belongs to.")

    @server.prompt()
    def practice_test(course_id: str, questions: str = "10") -> str:
        """A practice test drawn from a course's quizzes, marked with grade_answer."""
        return (f"Give me a practice test of {questions} questions on course {course_id}. "
                "Read the sections with get_course and choose questions across them. Ask one "
                "question at a time (with its options, if any), mark my answer with "
                "grade_answer, tell me whether I was right with the explanation and its [mm:ss] "
                "moment, and at the end give my score and the sections to revisit.")
