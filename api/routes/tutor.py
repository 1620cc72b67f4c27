"""Ask the video: the tutor's answers (SSE) and the conversation so far, owner-scoped."""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sse_starlette import EventSourceResponse

from api.course_views import owned_course
from api.deps import CourseIdPath, CurrentUser, ServicesDep, SessionDep, SettingsDep
from api.errors import AppError
from api.schemas import error_responses
from core.domain import CamelModel
from core.tiers import effective_tier, tutor_questions_per_hour
from core.tutor_turns import TutorAnswer, TutorTurn
from db.models import User
from db.repo.course_store import load_transcript
from infra.ratelimit import RateLimiter, make_rate_limiter
from jobs.tutor_turn import TutorFailed, ask_tutor, tutor_conversation

router = APIRouter(prefix="/api/courses", tags=["tutor"])


class AskRequest(CamelModel):
    question: str = Field(min_length=1, max_length=1000, pattern=r"\S",
                          examples=["What does max-age do?"])


class AnswerChunk(CamelModel):
    text: str


class Conversation(CamelModel):
    course_id: str
    turns: list[TutorTurn]


def get_rate_limiter(request: Request, settings: SettingsDep) -> RateLimiter:
    # Made on first use so the app factory stays as it is; Redis-backed when REDIS_URL is set,
    # so the limit holds across API processes.
    limiter = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        limiter = request.app.state.rate_limiter = make_rate_limiter(settings)
    return limiter  # type: ignore[no-any-return]


async def check_tutor_rate(limiter: RateLimiter, user: User, settings: Any) -> None:
    tier = effective_tier(user.subscription_tier, user.subscription_status,
                          user.subscription_ends_at)
    limit = tutor_questions_per_hour(tier, settings)
    decision = await limiter.hit(f"tutor:{user.id}", limit, 3600)
    if not decision.allowed:
        raise AppError("rate_limited", f"The {tier} plan allows {limit} tutor questions per "
                       "hour; try again later.", 429,
                       {"Retry-After": str(max(1, math.ceil(decision.retry_after)))})


def document_ask_stream(schema: dict[str, Any]) -> None:
    """The /ask response is `text/event-stream`: one frame per event whose `data` is the JSON
    of an AnswerChunk, the TutorAnswer or an error (FastAPI would file the model under
    application/json; the models stay declared so their components exist)."""
    frame = {"type": "object", "required": ["event", "data"], "properties": {
        "event": {"type": "string", "enum": ["chunk", "answer", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json",
                 "contentSchema": {"anyOf": [
                     {"$ref": "#/components/schemas/AnswerChunk"},
                     {"$ref": "#/components/schemas/TutorAnswer"},
                     {"$ref": "#/components/schemas/ErrorResponse"}]}}}}
    ok = schema["paths"]["/api/courses/{courseId}/ask"]["post"]["responses"]["200"]
    ok["content"] = {"text/event-stream": {"schema": frame}}


@router.post("/{courseId:uuid}/ask", response_class=EventSourceResponse, responses={
    200: {"model": TutorAnswer | AnswerChunk, "description": "Server-Sent Events: `chunk` "
          "events whose data is an AnswerChunk ({text}), then one `answer` event whose data is "
          "the TutorAnswer (answer, covered, sourceRefs); an `error` event ({error: {code, "
          "message}}) if the answer could not be produced."},
    **error_responses(401, 404, 409, 422, 429)})
async def ask_course(
    course_id: CourseIdPath, body: AskRequest, session: SessionDep, user: CurrentUser,
    services: ServicesDep, settings: SettingsDep,
    limiter: Annotated[RateLimiter, Depends(get_rate_limiter)],
) -> EventSourceResponse:
    """Ask a question about your course's video; the answer cites [mm:ss] timestamps and
    comes only from the transcript, or says the video does not cover it."""
    course = await owned_course(session, user.id, course_id)
    if await load_transcript(session=session, course_id=course.id) is None:
        raise AppError("course_not_ready", "The course has no transcript yet; ask when it has "
                       "been generated.", 409)
    await check_tutor_rate(limiter, user, settings)
    await session.close()  # the stream must not hold a pooled connection

    async def events() -> AsyncIterator[dict[str, Any]]:
        try:
            async for item in ask_tutor(services, user_id=user.id, course_id=course.id,
                                        question=body.question.strip()):
                if isinstance(item, TutorAnswer):
                    yield {"event": "answer", "data": item.model_dump_json(by_alias=True)}
                else:
                    yield {"event": "chunk",
                           "data": AnswerChunk(text=item).model_dump_json(by_alias=True)}
        except TutorFailed:
            yield {"event": "error", "data": json.dumps({"error": {
                "code": "tutor_unavailable",
                "message": "The tutor could not answer right now; try again shortly."}})}

    return EventSourceResponse(events(), ping=settings.sse_ping_seconds,
                               headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/{courseId:uuid}/conversation", response_model=Conversation,
            responses=error_responses(401, 404, 422))
async def get_conversation(course_id: CourseIdPath, session: SessionDep, user: CurrentUser,
                           services: ServicesDep) -> Conversation:
    """Your conversation with the tutor about this course, oldest turn first."""
    course = await owned_course(session, user.id, course_id)
    turns = await tutor_conversation(services, user_id=user.id, course_id=course.id)
    return Conversation(course_id=str(course.id), turns=turns)
