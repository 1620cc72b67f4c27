"""What the model is asked to write for a quiz: only the fields the prompts require, required;
`as_question` turns a draft into the served QuizQuestion (stable id, canonical true/false options,
a reference inside the section)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from core.domain import (
    CamelModel,
    Flashcard,
    OutlineSection,
    QuestionType,
    QuizQuestion,
    SourceRef,
)
from pipeline.sections import clamp_ref

TRUE_FALSE = ["True", "False"]


class QuestionDraft(CamelModel):
    """A question as the model writes it: what the prompt asks for is required, nothing more."""

    type: QuestionType
    prompt: str
    # Strict structured output makes every property required: a short question's "no options"
    # is null (or an empty list), not a missing field.
    options: list[str] | None = Field(description='mcq: 4 options; true_false: "True", '
                                      '"False"; short: null')
    answer: str
    explanation: str
    source_ref: SourceRef = Field(description="The time range of the lines that prove the answer")


class ExerciseDraft(CamelModel):
    prompt: str
    solution: str


class SupplementDraft(CamelModel):
    """A section's quiz and practice (the supplement prompt, or the writer's combined call)."""

    questions: list[QuestionDraft]
    exercises: list[ExerciseDraft]
    flashcards: list[Flashcard]


def as_question(q: QuestionDraft | QuizQuestion, section: OutlineSection, qid: str
                ) -> QuizQuestion:
    """Stable id, canonical true/false options, a reference inside the section's range."""
    update: dict[str, Any] = {"id": qid, "source_ref": clamp_ref(q.source_ref, section)}
    data = {**q.model_dump(by_alias=False), **update}  # field names: the update must win
    data["options"] = data.get("options") or []
    if q.type == "true_false":
        answer = q.answer.strip().lower()
        data["options"] = TRUE_FALSE
        data["answer"] = {"true": "True", "false": "False"}.get(answer, q.answer)
    if q.type == "short":
        data["options"] = []
    return QuizQuestion.model_validate(data)
