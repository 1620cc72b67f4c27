"""Validate: deterministic checks of every section, one regeneration of failing pieces, then
repair-or-report. Builds the final GeneratedCourse."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langgraph.runtime import Runtime

from agents.supplement import draft_supplement, extract_supplement
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
    Segment,
    Transcript,
)
from core.markdown_safety import safe_markdown
from nlp.quiz_verifier import verify_question
from pipeline.context import CourseContext, context_of
from pipeline.sections import course_terms, owned_segments, ref_inside, section_task
from pipeline.state import CourseState
from pipeline.tracking import track

MIN_LESSON_CHARS = 40


def question_problems(q: QuizQuestion, section: OutlineSection, slice_: list[Segment],
                      language: str) -> list[str]:
    """Shape rules, then the verifier: the key must be supported by the section's transcript
    slice and no distractor may be, whichever model wrote the question."""
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
    if not problems:
        # the range was checked against the section above; the verifier judges the content
        unplaced = q.model_copy(update={"source_ref": None})
        problems += [f"question '{q.prompt[:60]}': {p}" for p in verify_question(
            unplaced, [(g.start, g.end, g.text) for g in slice_], language)]
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


def supplement_problems(supp: SectionSupplement | None, section: OutlineSection,
                        slice_: list[Segment], language: str) -> list[str]:
    if supp is None or not supp.quiz.questions:
        return ["quiz missing"]
    return [p for q in supp.quiz.questions
            for p in question_problems(q, section, slice_, language)]


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
                      quiz_issues: list[str], terms: list[str]
                      ) -> tuple[SectionContent | None, SectionSupplement]:
    feedback = "\n".join(f"- {p}" for p in lesson_issues + quiz_issues)
    task = section_task(outline, index, transcript, feedback=feedback, terms=terms)
    if lesson_issues or content is None:
        content, _ = await draft_lesson(ctx, task, cache=False)
    task["content"] = content.model_dump(by_alias=True)
    return content, await draft_supplement(ctx, task, cache=False)


def _keep_verified(supp: SectionSupplement | None, outline: CourseOutline, index: int,
                   transcript: Transcript, slice_: list[Segment], recheck: bool, wanted: int,
                   terms: list[str]) -> tuple[SectionSupplement, list[str]]:
    """Drop every question that still fails, and put verified extractive questions in their
    place; returns the supplement and one note per replaced or dropped question. Only a
    section that failed (and so may have been regenerated) is checked again: the others
    passed every check a moment ago."""
    section = outline.sections[index]
    supp = supp or SectionSupplement(section_id=section.id)
    kept, notes = [], []
    for q in supp.quiz.questions:
        problems = question_problems(q, section, slice_, outline.language) if recheck else []
        if problems:
            notes.append(f"replaced a question that failed verification: {problems[0]}")
        else:
            kept.append(q)
    missing = max(wanted, len(supp.quiz.questions)) - len(kept)
    if missing > 0:
        task = section_task(outline, index, transcript, terms=terms)
        seen = {q.prompt for q in kept}
        spare = [q for q in extract_supplement(task, len(kept) + missing).quiz.questions
                 if q.prompt not in seen]
        kept += spare[:missing]
    quiz = Quiz(questions=[q.model_copy(update={"id": f"{section.id}-q{i}"})
                           for i, q in enumerate(kept, start=1)])
    return supp.model_copy(update={"quiz": quiz}), notes


def _failing(outline: CourseOutline, duration: float, slices: dict[str, list[Segment]],
             contents: dict[str, SectionContent], supps: dict[str, SectionSupplement]
             ) -> list[tuple[int, OutlineSection, list[str], list[str]]]:
    failing = []
    for i, s in enumerate(outline.sections):
        lp = lesson_problems(contents.get(s.id), s, duration)
        qp = supplement_problems(supps.get(s.id), s, slices[s.id], outline.language)
        if lp or qp:
            failing.append((i, s, lp, qp))
    return failing


async def validate(state: CourseState, runtime: Runtime[Any]) -> dict[str, Any]:
    """Check every section; regenerate failing pieces once; replace unverifiable questions;
    sanitize lessons; report what remains."""
    started = time.monotonic()
    ctx = context_of(runtime)
    outline = CourseOutline.model_validate(state["outline"])
    transcript = Transcript.model_validate(state["transcript"])
    contents = {k: SectionContent.model_validate(v)
                for k, v in (state.get("contents") or {}).items()}
    supps = {k: SectionSupplement.model_validate(v)
             for k, v in (state.get("supplements") or {}).items()}
    terms = course_terms(state)
    wanted = ctx.quiz_questions or ctx.cfg().quiz_questions_per_section

    slices = {s.id: owned_segments(transcript.segments, s.start_seconds, s.end_seconds)
              for s in outline.sections}
    failing = await asyncio.to_thread(_failing, outline, transcript.duration, slices, contents,
                                      supps)
    failed_ids = {s.id for _, s, _, _ in failing}
    # the extractive strategy is deterministic: asking it again would give the same answer
    redo = [] if ctx.extractive() else failing
    redone = await asyncio.gather(*(
        _regenerate(ctx, outline, transcript, i, contents.get(s.id), lp, qp, terms)
        for i, s, lp, qp in redo))
    for (_, s, _, _), (new_content, new_supp) in zip(redo, redone, strict=True):
        if new_content is not None:
            contents[s.id] = new_content
        supps[s.id] = new_supp

    issues: list[dict[str, Any]] = []
    sections = []
    for seq, s in enumerate(outline.sections):
        content = contents.get(s.id)
        if content is not None:
            content = content.model_copy(update={"markdown": safe_markdown(content.markdown)})
        supp, notes = await asyncio.to_thread(
            _keep_verified, supps.get(s.id), outline, seq, transcript, slices[s.id],
            s.id in failed_ids, wanted, terms)
        remaining = lesson_problems(content, s, transcript.duration) + notes
        if not supp.quiz.questions:
            remaining.append("quiz missing: no question could be verified against the section")
        issues += [{"sectionId": s.id, "message": m} for m in remaining]
        sections.append(CourseSection(id=s.id, title=s.title, sequence=seq, outline=s,
                                      content=content, supplement=supp))
    # the analysis is still a dict in the state: validated into Analysis like any nested field
    course = GeneratedCourse.model_validate(
        {"outline": outline, "analysis": state.get("analysis"), "sections": sections})
    cov = coverage(outline, transcript)
    await track(runtime, state).step_done(
        "validate", started, f"{len(redo)} section(s) regenerated, coverage {cov:.0%}")
    return {
        "course": course.model_dump(by_alias=True),
        "validation_issues": issues,
        "contents": {s.id: contents[s.id].model_dump(by_alias=True)
                     for _, s, _, _ in redo if s.id in contents},
        "supplements": {s.id: supps[s.id].model_dump(by_alias=True) for _, s, _, _ in redo},
        "warnings": [f"transcript coverage {cov:.1%}"] if cov < 0.999 else [],
    }
