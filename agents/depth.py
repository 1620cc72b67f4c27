"""How deep each section goes, from the course's minutes of study (preferences.duration, else the
outline's estimate): the lesson's length and how many questions and exercises it gets. The
section count never depends on it (agents/topics.py)."""

from __future__ import annotations

from dataclasses import dataclass

READING_WPM = 180  # words a student reads per minute of study
READING_SHARE = 0.5  # of a section's study time: the rest goes to the quiz and exercises
MINUTES_PER_QUESTION = 0.75
MIN_WORDS, MAX_WORDS = 200, 1500
MIN_QUESTIONS, MAX_QUESTIONS = 2, 8
MINUTES_PER_EXERCISE = 5


@dataclass(frozen=True)
class Depth:
    lesson_words: int
    questions: int
    exercises: int


def section_depth(study_minutes: float, fixed_questions: int | None = None) -> Depth:
    """The depth of one section given its share of the course's study time; `fixed_questions`
    (a run's explicit quiz size) wins over the derived count."""
    words = round(study_minutes * READING_SHARE * READING_WPM / 50) * 50
    quiz_minutes = study_minutes * (1 - READING_SHARE) * 0.6
    questions = round(quiz_minutes / MINUTES_PER_QUESTION)
    exercises = round(study_minutes * (1 - READING_SHARE) * 0.4 / MINUTES_PER_EXERCISE)
    return Depth(lesson_words=min(max(words, MIN_WORDS), MAX_WORDS),
                 questions=fixed_questions or min(max(questions, MIN_QUESTIONS), MAX_QUESTIONS),
                 exercises=min(max(exercises, 1), 3))
