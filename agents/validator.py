"""Validate: deterministic checks of every section, one regeneration of failing pieces, then
repair-or-report. Builds the final GeneratedCourse."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langgraph.runtime import Runtime

from agents.supplement import draft_supplement
from agents.writer import draft_lesson
from core.domain import (
    CourseOutline,
    CourseSection,
    GeneratedCourse,
    OutlineSection,
    Quiz,
    QuizQuestion,
    SectionContent,
    SectionSupplement,
    Transcript,
)
from pipeline.context import CourseContext, context_of
from pipeline.sections import ref_inside, section_task
from pipeline.state import CourseState
from pipeline.tracking import track

MIN_LESSON_CHARS = 40


def question_problems(q: QuizQuestion, section: OutlineSection) -> list[str]:
    problems = []
    if q.type in ("mcq", "true_false"):
        if len(q.options) < 2 or len(set(q.options)) != len(q.options):
            problems.append(f"question '{q.prompt[:60]}' needs at least two distinct options")
        if q.answer not in q.options:
            problems.append(f"answer of '{q.prompt[:60]}' is not one of its options")
    if not q.answer.strip():
        problems.append(f"question '{q.prompt[:60]}' has no answer")
    if not q.explanation.strip():
        problems.append(f"question '{q.prompt[:60]}' has no explanation")
    if not ref_inside(q.source_ref, section):
        problems.append(f"question '{q.prompt[:60]}' cites a time outside its section")
    return problems


def lesson_problems(content: SectionContent | None, section: OutlineSection,
                    duration: float) -> list[str]:
    if content is None:
        return ["lesson missing"]
    problems = []
    if len(content.markdown.strip()) < MIN_LESSON_CHARS:
        problems.append("lesson is empty or too short")
    if any(r.end_seconds > duration + 1 for r in content.source_refs):
        problems.append("lesson cites a time after the end of the video")
    return problems


def supplement_problems(supp: SectionSupplement | None, section: OutlineSection) -> list[str]:
    if supp is None or not supp.quiz.questions:
        return ["quiz missing"]
    return [p for q in supp.quiz.questions for p in question_problems(q, section)]


def coverage(outline: CourseOutline, transcript: Transcript) -> float:
    """Share of transcript segments whose midpoint falls inside some section."""
    if not transcript.segments:
        return 0.0
    ranges = [(s.start_seconds, s.end_seconds) for s in outline.sections]
    covered = sum(1 for seg in transcript.segments
                  if any(a <= (seg.start + seg.end) / 2 <= b for a, b in ranges))
    return covered / len(transcript.segments)


async def _regenerate(ctx: CourseContext, outline: CourseOutline, transcript: Transcript,
                      index: int, content: SectionContent | None, lesson_issues: list[str],
                      quiz_issues: list[str]) -> tuple[SectionContent | None, SectionSupplement]:
    feedback = "\n".join(f"- {p}" for p in lesson_issues + quiz_issues)
    task = section_task(outline, index, transcript, feedback=feedback)
    if lesson_issues or content is None:
        content, _ = await draft_lesson(ctx, task, cache=False)
    task["content"] = content.model_dump(by_alias=True)
    return content, await draft_supplement(ctx, task, cache=False)


def _keep_valid(supp: SectionSupplement, section: OutlineSection) -> SectionSupplement:
    good = [q for q in supp.quiz.questions if not question_problems(q, section)]
    return supp.model_copy(update={"quiz": Quiz(questions=good)})


async def validate(state: CourseState, runtime: Runtime[Any]) -> dict[str, Any]:
    """Check every section; regenerate failing pieces once; repair or report what remains."""
    started = time.monotonic()
    ctx = context_of(runtime)
    outline = CourseOutline.model_validate(state["outline"])
    transcript = Transcript.model_validate(state["transcript"])
    contents = {k: SectionContent.model_validate(v)
                for k, v in (state.get("contents") or {}).items()}
    supps = {k: SectionSupplement.model_validate(v)
             for k, v in (state.get("supplements") or {}).items()}

    failing = []
    for i, s in enumerate(outline.sections):
        lp = lesson_problems(contents.get(s.id), s, transcript.duration)
        qp = supplement_problems(supps.get(s.id), s)
        if lp or qp:
            failing.append((i, s, lp, qp))
    redone = await asyncio.gather(*(
        _regenerate(ctx, outline, transcript, i, contents.get(s.id), lp, qp)
        for i, s, lp, qp in failing))
    for (_, s, _, _), (new_content, new_supp) in zip(failing, redone, strict=True):
        if new_content is not None:
            contents[s.id] = new_content
        supps[s.id] = new_supp

    issues: list[dict[str, Any]] = []
    sections = []
    for seq, s in enumerate(outline.sections):
        content, supp = contents.get(s.id), supps.get(s.id)
        remaining = lesson_problems(content, s, transcript.duration)
        remaining += supplement_problems(supp, s)
        if supp is not None:
            supp = _keep_valid(supp, s)
        issues += [{"sectionId": s.id, "message": m} for m in remaining]
        sections.append(CourseSection(id=s.id, title=s.title, sequence=seq, outline=s,
                                      content=content, supplement=supp))
    # the analysis is still a dict in the state: validated into Analysis like any nested field
    course = GeneratedCourse.model_validate(
        {"outline": outline, "analysis": state.get("analysis"), "sections": sections})
    cov = coverage(outline, transcript)
    await track(runtime, state).step_done(
        "validate", started, f"{len(failing)} section(s) regenerated, coverage {cov:.0%}")
    return {
        "course": course.model_dump(by_alias=True),
        "validation_issues": issues,
        "contents": {s.id: contents[s.id].model_dump(by_alias=True)
                     for _, s, _, _ in failing if s.id in contents},
        "supplements": {s.id: supps[s.id].model_dump(by_alias=True) for _, s, _, _ in failing},
        "warnings": [f"transcript coverage {cov:.1%}"] if cov < 0.999 else [],
    }
