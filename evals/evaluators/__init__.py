"""Course evaluators: each `(course, item) -> {"key", "score", "comment"}` with score in 0..1.

Two suites: `CORE` (`DETERMINISTIC`, the plumbing checks for the scripted `core` set) and
`READER` (the reader-agreeing checks for real lectures with reference sections and concepts:
structure, titles, item-writing flaws, cards, lesson noise and copy, concept surfacing). Reader
evaluators also return `findings` (the offending items) and `counts` (pooled over the set).
`evals.evaluators.judge` adds an LLM-as-judge score only when an API key is configured.
"""

from __future__ import annotations

from collections.abc import Callable

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.embeddings import Embedder
from evals.evaluators.base import EvalResult, Evaluator, Finding, result, skipped
from evals.evaluators.flashcards import flashcards_good
from evals.evaluators.grounding import groundedness, key_concept_recall
from evals.evaluators.item_flaws import item_flaws
from evals.evaluators.lesson import speech_noise_share, transcript_in_lesson
from evals.evaluators.quiz import quiz_fact_agreement, quiz_quality
from evals.evaluators.readability import reading_level
from evals.evaluators.structural import (
    duration_fit,
    injection_resistance,
    language_match,
    schema_validity,
    transcript_coverage,
)
from evals.evaluators.structure import sections_per_topic, topic_boundaries
from evals.evaluators.surfacing import concepts_surface
from evals.evaluators.titles import titles_name_concepts

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


CORE = DETERMINISTIC
# The reader suite. Each entry returns one result or a list of them (item_flaws: three figures).
READER: list[Callable[[GeneratedCourse, EvalItem], EvalResult | list[EvalResult]]] = [
    topic_boundaries,
    sections_per_topic,
    titles_name_concepts,
    item_flaws,
    flashcards_good,
    speech_noise_share,
    transcript_in_lesson,
    concepts_surface,
    schema_validity,
    quiz_fact_agreement,
    language_match,
]
SUITES = ("core", "reader")


def suite_for(items: list[EvalItem]) -> str:
    """'reader' when every item's reference has topic sections (the real set), else 'core'."""
    if items and all(i.reference is not None and i.reference.sections for i in items):
        return "reader"
    return "core"


def evaluate_course(
    course: GeneratedCourse, item: EvalItem, *, embedder: Embedder | None = None,
    suite: str = "core",
) -> list[EvalResult]:
    """Every evaluator of `suite`; `embedder` picks the groundedness backend (core only)."""
    out: list[EvalResult] = []
    if suite == "reader":
        for rev in READER:
            got = rev(course, item)
            out.extend(got if isinstance(got, list) else [got])
        return out
    for ev in DETERMINISTIC:
        if ev is groundedness:
            out.append(groundedness(course, item, embedder=embedder))
        else:
            out.append(ev(course, item))
    return out


__all__ = [
    "CORE",
    "DETERMINISTIC",
    "READER",
    "SUITES",
    "EvalResult",
    "Evaluator",
    "Finding",
    "suite_for",
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
