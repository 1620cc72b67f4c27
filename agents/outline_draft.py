"""What the outliner asks the model for: a lax draft that is repaired before it is judged.

Every field the prompt asks for is required (no defaults the model could lean on). Models often
get section times wrong (reversed, overlapping, past the end of the video). Those are
mechanically repairable, so the draft schema accepts them and `repair_draft` sorts and clamps
them into a valid CourseOutline; `fit_outline` then re-cuts the ranges to be contiguous. Only what
cannot be repaired (no sections at all) makes the structured call re-ask the model.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from core.domain import CamelModel, CourseOutline, Difficulty, OutlineSection

TITLE_MAX = 300


class DraftSection(CamelModel):
    title: str
    summary: str
    objectives: list[str]
    start_seconds: float
    end_seconds: float


class OutlineDraft(CamelModel):
    # sent to the model under the name of the outline it describes
    model_config = ConfigDict(title="CourseOutline")

    title: str
    description: str
    difficulty: Difficulty
    language: str
    learning_objectives: list[str]
    estimated_minutes: int
    sections: list[DraftSection] = Field(min_length=1)


def repair_draft(draft: OutlineDraft, *, duration: float, fallback_title: str) -> CourseOutline:
    """Clamp every range into [0, duration], swap reversed ends, sort by start, fill titles."""
    fixed = []
    for i, s in enumerate(draft.sections):
        a, b = sorted((min(max(s.start_seconds, 0.0), duration),
                       min(max(s.end_seconds, 0.0), duration)))
        fixed.append(OutlineSection(
            title=(s.title.strip() or f"Part {i + 1}")[:TITLE_MAX], summary=s.summary,
            objectives=s.objectives, start_seconds=a, end_seconds=b))
    fixed.sort(key=lambda s: (s.start_seconds, s.end_seconds))
    return CourseOutline(
        title=(draft.title.strip() or fallback_title or "Course")[:TITLE_MAX],
        description=draft.description, difficulty=draft.difficulty, language=draft.language,
        learning_objectives=draft.learning_objectives,
        estimated_minutes=max(1, draft.estimated_minutes), sections=fixed)
