"""Outliner: a CourseOutline with one section per topic of the lecture, each bound to the
transcript time range it teaches. The model drafts; `fit_outline` makes the ranges contiguous so
every second of the transcript belongs to exactly one section."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from langgraph.runtime import Runtime

from agents.budget import transcript_budget
from agents.outline_draft import OutlineDraft, repair_draft
from agents.topics import lecture_topics, with_parts
from core.domain import (
    Analysis,
    AnalysisSegment,
    CourseOutline,
    OutlineSection,
    Preferences,
    Segment,
    Transcript,
)
from llm.tokens import count_tokens
from nlp import course as extractive
from nlp.lesson import section_brief
from nlp.titles import as_phrase
from pipeline.context import CourseContext, course_context, track
from pipeline.cpu import load_transcript
from pipeline.sections import owned_segments
from pipeline.state import CourseState, to_state
from prompts import load_prompt
from sources.chunking import chunk_by_tokens
from sources.transcript import format_for_prompt


def _even_ranges(sections: list[OutlineSection], duration: float) -> list[OutlineSection]:
    step = duration / len(sections)
    return [s.model_copy(update={"start_seconds": i * step, "end_seconds": (i + 1) * step})
            for i, s in enumerate(sections)]


def _contiguous(sections: list[OutlineSection], duration: float) -> list[OutlineSection]:
    """Sort by start, clamp into the video and close gaps/overlaps between neighbours."""
    if all(s.end_seconds <= s.start_seconds for s in sections):
        return _even_ranges(sections, duration)
    ordered = sorted(sections, key=lambda s: s.start_seconds)
    starts = [0.0] + [min(max(s.start_seconds, 0.0), duration) for s in ordered[1:]]
    ends = starts[1:] + [duration]
    fixed = [s.model_copy(update={"start_seconds": a, "end_seconds": b})
             for s, a, b in zip(ordered, starts, ends, strict=True)]
    return [s for s in fixed if s.end_seconds > s.start_seconds] or _even_ranges(ordered, duration)


def _split_oversized(sections: list[OutlineSection], segments: list[Segment], budget: int,
                     max_sections: int) -> list[OutlineSection]:
    """Split a section whose transcript slice exceeds one call's budget into parts."""
    out: list[OutlineSection] = []
    for i, section in enumerate(sections):
        piece = owned_segments(segments, section.start_seconds, section.end_seconds)
        room = max_sections - len(out) - (len(sections) - i - 1)
        if count_tokens(format_for_prompt(piece)) <= budget or room <= 1:
            out.append(section)
            continue
        chunks = chunk_by_tokens(piece, budget)[:room]
        for k, chunk in enumerate(chunks):
            end = chunks[k + 1].start if k + 1 < len(chunks) else section.end_seconds
            out.append(section.model_copy(update={
                "id": "", "title": f"{section.title} (part {k + 1})",
                "start_seconds": section.start_seconds if k == 0 else chunk.start,
                "end_seconds": end,
            }))
    return out


def fit_outline(draft: CourseOutline, *, transcript: Transcript, prefs: Preferences,
                analysis: Analysis, budget: int, max_sections: int) -> CourseOutline:
    duration = transcript.duration or 1.0
    sections = _contiguous(draft.sections[:max_sections], duration)
    sections = _split_oversized(sections, transcript.segments, budget, max_sections)
    sections = with_parts(sections, duration)
    seen: set[str] = set()
    with_ids = []
    for s in sections:
        sid = s.id if s.id and s.id not in seen and _is_uuid(s.id) else str(uuid.uuid4())
        seen.add(sid)
        with_ids.append(s.model_copy(update={"id": sid}))
    return draft.model_copy(update={
        "sections": with_ids,
        "language": prefs.language or analysis.language or draft.language,
        "difficulty": prefs.difficulty or draft.difficulty,
        "estimated_minutes": prefs.duration or draft.estimated_minutes,
    })


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def extract_section(transcript: Transcript, seg: AnalysisSegment, language: str,
                    concepts: list[str] | None = None) -> OutlineSection:
    """Extractive strategy for one section: its most central sentence as the summary, and
    objectives worded by what the section does with the lecture's key concepts (defines,
    contrasts or explains them)."""
    piece = owned_segments(transcript.segments, seg.start_seconds, seg.end_seconds)
    summary, objectives = section_brief([(s.start, s.end, s.text) for s in piece], language,
                                        concepts)
    return OutlineSection(title=seg.title, summary=summary, objectives=objectives,
                          start_seconds=seg.start_seconds, end_seconds=seg.end_seconds)


# a course-level objective per section: its first concept objective, else its topic
COURSE_OBJECTIVE = {"en": "Explain {}", "es": "Explicar {}"}


def _course_objective(section: OutlineSection, language: str) -> str:
    if section.objectives:
        return section.objectives[0]
    verb = COURSE_OBJECTIVE.get(language.split("-")[0], COURSE_OBJECTIVE["en"])
    return verb.format(as_phrase(section.title))


def extract_outline(transcript: Transcript, analysis: Analysis) -> CourseOutline:
    """The analysis' topic segments become the sections (they already partition the video)."""
    sections = [extract_section(transcript, seg, analysis.language, analysis.key_concepts)
                for seg in analysis.segments]
    return CourseOutline(
        title=analysis.title or "Lecture", description=analysis.summary,
        language=analysis.language,
        # watching plus reading and the quizzes: about one and a half times the video
        estimated_minutes=max(5, round(transcript.duration / 60 * 1.5)),
        learning_objectives=list(dict.fromkeys(
            _course_objective(s, analysis.language) for s in sections)),
        sections=sections or [OutlineSection(title=analysis.title or "Lecture",
                                             end_seconds=transcript.duration)])


def on_topics(draft: CourseOutline, topics: list[AnalysisSegment], *, keep_titles: bool
              ) -> CourseOutline:
    """The lecture's topics (or the author's chapters) as the sections, with their time ranges;
    the model's draft contributes each section's summary and objectives, and its title unless
    `keep_titles` (an author's chapter titles win): by position when it drafted as many
    sections, else the draft section overlapping the topic most."""
    def overlap(s: OutlineSection, c: AnalysisSegment) -> float:
        return min(s.end_seconds, c.end_seconds) - max(s.start_seconds, c.start_seconds)

    if len(draft.sections) == len(topics):
        bases: list[OutlineSection | None] = list(draft.sections)
    else:
        bases = [max(draft.sections, key=lambda s: overlap(s, ch), default=None) for ch in topics]
    sections = []
    for ch, base in zip(topics, bases, strict=True):
        # a draft section stretched over several topics would repeat its title: theirs instead
        own = base is not None and base.title and bases.count(base) == 1 and not keep_titles
        title = base.title if own and base is not None else ch.title
        sections.append(OutlineSection(
            title=title, summary=base.summary if base else "",
            objectives=base.objectives if base else [], start_seconds=ch.start_seconds,
            end_seconds=ch.end_seconds))
    return draft.model_copy(update={"sections": sections})


def given_title(state: CourseState, transcript: Transcript) -> str | None:
    """The user's title, else the video's own: the model does not rename a video."""
    return state.get("title") or (transcript.video.title if transcript.video else None)


def topic_blocks(transcript: Transcript, analysis: Analysis) -> list[AnalysisSegment]:
    """The analysis' topic segments, else the extractive segmentation of the transcript."""
    if analysis.segments:
        return analysis.segments
    _, found = extractive.outline([(s.start, s.end, s.text) for s in transcript.segments],
                                  analysis.language)
    return [AnalysisSegment(title=s.title, start_seconds=s.start, end_seconds=max(s.end, s.start))
            for s in found]


async def outline(state: CourseState, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Draft the course outline: one section per topic of the lecture (agents/topics.py); the
    requested study time shapes each section's depth, not their number."""
    started = time.monotonic()
    ctx = course_context(runtime)
    transcript = await ctx.cpu(load_transcript, state["transcript"])
    analysis = Analysis.model_validate(state["analysis"])
    prefs = Preferences.model_validate(state.get("preferences") or {})
    max_sections = ctx.max_sections or ctx.cfg().max_sections
    if ctx.extractive():
        draft = await ctx.cpu(extract_outline, transcript, analysis)
        fitted = await ctx.cpu(fit_outline, draft, transcript=transcript, prefs=prefs,
                               analysis=analysis, budget=10**9, max_sections=max_sections)
        return await _planned(runtime, state, fitted, started)
    budget = transcript_budget(ctx.client())
    duration = transcript.duration or 1.0
    blocks = await ctx.cpu(topic_blocks, transcript, analysis)
    # an author's chapters are already merged and split to size (analyzer.chapter_segments)
    topics = (blocks[:max_sections] if transcript.chapters
              else lecture_topics(blocks, duration, max_sections))
    segments = "\n".join(f"{i}. [{t.start_seconds:.0f}-{t.end_seconds:.0f}] {t.title}"
                         for i, t in enumerate(topics, start=1))
    brief = analysis.model_dump(by_alias=True, exclude={"segments"})
    system, user = load_prompt("outliner").render(
        difficulty=prefs.difficulty or analysis.difficulty,
        minutes=prefs.duration or max(5, round(duration / 60 * 1.5)),
        language=prefs.language or analysis.language, section_count=len(topics),
        duration_seconds=round(duration, 1), segments=segments,
        analysis=json.dumps(brief, ensure_ascii=False),
    )
    raw = await ctx.client().structured(OutlineDraft, system=system, user=user, node="outline")
    draft = repair_draft(raw, duration=duration, fallback_title=analysis.title)
    draft = on_topics(draft, topics, keep_titles=bool(transcript.chapters))
    if title := given_title(state, transcript):
        draft = draft.model_copy(update={"title": title})
    fitted = await ctx.cpu(fit_outline, draft, transcript=transcript, prefs=prefs,
                           analysis=analysis, budget=budget, max_sections=max_sections)
    return await _planned(runtime, state, fitted, started)


async def _planned(runtime: Runtime[CourseContext], state: CourseState, fitted: CourseOutline,
                   started: float) -> dict[str, Any]:
    tracker = track(runtime, state)
    tracker.sections_total = len(fitted.sections)
    await tracker.step_done("outline", started, f"{len(fitted.sections)} sections planned")
    return {"outline": to_state(fitted)}
