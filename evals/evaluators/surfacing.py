"""Coverage of what matters: reference concepts that surface where a learner studies them — a
section title, a key point, a quiz key (or the concept a true/false statement tests) or a
flashcard term — not merely somewhere in the notes."""

from __future__ import annotations

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, share, skipped
from evals.evaluators.base import finding as make_finding
from evals.evaluators.slices import stamp
from evals.lexicon import concepts_of, mentions

TRUE_FALSE = {"true", "false", "verdadero", "falso"}


def study_texts(course: GeneratedCourse) -> list[str]:
    texts = [s.title for s in course.sections]
    for sec in course.sections:
        if sec.content:
            texts += sec.content.key_points
        if sec.supplement:
            for q in sec.supplement.quiz.questions:
                if q.answer.strip().lower() in TRUE_FALSE:
                    continue  # a true/false key names nothing
                texts.append(q.answer)
            texts += [f.term for f in sec.supplement.flashcards]
    return texts


def concepts_surface(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    concepts = concepts_of(item.reference)
    if not concepts:
        return skipped("concepts_surface", "no reference concepts")
    texts = study_texts(course)
    hits, findings = 0, []
    for c in concepts:
        if any(mentions(f, t) for f in c.forms for t in texts):
            hits += 1
        else:
            at = f" (taught at {stamp(c.first_seconds)})" if c.first_seconds is not None else ""
            findings.append(make_finding("course", f"concept never in a title, key point, quiz "
                                         f"key or card{at}", c.term))
    return share("concepts_surface", hits, len(concepts),
                 "key concepts surface in a title, key point, quiz key or card", findings)
