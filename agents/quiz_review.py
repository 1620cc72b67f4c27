"""The model's second look at the questions the lexical verifier could not confirm.

Each such question is answered blind from the lines it cites (agents/quiz_blind_check.py): kept
when the blind answer is its key and no distractor is also defensible. Otherwise the model
repairs it once, given the reason and the section's lines; the repaired question must then pass
the lexical verifier or a blind answer. What still fails is left failing, and validate replaces
it with a verified extractive question (reported in the course metadata: QuizReview).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pydantic import Field

from agents.quiz_blind_check import blind_check, cited_segments
from agents.quiz_drafts import QuestionDraft, as_question
from agents.section_checks import QuizCheck, question_problems, shape_problems
from core.domain import CamelModel, OutlineSection, QuizQuestion, SectionSupplement, Segment
from llm.client import LLMClient
from llm.errors import LLMCallFailed
from pipeline.prompt_text import timed_lines
from pipeline.sections import task_section, task_segments
from pipeline.state import SectionTask
from prompts import fence_untrusted, load_prompt

log = logging.getLogger(__name__)


class Replacement(CamelModel):
    """A question an extractive item took the place of, and why."""

    section_id: str
    question_id: str
    prompt: str
    reason: str


class QuizReview(CamelModel):
    """A course's quiz questions by how they passed (validate sums the sections' checks)."""

    kept: int = 0  # as the model wrote them: lexical fast path or blind answer
    kept_by_model: int = 0  # of `kept`, those only the blind answer confirmed
    repaired: int = 0
    replaced: int = 0  # by a verified extractive question (or dropped when none was left)
    replacements: list[Replacement] = Field(default_factory=list)


async def _blind_keeps(q: QuizQuestion, slice_: list[Segment], client: LLMClient,
                       language: str) -> tuple[bool, str]:
    try:
        verdict = await blind_check(q, cited_segments(q.source_ref, slice_), client,
                                    language=language)
    except LLMCallFailed as exc:
        log.warning("blind check failed: %s", exc)
        return False, "the blind check could not be run"
    return verdict.keep, verdict.reason


async def _repair(q: QuizQuestion, reason: str, section: OutlineSection,
                  slice_: list[Segment], client: LLMClient, language: str
                  ) -> QuizQuestion | None:
    shown = q.model_dump(by_alias=True, include={"type", "prompt", "options", "answer",
                                                 "explanation", "source_ref"})
    system, user = load_prompt("quiz_repair").render(
        language=language, reason=reason, question=fence_untrusted(_json(shown), "question"),
        transcript=fence_untrusted(timed_lines(slice_)))
    try:
        draft = await client.structured(QuestionDraft, system=system, user=user,
                                        node="quiz_repair", cache=False)
    except LLMCallFailed as exc:
        log.warning("quiz repair failed: %s", exc)
        return None
    return as_question(draft, section, q.id)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


async def _review_one(q: QuizQuestion, problems: list[str], section: OutlineSection,
                      slice_: list[Segment], client: LLMClient, language: str
                      ) -> tuple[QuizQuestion, list[str], str]:
    """(the question, its remaining problems, how it passed: "model", "repaired" or "")."""
    reason = "; ".join(problems)
    if not shape_problems(q, section):
        keep, why = await _blind_keeps(q, slice_, client, language)
        if keep:
            return q, [], "model"
        reason = why or reason
    fixed = await _repair(q, reason, section, slice_, client, language)
    if fixed is None:
        return q, problems, ""
    left = question_problems(fixed, section, slice_, language)
    if left and not shape_problems(fixed, section):
        keep, why = await _blind_keeps(fixed, slice_, client, language)
        left = [] if keep else [f"question '{fixed.prompt[:60]}': after repair, {why}"]
    return (fixed, [], "repaired") if not left else (q, problems, "")


async def review_quiz(client: LLMClient, supp: SectionSupplement, check: QuizCheck,
                      task: SectionTask) -> tuple[SectionSupplement, QuizCheck]:
    """Blind-check, then repair once, every question the lexical check failed."""
    if check.missing or not check.problems():
        return supp, check
    section, slice_ = task_section(task), task_segments(task)
    failing = [i for i, v in enumerate(check.verdicts) if v]
    reviewed = await asyncio.gather(*(
        _review_one(supp.quiz.questions[i], check.verdicts[i], section, slice_, client,
                    task["language"]) for i in failing))
    questions = list(supp.quiz.questions)
    verdicts, passed = list(check.verdicts), list(check.passed_by)
    for i, (q, left, how) in zip(failing, reviewed, strict=True):
        questions[i], verdicts[i], passed[i] = q, left, how
    quiz = supp.quiz.model_copy(update={"questions": questions})
    return (supp.model_copy(update={"quiz": quiz}),
            check.model_copy(update={"verdicts": verdicts, "passed_by": passed}))

