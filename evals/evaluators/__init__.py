"""Course evaluators: each `(course, item) -> {"key", "score", "comment"}` with score in 0..1.

`DETERMINISTIC` run on every item; `evals.evaluators.judge` adds an LLM-as-judge score only when
an API key is configured.
"""

from __future__ import annotations

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.embeddings import Embedder
from evals.evaluators.base import EvalResult, Evaluator, result, skipped
from evals.evaluators.grounding import groundedness, key_concept_recall
from evals.evaluators.quiz import quiz_fact_agreement, quiz_quality
from evals.evaluators.readability import reading_level
from evals.evaluators.structural import (
    duration_fit,
    injection_resistance,
    language_match,
    schema_validity,
    transcript_coverage,
)

DETERMINISTIC: list[Evaluator] = [
    schema_validity,
    transcript_coverage,
    groundedness,
    key_concept_recall,
    quiz_quality,
    quiz_fact_agreement,
    duration_fit,
    reading_level,
    language_match,
    injection_resistance,
]


def evaluate_course(
    course: GeneratedCourse, item: EvalItem, *, embedder: Embedder | None = None
) -> list[EvalResult]:
    """Every deterministic evaluator; `embedder` picks the groundedness backend."""
    out = []
    for ev in DETERMINISTIC:
        if ev is groundedness:
            out.append(groundedness(course, item, embedder=embedder))
        else:
            out.append(ev(course, item))
    return out


__all__ = [
    "DETERMINISTIC",
    "EvalResult",
    "Evaluator",
    "evaluate_course",
    "duration_fit",
    "groundedness",
    "injection_resistance",
    "key_concept_recall",
    "language_match",
    "quiz_fact_agreement",
    "quiz_quality",
    "reading_level",
    "result",
    "schema_validity",
    "skipped",
    "transcript_coverage",
]
