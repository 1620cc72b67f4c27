"""The evaluator contract: `(course, item) -> {"key", "score", "comment"}`, score in 0..1.

A score of None means "not applicable" (e.g. no reference notes for this item); the comment says
why, and totals leave it out instead of counting it as 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NotRequired, TypedDict

from core.domain import GeneratedCourse
from evals.dataset import EvalItem


class Finding(TypedDict):
    """One offending thing a reader can look up: where (`s3`, `s3 q2`, `card 4`, `boundary
    05:30`), why, and the text itself."""

    where: str
    reason: str
    text: str


class EvalResult(TypedDict):
    key: str
    score: float | None
    comment: str
    # The reader-agreeing evaluators also list what they flagged and the share's counts
    # (numerator, denominator), so a set total is pooled over all items, not a mean of means.
    findings: NotRequired[list[Finding]]
    counts: NotRequired[tuple[int, int]]


Evaluator = Callable[[GeneratedCourse, EvalItem], EvalResult]


def result(key: str, score: float | None, comment: str) -> EvalResult:
    if score is not None:
        score = round(min(1.0, max(0.0, float(score))), 4)
    return {"key": key, "score": score, "comment": comment}


def share(key: str, hits: int, total: int, comment: str,
          findings: list[Finding] | None = None) -> EvalResult:
    """A share `hits/total` with its counts and findings; skipped when nothing was counted."""
    if total == 0:
        out = skipped(key, comment)
    else:
        out = result(key, hits / total, f"{hits}/{total} {comment}")
        out["counts"] = (hits, total)
    out["findings"] = findings or []
    return out


def finding(where: str, reason: str, text: str = "") -> Finding:
    return {"where": where, "reason": reason, "text": text[:160]}


def skipped(key: str, why: str) -> EvalResult:
    return result(key, None, f"skipped: {why}")
