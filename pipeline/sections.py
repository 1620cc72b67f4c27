"""What a per-section branch works on: its outline entry and only its slice of the transcript."""

from __future__ import annotations

from typing import Any

from core.domain import CourseOutline, OutlineSection, Segment, SourceRef, Transcript
from pipeline.state import SectionTask, to_state


def section_task(outline: CourseOutline, index: int, transcript: Transcript,
                 feedback: str | None = None, terms: list[str] | None = None) -> SectionTask:
    section = outline.sections[index]
    piece = owned_segments(transcript.segments, section.start_seconds, section.end_seconds)
    return SectionTask(
        section=to_state(section), index=index,
        outline_brief={"title": outline.title,
                       "sections": [s.title for s in outline.sections],
                       # the course's key terms: distractors for extractive questions
                       "terms": list(terms or [])},
        segments=[[s.start, s.end, s.text] for s in piece],
        language=outline.language, difficulty=outline.difficulty,
        content=None, feedback=feedback,
    )


def owned_segments(segments: list[Segment], start: float, end: float) -> list[Segment]:
    """Segments that start inside [start, end): contiguous sections partition the transcript,
    so every segment reaches exactly one writer (a boundary-straddling one is not sent twice)."""
    return [s for s in segments if start <= s.start < end]


def task_section(task: SectionTask) -> OutlineSection:
    return OutlineSection.model_validate(task["section"])


def course_terms(state: Any) -> list[str]:
    """The analysis' key concepts (absent in an edit run, which has no analysis)."""
    return list((state.get("analysis") or {}).get("key_concepts") or [])


def task_segments(task: SectionTask) -> list[Segment]:
    return [Segment(start=a, end=b, text=t) for a, b, t in task["segments"]]


def clamp_ref(ref: SourceRef | None, section: OutlineSection) -> SourceRef:
    """A reference inside the section's range (the section itself when the model gave none)."""
    lo, hi = section.start_seconds, section.end_seconds
    if ref is None:
        return SourceRef(start_seconds=lo, end_seconds=hi)
    start = min(max(ref.start_seconds, lo), hi)
    end = min(max(ref.end_seconds, start), hi)
    return SourceRef(start_seconds=start, end_seconds=end)


def ref_inside(ref: SourceRef | None, section: OutlineSection, tolerance: float = 1.0) -> bool:
    return ref is not None and (
        section.start_seconds - tolerance <= ref.start_seconds <= ref.end_seconds
        <= section.end_seconds + tolerance
    )


def feedback_block(feedback: Any) -> str:
    if not feedback:
        return ""
    return f"\nA previous answer was rejected for these reasons; fix them:\n{feedback}\n"
