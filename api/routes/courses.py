"""Course generation and reading: generate, status, SSE progress, get, list."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import ValidationError
from pydantic.json_schema import SkipJsonSchema
from sse_starlette import EventSourceResponse

from api.course_schemas import (
    CourseDetail,
    CourseList,
    GenerateRequest,
    GenerateResponse,
    JobStatus,
    StatusResponse,
)
from api.course_views import detail, etag, read_status, summary, visible_course
from api.deps import (
    CourseIdPath,
    CurrentUser,
    JobsDep,
    PrincipalDep,
    ReaderPrincipalDep,
    ServicesDep,
    SessionDep,
    SettingsDep,
)
from api.errors import AppError
from api.generation import Media, generate
from api.openapi_bodies import generate_request_body
from api.schemas import ETAG, error_responses
from api.sse import StatusBatcher, progress_stream
from db.repo.courses import list_courses
from infra.progress_bus import ProgressEvent
from sources.transcription import is_media

router = APIRouter(prefix="/api/courses", tags=["courses"])


async def read_generate_body(request: Request) -> tuple[GenerateRequest, Media | None]:
    """JSON, or multipart/form-data with an uploaded `file`: a transcript, or an audio/video
    file (returned apart, as (filename, bytes), to be transcribed)."""
    content_type = request.headers.get("content-type", "")
    media: Media | None = None
    try:
        if content_type.startswith("multipart/form-data"):
            form = await request.form()
            upload = form.get("file")
            data: dict[str, Any] = {k: form.get(k) for k in ("url", "title") if form.get(k)}
            if upload is not None and not isinstance(upload, str):
                raw = await upload.read()
                if is_media(upload.filename, upload.content_type):
                    media = (upload.filename or "upload", raw)
                else:
                    data["transcript"] = raw.decode("utf-8-sig", errors="strict")
            elif isinstance(upload, str):  # a `file` part sent without a filename is text
                data["transcript"] = upload
            elif isinstance(form.get("transcript"), str):
                data["transcript"] = form.get("transcript")
            if form.get("preferences"):
                data["preferences"] = json.loads(str(form.get("preferences")))
            return GenerateRequest.model_validate(data), media
        return GenerateRequest.model_validate_json(await request.body() or b"{}"), None
    except UnicodeDecodeError as exc:
        raise AppError("invalid_transcript", "The uploaded file is not UTF-8 text.", 422) from exc
    except (ValidationError, json.JSONDecodeError, ValueError) as exc:
        details = exc.errors(include_url=False, include_input=False) if isinstance(
            exc, ValidationError) else None
        raise AppError("validation_error", f"Invalid request body: {exc}"[:300], 422,
                       details=details) from exc


@router.post("/generate", status_code=202, response_model=GenerateResponse,
             responses={200: {"model": GenerateResponse,
                              "description": "Served at once: an identical course was cached, "
                              "or an Idempotency-Key replay."},
                        **error_responses(400, 401, 402, 413, 422, 429, 503)},
             openapi_extra={"requestBody": generate_request_body()})
async def generate_course(
    request: Request, response: Response, session: SessionDep, user: CurrentUser,
    settings: SettingsDep, services: ServicesDep, jobs: JobsDep,
    idempotency_key: Annotated[str | SkipJsonSchema[None],
                               Header(alias="Idempotency-Key", max_length=200)] = None,
) -> GenerateResponse:
    """Start generating a course from a YouTube URL, an uploaded transcript, or an uploaded
    audio/video file (multipart `file`; transcribed first, needs TRANSCRIPTION_BASE_URL)."""
    body, media = await read_generate_body(request)
    status, result = await generate(session, user, body, settings=settings, services=services,
                                    jobs=jobs, idempotency_key=idempotency_key, media=media)
    response.status_code = status
    return result


@router.get("/status/{courseId:uuid}", response_model=StatusResponse,
            responses=error_responses(401, 404, 422))
async def course_status(course_id: CourseIdPath, request: Request,
                        principal: ReaderPrincipalDep) -> StatusResponse:
    """Where a generation stands: status, progress 0..1, current step and an ETA in seconds;
    failed jobs carry an error code and a message saying what to do."""
    return await read_status(request.app.state, principal.user_id, course_id)


# The stream's schema is the named ProgressEvent: what each event's `data` holds (as JSON);
# the SSE `event` field repeats its `type` and `id` its `id`.
@router.get("/{courseId:uuid}/events", responses={
    200: {"model": ProgressEvent, "description": "Server-Sent Events of progress: each event's "
          "`data` is a ProgressEvent (JSON), `event` is its type, `id` its id."},
    **error_responses(401, 404, 422)}, response_class=EventSourceResponse)
async def course_events(
    course_id: CourseIdPath, request: Request, session: SessionDep, user: CurrentUser,
    services: ServicesDep, settings: SettingsDep,
    last_event_id: Annotated[str | SkipJsonSchema[None],
                             Header(alias="Last-Event-ID", max_length=64)] = None,
) -> EventSourceResponse:
    """Stream progress events until the job completes or fails; resume with Last-Event-ID."""
    course = await visible_course(session, user.id, course_id)
    await session.close()  # don't hold a pooled connection for the life of the stream
    batcher = getattr(request.app.state, "status_batcher", None)
    if batcher is None:  # one per process: idle streams' status checks share its queries
        batcher = request.app.state.status_batcher = StatusBatcher(request.app.state.sessionmaker)

    async def current_status() -> str | None:
        return await batcher.status(course.id)

    stream = progress_stream(services.progress, str(course.id), last_event_id,
                             course_status=current_status)
    return EventSourceResponse(stream, ping=settings.sse_ping_seconds,
                               headers={"Cache-Control": "no-cache",
                                        "X-Accel-Buffering": "no"})


@router.get("", response_model=CourseList, responses=error_responses(401, 422))
async def my_courses(
    session: SessionDep, user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    # SkipJsonSchema: an absent filter is left out of the query, never sent as "null"
    status: Annotated[JobStatus | SkipJsonSchema[None], Query()] = None,
) -> CourseList:
    """The caller's courses, newest first."""
    rows, total = await list_courses(session=session, user_id=user.id, limit=limit,
                                     offset=offset, status=status)
    return CourseList(items=[summary(c) for c in rows], total=total, limit=limit, offset=offset)


@router.get("/{courseId:uuid}", response_model=CourseDetail,
            responses={200: {"headers": ETAG}, **error_responses(401, 404, 422)})
async def get_course(course_id: CourseIdPath, session: SessionDep, principal: PrincipalDep,
                     response: Response) -> CourseDetail:
    """The full course: outline, lessons, quizzes, exercises (own or public courses)."""
    course = await visible_course(session, principal.user_id, course_id)
    response.headers["ETag"] = etag(course)
    return await detail(session, principal.user_id, course)
