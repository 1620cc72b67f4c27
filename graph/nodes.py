"""Graph nodes that are not agents: the transcript tool, outline review, fan-out and persist."""

from __future__ import annotations

import time
from typing import Any, cast

from langgraph.runtime import Runtime
from langgraph.types import Send, interrupt

from core.domain import CourseOutline, GeneratedCourse, Preferences, Transcript, VideoMetadata
from core.lifecycle import GenerationRecord, ValidationIssue
from core.tiers import video_length_violation
from pipeline.context import CourseContext, course_context, track
from pipeline.sections import course_terms, section_task
from pipeline.state import CourseState, to_state
from prompts import prompt_versions
from sources.transcript import Format, parse_transcript
from sources.video import fetch_video
from sources.youtube import TranscriptError, parse_video_id


async def fetch_transcript(state: CourseState, runtime: Runtime[CourseContext]
                           ) -> dict[str, Any]:
    """Get the timed transcript: parse an uploaded one, or fetch the video's captions."""
    started = time.monotonic()
    if state.get("transcript"):
        await track(runtime, state).step_done("fetch_transcript", started, "transcript given")
        # a stored or uploaded transcript arrives camelCase: state holds it snake_case
        return {"transcript": to_state(Transcript.model_validate(state["transcript"]))}
    ctx = course_context(runtime)
    prefs = Preferences.model_validate(state.get("preferences") or {})
    if state.get("transcript_text"):
        # unchecked input: parse_transcript rejects a format outside Format itself
        fmt = cast("Format | None", state.get("transcript_format"))
        transcript = parse_transcript(state["transcript_text"], fmt, title=state.get("title"))
        video_id = state.get("video_id") or (parse_video_id(state["url"]) if state.get("url")
                                             else None)
        transcript = transcript.model_copy(update={"video_id": video_id})
    else:
        video_id = state.get("video_id") or parse_video_id(state["url"])
        languages = [prefs.language] if prefs.language else []
        languages += [lang for lang in ctx.cfg().youtube_languages if lang not in languages]
        fetch = ctx.fetch_captions or fetch_video

        async def announce(meta: VideoMetadata) -> None:
            """The video is known (title, length) before its captions or audio are fetched:
            a video over the tier's length fails now, before any download or LLM call."""
            await track(runtime, state).emit(
                "step", "video_metadata", meta.title or video_id,
                meta.model_dump(by_alias=True, include={"title", "channel", "duration_seconds"}))
            early = ctx.limits and meta.duration_seconds is not None and \
                video_length_violation(ctx.limits, meta.duration_seconds)
            if early:
                raise TranscriptError(early.code, early.message)

        transcript = await fetch(video_id, languages=languages, settings=ctx.cfg(),
                                 on_metadata=announce, limits=ctx.limits)
    violation = ctx.limits and video_length_violation(ctx.limits, transcript.duration)
    if violation:  # before any LLM call (also when the metadata gave no length)
        raise TranscriptError(violation.code, violation.message)
    tracker = track(runtime, state)
    await tracker.step_done("fetch_transcript", started,
                            f"{len(transcript.segments)} segments, {transcript.duration:.0f}s")
    # The raw upload is parsed now; keep checkpoints small by not carrying it further.
    return {"transcript": to_state(transcript), "transcript_text": ""}


def skipped_videos(video: VideoMetadata | None) -> list[dict[str, Any]]:
    """Playlist videos left out of the course, as validation issues (no section of their own)."""
    entries = video.entries if video else []
    return [{"section_id": "", "message": f"Video {e.video_id} was skipped ({e.error_code}): "
             f"{e.error_message}"} for e in entries if e.error_code]


async def review_outline(state: CourseState, runtime: Runtime[CourseContext]
                         ) -> dict[str, Any]:
    """With review=True, pause for a human: resume with {"approved": true} or {"outline": ...}."""
    track(runtime, state)  # a resumed run starts here: the tracker learns the outline
    if not state.get("review"):
        return {}
    decision = interrupt({"outline": state["outline"],
                          "message": "Approve the outline, or resume with an edited one."})
    if isinstance(decision, dict) and decision.get("outline"):
        merged = {**state["outline"], **decision["outline"]}
        edited = CourseOutline.model_validate(merged)
        track(runtime, state).sections_total = len(edited.sections)
        return {"outline": to_state(edited)}
    return {}


def fan_out_sections(state: dict[str, Any]) -> list[Send] | str:
    """One writer branch per section still to write (only the edited ones after an edit)."""
    outline = CourseOutline.model_validate(state["outline"])
    transcript = Transcript.model_validate(state["transcript"])
    contents = state.get("contents") or {}
    supplements = state.get("supplements") or {}
    wanted = state.get("regenerate")
    sends = []
    for i, section in enumerate(outline.sections):
        if wanted is not None and section.id not in wanted:
            continue
        if wanted is None and section.id in contents and section.id in supplements:
            continue
        task = section_task(outline, i, transcript, terms=course_terms(state))
        if wanted is None and section.id in contents:
            sends.append(Send("supplement", {**task, "content": contents[section.id]}))
        else:
            sends.append(Send("write_section", task))
    return sends or "validate"


async def persist(state: CourseState, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Store the course (one transaction, via the run's store) and announce completion."""
    started = time.monotonic()
    ctx = course_context(runtime)
    tracker = track(runtime, state)
    transcript = Transcript.model_validate(state["transcript"])
    video = transcript.video
    llm = ctx.llm
    metadata = GenerationRecord(
        video_id=transcript.video_id, transcript_language=transcript.language,
        transcript_source=transcript.source,
        # the video's own length; the last caption may end well before the video does
        duration_seconds=(video.duration_seconds if video and video.duration_seconds
                          else max((s.end for s in transcript.segments), default=0)),
        # the video's own title, channel, length, language, chapters and thumbnail
        video=video.model_dump(by_alias=True) if video else None,
        prompt_versions=prompt_versions(),
        usage=llm.usage.to_dict() if llm is not None else {},
        validation_issues=[ValidationIssue.model_validate(i) for i in
                           [*(state.get("validation_issues") or []), *skipped_videos(video)]],
        warnings=state.get("warnings") or [],
    ).model_dump(mode="json", by_alias=True)
    course = GeneratedCourse.model_validate(state["course"])
    if state.get("title"):  # the title the user asked for wins over the model's
        course.outline.title = state["title"]
    if ctx.store is not None:  # stored rows are camelCase, as the API serves them
        await ctx.store.save_generated(course_id=state.get("course_id", ""),
                                       course=course.model_dump(by_alias=True),
                                       transcript=transcript.model_dump(by_alias=True),
                                       metadata=metadata)
    tracker.done_steps.add("persist")
    await tracker.emit("completed", "persist", "course ready",
                       {"seconds": round(time.monotonic() - started, 3)})
    return {}
