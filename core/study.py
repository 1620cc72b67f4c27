"""Study cards of a course: its flashcards and quiz questions, each with the moment of the video
it comes from. Anki decks, the mind map's leaves and spaced repetition all use these ids.

A card's id hashes its section and its front, so it survives regeneration when the card is
unchanged and is a new card (a new schedule) when its question changes.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field

from core.domain import CamelModel, GeneratedCourse, QuizQuestion

CardKind = Literal["flashcard", "quiz"]
# A true/false question's options and answer stay canonical ("True"/"False", what the grader
# compares); what a learner reads is in the course's language (cards and the Markdown export).
TRUE_FALSE_WORDS = {"es": {"True": "Verdadero", "False": "Falso"}}


def choice_label(question: QuizQuestion, choice: str, language: str) -> str:
    """How an option or the answer of `question` reads in a course in `language`."""
    if question.type != "true_false":
        return choice
    words = TRUE_FALSE_WORDS.get(language.replace("_", "-").split("-")[0].lower(), {})
    return words.get(choice, choice)


class StudyCard(CamelModel):
    id: str = Field(description="Stable id: kind, then a hash of the section and the front")
    kind: CardKind
    section_id: str
    section_title: str
    front: str
    back: str
    start_seconds: float = Field(ge=0, description="Where in the video the card comes from")


def card_id(kind: CardKind, section_id: str, front: str) -> str:
    digest = hashlib.sha256(f"{section_id}\x1f{front}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}"


def video_link(video_url: str | None, seconds: float) -> str | None:
    """The YouTube URL at that moment (None for courses made from an uploaded transcript)."""
    if not video_url:
        return None
    return f"{video_url}{'&' if '?' in video_url else '?'}t={int(seconds)}s"


def study_cards(course: GeneratedCourse) -> list[StudyCard]:
    cards: list[StudyCard] = []
    language = course.outline.language
    for s in course.sections:
        if s.supplement is None:
            continue
        start = s.outline.start_seconds
        for fc in s.supplement.flashcards:
            cards.append(StudyCard(id=card_id("flashcard", s.id, fc.term), kind="flashcard",
                                   section_id=s.id, section_title=s.title, front=fc.term,
                                   back=fc.definition, start_seconds=start))
        for q in s.supplement.quiz.questions:
            front = q.prompt + "".join(f"\n- {choice_label(q, o, language)}" for o in q.options)
            back = choice_label(q, q.answer, language) + (
                f"\n\n{q.explanation}" if q.explanation else "")
            at = q.source_ref.start_seconds if q.source_ref else start
            cards.append(StudyCard(id=card_id("quiz", s.id, q.prompt), kind="quiz",
                                   section_id=s.id, section_title=s.title, front=front,
                                   back=back, start_seconds=at))
    return cards
