"""Deterministic checks of one section: a lesson's shape, and every quiz question against the
section's transcript slice. The supplement branch runs them as soon as its quiz is written,
while other sections still wait on the model; validate reuses those results."""

from __future__ import annotations

from pydantic import Field

from core.domain import (
    CamelModel,
    OutlineSection,
    QuizQuestion,
    SectionContent,
    SectionSupplement,
    Segment,
)
from nlp.quiz_verifier import verify_question
from nlp.textutil import fold
from pipeline.sections import ref_inside

MIN_LESSON_CHARS = 40


def shape_problems(q: QuizQuestion, section: OutlineSection) -> list[str]:
    """What no reading of the transcript can fix: options, key, explanation, cited range."""
    problems = []
    if q.type in ("mcq", "true_false"):
        distinct = {" ".join(fold(o).split()) for o in q.options}
        if len(q.options) < 2 or len(distinct) != len(q.options):
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


def question_problems(q: QuizQuestion, section: OutlineSection, slice_: list[Segment],
                      language: str) -> list[str]:
    """Shape rules, then the lexical verifier: the key must be supported by the section's
    transcript slice and no distractor may be, whichever model wrote the question."""
    problems = shape_problems(q, section)
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


class QuizCheck(CamelModel):
    """The verdict on one section's quiz: problems per question (in quiz order) and, when any
    failed, verified extractive questions ready to take their place."""

    missing: bool = False  # no quiz at all
    verdicts: list[list[str]] = Field(default_factory=list)
    # per question, how it passed: "lexical" (the verifier found its key), "model" (a blind
    # answer agreed), "repaired" (rewritten once, then confirmed); "" while it fails
    passed_by: list[str] = Field(default_factory=list)
    spares: list[QuizQuestion] = Field(default_factory=list)
    spares_for: int = 0  # the quiz length the spares were drawn for (0: none drawn)

    @classmethod
    def of(cls, supp: SectionSupplement | None, section: OutlineSection,
           slice_: list[Segment], language: str) -> QuizCheck:
        if supp is None or not supp.quiz.questions:
            return cls(missing=True)
        verdicts = [question_problems(q, section, slice_, language)
                    for q in supp.quiz.questions]
        return cls(verdicts=verdicts, passed_by=["" if v else "lexical" for v in verdicts])

    def problems(self) -> list[str]:
        return ["quiz missing"] if self.missing else [p for v in self.verdicts for p in v]
