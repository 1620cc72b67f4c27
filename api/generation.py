"""POST /generate, step by step: validate the source, enforce tier limits, honour idempotency,
serve identical requests from the cache, else create the course and queue its job."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.course_schemas import GenerateRequest, GenerateResponse
from api.errors import AppError
from core.config import Settings
from core.domain import Preferences, Transcript
from core.lifecycle import CourseMetadata, CourseRequest, CourseStatus
from core.tiers import (
    TierLimits,
    check_generation_allowed,
    effective_tier,
    limits_for,
    month_start,
)
from db.models import Course, IdempotencyKey, User
from db.repo.course_store import save_transcript, write_tree
from db.repo.courses import count_courses_since, count_running, create_course
from db.repo.creation_lock import creation_lock
from db.repo.lifecycle import transition
from infra.cache import make_cache_key
from jobs.queue import JobQueue
from jobs.services import JobServices
from prompts import prompt_versions
from sources.transcript import TranscriptParseError, parse_transcript
from sources.transcription import transcribe
from sources.youtube import TranscriptError, is_playlist_id, parse_playlist_id, parse_video_id


class Source:
    """What the course is made from: a video id, an uploaded transcript, or both."""

    def __init__(self, video_id: str | None, transcript: Transcript | None, url: str | None,
                 digest: str) -> None:
        self.video_id, self.transcript, self.url, self.digest = video_id, transcript, url, digest


Media = tuple[str, bytes]  # an uploaded audio/video file: (filename, bytes)


async def transcribe_upload(media: Media, body: GenerateRequest, settings: Settings) -> Source:
    """An uploaded audio/video file, through the same transcription as a captionless video."""
    prefs = body.preferences or Preferences()
    try:
        transcript = await transcribe(media, settings, language=prefs.language, title=body.title)
    except TranscriptError as exc:
        raise AppError(exc.code, exc.message, exc.http_status) from exc
    return Source(None, transcript, None, f"audio:{hashlib.sha256(media[1]).hexdigest()}")


def resolve_source(body: GenerateRequest, settings: Settings) -> Source:
    video_id = None
    playlist = parse_playlist_id(body.url) if body.url and body.transcript is None else None
    if playlist is not None:  # one course from the playlist's videos (sources.playlist)
        return Source(playlist, None, body.url, f"playlist:{playlist}")
    if body.url:
        try:
            video_id = parse_video_id(body.url)
        except TranscriptError as exc:
            raise AppError("invalid_url", "Not a YouTube video URL. Accepted: youtube.com/watch"
                           "?v=…, youtu.be/…, /shorts/, /embed/, /live/.", 422) from exc
    if body.transcript is None:
        if video_id is None:
            raise AppError("missing_source", "Give a YouTube `url`, or a `transcript` (text of "
                           "an .srt, .vtt or .txt file).", 422)
        return Source(video_id, None, body.url, f"video:{video_id}")
    if len(body.transcript) > settings.max_transcript_chars:
        raise AppError("transcript_too_large", f"The transcript is longer than "
                       f"{settings.max_transcript_chars} characters.", 413)
    try:
        transcript = parse_transcript(body.transcript, title=body.title)
    except TranscriptParseError as exc:
        raise AppError("invalid_transcript", str(exc), 422) from exc
    digest = hashlib.sha256(body.transcript.encode()).hexdigest()
    return Source(video_id, transcript.model_copy(update={"video_id": video_id}), body.url,
                  f"transcript:{digest}")


def user_limits(user: User, settings: Settings) -> TierLimits:
    return limits_for(effective_tier(user.subscription_tier, user.subscription_status,
                                     user.subscription_ends_at), settings)


async def check_limits(session: AsyncSession, user: User, settings: Settings,
                       video_seconds: float | None) -> None:
    violation = check_generation_allowed(
        user_limits(user, settings),
        courses_this_month=await count_courses_since(session=session, user_id=user.id,
                                                     since=month_start()),
        running_jobs=await count_running(session=session, user_id=user.id),
        video_seconds=video_seconds)
    if violation is not None:
        headers = ({"Retry-After": str(violation.retry_after_seconds)}
                   if violation.retry_after_seconds else None)
        raise AppError(violation.code, violation.message, violation.status, headers)


def request_hash(body: GenerateRequest, media: Media | None) -> str:
    """What an Idempotency-Key is bound to: the request's body (and uploaded file)."""
    parts: dict[str, Any] = {"body": body.model_dump(mode="json", exclude_none=True)}
    if media is not None:
        parts["file"] = [media[0], hashlib.sha256(media[1]).hexdigest()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


async def idempotent_replay(session: AsyncSession, user: User, key: str | None, digest: str
                            ) -> GenerateResponse | None:
    """The first response to this key, or None when the key is new; 422 when the key was used
    with another request (as the IETF Idempotency-Key draft and Stripe do)."""
    if not key:
        return None
    row = await session.get(IdempotencyKey, (user.id, key[:200]), populate_existing=True)
    if row is None:
        return None
    if row.request_hash is not None and row.request_hash != digest:
        raise AppError("idempotency_key_reused", "This Idempotency-Key was sent with another "
                       "request; use a new key for a new request.", 422)
    course = await session.get(Course, row.course_id, populate_existing=True)
    status = course.status if course is not None else CourseStatus.FAILED.value
    return GenerateResponse(course_id=str(row.course_id), status=status)  # type: ignore[arg-type]


def cache_key(source: Source, prefs: Preferences, services: JobServices,
              limits: TierLimits) -> str:
    parts: dict[str, Any] = {}
    if source.transcript is None and is_playlist_id(source.video_id or ""):
        # a playlist's course depends on the plan's cap: a free user's cut course must not be
        # served to a pro user, nor a pro user's longer one to a free user
        parts["playlist_cap"] = limits.max_playlist_videos
    return make_cache_key("course", source=source.digest,
                          preferences=prefs.model_dump(exclude_none=True),
                          prompts=prompt_versions(), models=services.model_names(), **parts)


async def generate(session: AsyncSession, user: User, body: GenerateRequest, *,
                   settings: Settings, services: JobServices, jobs: JobQueue,
                   idempotency_key: str | None, media: Media | None = None
                   ) -> tuple[int, GenerateResponse]:
    """Returns (HTTP status, body): 202 when queued, 200 when served from the cache.

    The limit check, the idempotency check and the insert run under the user's creation lock
    (db/repo/creation_lock.py): a burst of requests respects the concurrent-job limit, and a
    concurrent duplicate waits for the first and returns its course."""
    digest = request_hash(body, media)
    replay = await idempotent_replay(session, user, idempotency_key, digest)
    if replay is not None:
        return 200, replay
    if media is not None:
        await check_limits(session, user, settings, None)  # before paying for transcription
        source = await transcribe_upload(media, body, settings)
    else:
        source = resolve_source(body, settings)
    prefs = body.preferences or Preferences()
    duration = source.transcript.duration if source.transcript else None
    await check_limits(session, user, settings, duration)  # fails fast, before the lock
    key = cache_key(source, prefs, services, user_limits(user, settings))
    request = CourseRequest(video_id=source.video_id, url=source.url,
                            preferences=prefs.model_dump(exclude_none=True), title=body.title,
                            cache_key=key, source="upload" if source.transcript else "youtube")
    hit = await services.cache.get(key)
    title = body.title or (source.transcript.title if source.transcript else None) or "Untitled"
    async with creation_lock(session, user.id):
        replay = await idempotent_replay(session, user, idempotency_key, digest)
        if replay is not None:
            return 200, replay
        await check_limits(session, user, settings, duration)
        course = await create_course(session=session, user_id=user.id, title=title,
                                     youtube_url=source.url, request=request,
                                     queue=hit is None)
        if idempotency_key:
            session.add(IdempotencyKey(user_id=user.id, key=idempotency_key[:200],
                                       course_id=course.id, request_hash=digest))
        if hit is not None:
            cached = hit.value
            await write_tree(session=session, course=course,
                             generated=_fresh_ids(cached["course"]))
            await save_transcript(session=session, course_id=course.id,
                                  transcript=cached["transcript"])
            await transition(session, course, CourseStatus.COMPLETED,
                             metadata=CourseMetadata.model_validate(
                                 {**cached["metadata"], "request": request, "version": 1,
                                  "served_from_cache": True}))
            await session.commit()
            return 200, GenerateResponse(course_id=str(course.id), status="completed",
                                         outline=cached["course"]["outline"])
        if source.transcript is not None:
            await save_transcript(session=session, course_id=course.id,
                                  transcript=source.transcript.model_dump())
        await session.commit()
    await jobs.submit_generate(str(course.id))
    return 202, GenerateResponse(course_id=str(course.id), status="processing")


def _fresh_ids(tree: dict[str, Any]) -> dict[str, Any]:
    """Copy a cached course under new section ids (section rows are primary keys)."""
    text = json.dumps(tree)
    for section in tree["sections"]:
        text = text.replace(section["id"], str(uuid.uuid4()))
    return json.loads(text)  # type: ignore[no-any-return]


