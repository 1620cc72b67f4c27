"""The evaluator contract: `(course, item) -> {"key", "score", "comment"}`, score in 0..1.

A score of None means "not applicable" (e.g. no reference notes for this item); the comment says
why, and totals leave it out instead of counting it as 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from core.domain import GeneratedCourse
from evals.dataset import EvalItem


class EvalResult(TypedDict):
    key: str
    score: float | None
    comment: str


Evaluator = Callable[[GeneratedCourse, EvalItem], EvalResult]


def result(key: str, score: float | None, comment: str) -> EvalResult:
    if score is not None:
        score = round(min(1.0, max(0.0, float(score))), 4)
    return {"key": key, "score": score, "comment": comment}


def skipped(key: str, why: str) -> EvalResult:
    return result(key, None, f"skipped: {why}")
