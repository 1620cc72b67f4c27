"""Graph state. Values are JSON-able dicts (checkpointed by any saver without custom types);
nodes turn them into the Pydantic models of core.domain at their edges. One casing inside:
state holds snake_case dumps (`to_state`); camelCase is for the HTTP API and the stored rows."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from pydantic import BaseModel
from typing_extensions import TypedDict  # pydantic (Studio schemas) needs it on Python < 3.12


def to_state(model: BaseModel) -> dict[str, Any]:
    """A domain model as graph state holds it: snake_case keys (the models serialise camelCase
    by default, for the API)."""
    return model.model_dump(by_alias=False)


def merge_dicts(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer for per-section results written by parallel branches (later write wins)."""
    return {**(left or {}), **(right or {})}


class CourseInput(TypedDict, total=False):
    course_id: str
    # one of: a YouTube URL/video id, or the text of an .srt/.vtt/.txt transcript
    url: str
    video_id: str
    transcript_text: str
    transcript_format: str
    title: str
    preferences: dict[str, Any]
    review: bool
    transcript: dict[str, Any]          # an already parsed sources.transcript.Transcript dump


class CourseState(CourseInput, total=False):
    analysis: dict[str, Any]            # core.domain.Analysis
    outline: dict[str, Any]             # core.domain.CourseOutline
    contents: Annotated[dict[str, Any], merge_dicts]      # section id -> SectionContent
    supplements: Annotated[dict[str, Any], merge_dicts]   # section id -> SectionSupplement
    # section id -> agents.section_checks.QuizCheck: the supplement branch's verdict on its quiz
    quiz_checks: Annotated[dict[str, Any], merge_dicts]
    regenerate: list[str]               # section ids an edit asked to regenerate (None = all)
    previous_outline: dict[str, Any]    # outline before an edit (edit graph input)
    impacts: list[dict[str, Any]]       # core.domain.ModificationImpact of that edit
    section_errors: Annotated[dict[str, Any], merge_dicts]  # section id -> why its branch failed
    validation_issues: list[dict[str, Any]]
    warnings: Annotated[list[str], operator.add]
    course: dict[str, Any]              # core.domain.GeneratedCourse, set by validate


class EditInput(TypedDict, total=False):
    course_id: str
    previous_outline: dict[str, Any]
    outline: dict[str, Any]
    transcript: dict[str, Any]
    contents: dict[str, Any]
    supplements: dict[str, Any]
    impacts: list[dict[str, Any]]
    regenerate: list[str]


class CourseOutput(TypedDict, total=False):
    course_id: str
    impacts: list[dict[str, Any]]
    course: dict[str, Any]
    section_errors: Annotated[dict[str, Any], merge_dicts]  # section id -> why its branch failed
    validation_issues: list[dict[str, Any]]
    warnings: list[str]


class SectionTask(TypedDict):
    """What one parallel writer/supplement branch receives: its section and its slice only."""

    section: dict[str, Any]
    index: int
    outline_brief: dict[str, Any]
    segments: list[list[Any]]           # [[start, end, text], ...] inside the section's range
    language: str
    difficulty: str
    content: dict[str, Any] | None
    feedback: str | None
