"""Quiz checks: well-formed items, source refs in range, item-writing flaws, facts agreed."""

from __future__ import annotations

import re
from collections import Counter

from core.domain import GeneratedCourse, QuizQuestion
from evals.dataset import EvalItem, Fact
from evals.evaluators.base import EvalResult, result, skipped
from evals.text import normalise, words

TOLERANCE_S = 1.0
TRUE_FALSE = {"true", "false", "verdadero", "falso", "vrai", "faux", "wahr", "falsch"}
_ABOVE = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these)\b|\b(todas|ninguna) de las anteriores\b"
    r"|\b(toutes|aucune) (les réponses|de ces réponses|des réponses)\b",
    re.IGNORECASE,
)
# Negative stems confuse readers; rule-checkable in capitals (NOT, EXCEPT) or "which ... not".
_NEGATION = re.compile(r"\b(NOT|EXCEPT|NEVER|LEAST)\b|\bwhich\b[^?]*\b(not|except)\b"
                       r"|\bno es\b|\bexcepto\b|\bsauf\b")


def _same(a: str, b: str) -> bool:
    return normalise(a).rstrip(".") == normalise(b).rstrip(".")


def question_checks(q: QuizQuestion, section_range: tuple[float, float]) -> dict[str, bool]:
    """Named pass/fail checks for one question (only those that apply to its type)."""
    checks: dict[str, bool] = {"answer present": bool(q.answer.strip())}
    if q.type == "mcq":
        matches = sum(_same(o, q.answer) for o in q.options)
        checks["at least 3 options"] = len(q.options) >= 3
        checks["answer among options"] = matches >= 1
        checks["exactly one correct option"] = matches == 1
        checks["options distinct"] = len({normalise(o) for o in q.options}) == len(q.options)
        checks["no all/none of the above"] = not any(_ABOVE.search(o) for o in q.options)
        lengths = sorted((len(o) for o in q.options), reverse=True)
        correct_len = len(q.answer)
        uniquely_longest = (
            len(lengths) >= 3 and matches == 1 and correct_len == lengths[0]
            and lengths[1] < lengths[0]
        )
        checks["correct option not uniquely longest"] = not uniquely_longest
    elif q.type == "true_false":
        opts = {normalise(o) for o in q.options} or {"true", "false"}
        checks["true/false options"] = len(opts) == 2 and opts <= TRUE_FALSE
        checks["answer among options"] = normalise(q.answer).rstrip(".") in opts
    checks["stem without negation"] = not _NEGATION.search(q.prompt)
    checks["explanation present"] = len(words(q.explanation)) >= 3
    a, b = section_range
    ref = q.source_ref
    checks["source ref inside section"] = ref is not None and (
        a - TOLERANCE_S <= ref.start_seconds <= ref.end_seconds <= b + TOLERANCE_S
    )
    return checks


def quiz_quality(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Mean share of passed checks per question; a course without questions scores 0."""
    scores: list[float] = []
    failures: Counter[str] = Counter()
    for sec in course.sections:
        questions = sec.supplement.quiz.questions if sec.supplement else []
        rng = (sec.outline.start_seconds, sec.outline.end_seconds)
        for q in questions:
            checks = question_checks(q, rng)
            scores.append(sum(checks.values()) / len(checks))
            failures.update(name for name, ok in checks.items() if not ok)
    if not scores:
        return result("quiz_quality", 0.0, "no quiz questions")
    top = ", ".join(f"{name} ×{n}" for name, n in failures.most_common(4))
    return result("quiz_quality", sum(scores) / len(scores),
                  f"{len(scores)} questions" + (f"; failed: {top}" if top else "; no flaws found"))


def _answer_text(q: QuizQuestion) -> str:
    return normalise(q.answer)


def _asserted(q: QuizQuestion) -> str | None:
    """What the question and its key claim together, or None when that says nothing checkable
    about a fact. A cloze asserts its sentence with the key filled in (the fact may sit in the
    sentence, not in the blank); a true statement asserts itself; a false one only denies
    something, so it is not scored here. Other questions assert their answer."""
    if q.type == "true_false":
        return normalise(q.prompt) if q.answer.strip().lower() in {"true", "verdadero"} else None
    if "____" in q.prompt:
        return normalise(q.prompt.replace("____", q.answer))
    return _answer_text(q)


def _agrees(fact: Fact, q: QuizQuestion) -> bool:
    answer = _asserted(q) or ""
    if any(normalise(r) in answer for r in fact.reject):
        return False
    return any(normalise(t) in answer for t in [fact.answer, *fact.accept])


def quiz_fact_agreement(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Of the quiz questions that ask about a reference fact, the share answered consistently."""
    facts = item.reference.facts if item.reference else []
    if not facts:
        return skipped("quiz_fact_agreement", "no reference facts")
    questions = [q for s in course.sections if s.supplement for q in s.supplement.quiz.questions]
    tested = agreed = 0
    wrong: list[str] = []
    for fact in facts:
        keys = [normalise(k) for k in fact.question_keywords]
        for q in questions:
            if _asserted(q) is not None and all(k in normalise(q.prompt) for k in keys):
                tested += 1
                if _agrees(fact, q):
                    agreed += 1
                else:
                    wrong.append(q.prompt[:60])
    if not tested:
        return skipped("quiz_fact_agreement", f"no question asks about the {len(facts)} facts")
    comment = f"{agreed}/{tested} fact questions agree"
    if wrong:
        comment += f"; disagree: {wrong[:3]}"
    return result("quiz_fact_agreement", agreed / tested, comment)
