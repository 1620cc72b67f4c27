"""Structure: are sections cut where the lecture changes topic (the reference sections)?"""

from __future__ import annotations

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, Finding, finding, result, share, skipped
from evals.evaluators.slices import stamp

WINDOW_S = 30.0  # a section boundary this close to a reference topic shift counts as on it


def boundaries(course: GeneratedCourse) -> list[float]:
    """Interior section starts (the first section's start is no boundary)."""
    starts = sorted(s.outline.start_seconds for s in course.sections)
    return starts[1:]


def topic_boundaries(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Share of reference topic boundaries with a section boundary within 30 s."""
    ref = item.reference
    if ref is None or len(ref.sections) < 2:
        return skipped("topic_boundaries", "no reference sections")
    cuts = boundaries(course)
    hits, findings = 0, []
    for sec in ref.sections[1:]:
        near = min(cuts, key=lambda c: abs(c - sec.start), default=None)
        if near is not None and abs(near - sec.start) <= WINDOW_S:
            hits += 1
        else:
            where = "no section boundary at all" if near is None else (
                f"nearest section boundary {stamp(near)} ({near - sec.start:+.0f} s)")
            findings.append(finding(f"boundary {stamp(sec.start)}",
                                    f"topic shift missed: {where}", sec.title))
    return share("topic_boundaries", hits, len(ref.sections) - 1,
                 f"topic shifts have a section boundary within {WINDOW_S:.0f} s", findings)


def sections_per_topic(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Generated sections per reference section (1.0 = one per topic; reported, not a share:
    the score is min(r, 1/r), so over- and under-splitting both lower it)."""
    ref = item.reference
    if ref is None or not ref.sections:
        return skipped("sections_per_topic", "no reference sections")
    ratio = len(course.sections) / len(ref.sections)
    out = result("sections_per_topic", min(ratio, 1 / ratio) if ratio else 0.0,
                 f"{len(course.sections)} sections for {len(ref.sections)} reference topics "
                 f"(ratio {ratio:.2f})")
    findings: list[Finding] = []
    if ratio > 1.5 or ratio < 0.67:
        findings.append(finding("course", f"{ratio:.2f} sections per reference topic"))
    out["findings"] = findings
    return out
