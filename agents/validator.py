"""Validate: deterministic checks of every section, one regeneration of failing pieces, then
repair-or-report. Builds the final GeneratedCourse."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langgraph.runtime import Runtime

from agents.section_checks import QuizCheck, lesson_problems
from agents.supplement import check_quiz, draft_supplement, extract_quiz
from agents.writer import draft_lesson
from core.domain import (
    CourseOutline,
    CourseSection,
    GeneratedCourse,
    OutlineSection,
    Quiz,
    SectionContent,
    SectionSupplement,
    Segment,
    Transcript,
)
from core.markdown_safety import safe_markdown
from pipeline.context import CourseContext, course_context, track
from pipeline.sections import course_terms, owned_segments, section_task
from pipeline.state import CourseState, to_state


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
                      quiz_issues: list[str], terms: list[str], earlier: QuizCheck
                      ) -> tuple[SectionContent | None, SectionSupplement, QuizCheck]:
    feedback = "\n".join(f"- {p}" for p in lesson_issues + quiz_issues)
    task = section_task(outline, index, transcript, feedback=feedback, terms=terms)
    if lesson_issues or content is None:
        content, _ = await draft_lesson(ctx, task, cache=False)
    task["content"] = to_state(content)
    supp = await draft_supplement(ctx, task, cache=False)
    # checked as soon as it arrives, while other regenerations are still with the model
    check = await asyncio.to_thread(check_quiz, supp, task, ctx.questions_wanted(), spares=True,
                                    earlier=earlier)
    return content, supp, check


def _keep_verified(supp: SectionSupplement | None, check: QuizCheck, outline: CourseOutline,
                   index: int, transcript: Transcript, wanted: int, terms: list[str]
                   ) -> tuple[SectionSupplement, list[str]]:
    """Drop every question that failed its check and put verified extractive questions in
    their place (the check's spares, drawn when it was made); returns the supplement and one
    note per replaced or dropped question."""
    section = outline.sections[index]
    supp = supp or SectionSupplement(section_id=section.id)
    kept, notes = [], []
    for q, problems in zip(supp.quiz.questions, check.verdicts, strict=False):
        if problems:
            notes.append(f"replaced a question that failed verification: {problems[0]}")
        else:
            kept.append(q)
    count = max(wanted, len(supp.quiz.questions))
    missing = count - len(kept)
    if missing > 0:
        spares = check.spares if check.spares_for == count else extract_quiz(
            section_task(outline, index, transcript, terms=terms), count).questions
        seen = {q.prompt for q in kept}
        kept += [q for q in spares if q.prompt not in seen][:missing]
    quiz = Quiz(questions=[q.model_copy(update={"id": f"{section.id}-q{i}"})
                           for i, q in enumerate(kept, start=1)])
    return supp.model_copy(update={"quiz": quiz}), notes


def _failing(outline: CourseOutline, duration: float, slices: dict[str, list[Segment]],
             contents: dict[str, SectionContent], supps: dict[str, SectionSupplement],
             checks: dict[str, QuizCheck]
             ) -> list[tuple[int, OutlineSection, list[str], list[str]]]:
    """`checks`: the supplement branches' verdicts; a section without one (an edit run's
    untouched sections) is checked here, and its verdict added."""
    failing = []
    for i, s in enumerate(outline.sections):
        lp = lesson_problems(contents.get(s.id), s, duration)
        if s.id not in checks:
            checks[s.id] = QuizCheck.of(supps.get(s.id), s, slices[s.id], outline.language)
        qp = checks[s.id].problems()
        if lp or qp:
            failing.append((i, s, lp, qp))
    return failing


async def validate(state: CourseState, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Check every section; regenerate failing pieces once; replace unverifiable questions;
    sanitize lessons; report what remains."""
    started = time.monotonic()
    ctx = course_context(runtime)
    outline = CourseOutline.model_validate(state["outline"])
    transcript = Transcript.model_validate(state["transcript"])
    contents = {k: SectionContent.model_validate(v)
                for k, v in (state.get("contents") or {}).items()}
    supps = {k: SectionSupplement.model_validate(v)
             for k, v in (state.get("supplements") or {}).items()}
    terms = course_terms(state)
    wanted = ctx.questions_wanted()

    slices = {s.id: owned_segments(transcript.segments, s.start_seconds, s.end_seconds)
              for s in outline.sections}
    checks = {k: QuizCheck.model_validate(v) for k, v in (state.get("quiz_checks") or {}).items()}
    failing = await asyncio.to_thread(_failing, outline, transcript.duration, slices, contents,
                                      supps, checks)
    # the extractive strategy is deterministic: asking it again would give the same answer
    redo = [] if ctx.extractive() else failing
    redone = await asyncio.gather(*(
        _regenerate(ctx, outline, transcript, i, contents.get(s.id), lp, qp, terms, checks[s.id])
        for i, s, lp, qp in redo))
    for (_, s, _, _), (new_content, new_supp, new_check) in zip(redo, redone, strict=True):
        if new_content is not None:
            contents[s.id] = new_content
        supps[s.id], checks[s.id] = new_supp, new_check

    issues: list[dict[str, Any]] = []
    sections = []
    for seq, s in enumerate(outline.sections):
        content = contents.get(s.id)
        if content is not None:
            content = content.model_copy(update={"markdown": safe_markdown(content.markdown)})
        supp, notes = await asyncio.to_thread(
            _keep_verified, supps.get(s.id), checks[s.id], outline, seq, transcript, wanted,
            terms)
        remaining = lesson_problems(content, s, transcript.duration) + notes
        if not supp.quiz.questions:
            remaining.append("quiz missing: no question could be verified against the section")
        issues += [{"section_id": s.id, "message": m} for m in remaining]
        sections.append(CourseSection(id=s.id, title=s.title, sequence=seq, outline=s,
                                      content=content, supplement=supp))
    # the analysis is still a dict in the state: validated into Analysis like any nested field
    course = GeneratedCourse.model_validate(
        {"outline": outline, "analysis": state.get("analysis"), "sections": sections})
    cov = coverage(outline, transcript)
    await track(runtime, state).step_done(
        "validate", started, f"{len(redo)} section(s) regenerated, coverage {cov:.0%}")
    return {
        "course": to_state(course),
        "validation_issues": issues,
        "contents": {s.id: to_state(contents[s.id])
                     for _, s, _, _ in redo if s.id in contents},
        "supplements": {s.id: to_state(supps[s.id]) for _, s, _, _ in redo},
        "warnings": [f"transcript coverage {cov:.1%}"] if cov < 0.999 else [],
    }
