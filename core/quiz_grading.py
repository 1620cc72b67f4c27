"""Grade a learner's answer to a quiz question against its answer key.

The web app marks an answer right when it equals the key, ignoring case and surrounding space
(web/src/views/course.ts); this is the same rule on the server, a little more forgiving of
what a typed answer differs by without meaning anything else: runs of spaces and a final full
stop. A multiple-choice answer may also be given by its option letter ("b")."""

from __future__ import annotations

import re
import string

from pydantic import Field

from core.domain import CamelModel, QuizQuestion


class Grade(CamelModel):
    question_id: str
    correct: bool
    given: str
    answer: str = Field(description="The answer key")
    explanation: str = Field(description="Why the key is right, with its [mm:ss] moment")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip().casefold()


def _by_letter(question: QuizQuestion, given: str) -> str:
    """'b' or 'B)' names the second option of a multiple-choice question."""
    letter = given.strip().rstrip(").").strip().lower()
    if question.options and len(letter) == 1 and letter in string.ascii_lowercase:
        index = string.ascii_lowercase.index(letter)
        if index < len(question.options):
            return question.options[index]
    return given


def grade(question: QuizQuestion, given: str) -> Grade:
    chosen = _by_letter(question, given)
    return Grade(question_id=question.id, correct=_normal(chosen) == _normal(question.answer),
                 given=given, answer=question.answer, explanation=question.explanation)
