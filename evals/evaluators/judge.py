"""LLM-as-judge: a second opinion on faithfulness and teaching quality, only with an API key.

Runs through the project's LLMClient (same retries, cost ledger and model routing as the graph).
Without OPENAI_API_KEY or a configured model registry it is skipped: the embedded local model is
too weak to grade anything, so its verdicts would be noise.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import BaseModel, Field

from core.config import Settings
from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, result, skipped
from evals.text import section_text
from llm.client import LLMClient
from llm.tokens import fit_context
from prompts import fence_untrusted

PROMPT_FILE = Path(__file__).parents[1] / "judge_prompt.md"
_PROMPT = PROMPT_FILE.read_text(encoding="utf-8")
# The prompt is versioned like prompts/*.md (bump the first line when it changes); it lives in
# evals/ so that it is not part of the course cache key.
JUDGE_VERSION = re.match(r"<!--\s*version:\s*([\w./-]+)\s*-->", _PROMPT).group(1)  # type: ignore[union-attr]
SYSTEM = _PROMPT.split("## system", 1)[1].split("## user", 1)[0].strip()
BUDGET_TOKENS = 6000
CRITERIA = ("faithfulness", "structure", "titles", "quiz", "cards", "lesson")


class Verdict(BaseModel):
    faithfulness: int = Field(ge=1, le=5)
    structure: int = Field(ge=1, le=5)
    titles: int = Field(ge=1, le=5)
    quiz: int = Field(ge=1, le=5)
    cards: int = Field(ge=1, le=5)
    lesson: int = Field(ge=1, le=5)
    learner_ready: bool = Field(description="would you hand the course to a learner as it is")
    reason: str = Field(description="one or two sentences: the worst problems")


def judge_available(settings: Settings) -> bool:
    return bool(settings.openai_api_key or os.environ.get("OPENAI_API_KEY") or settings.models_json)


def _course_digest(course: GeneratedCourse) -> str:
    parts = [f"# {course.outline.title}"]
    for sec in course.sections:
        o = sec.outline
        parts.append(f"## {sec.title} [{o.start_seconds:.0f}-{o.end_seconds:.0f} s]\n"
                     f"{section_text(sec)}")
        for q in sec.supplement.quiz.questions if sec.supplement else []:
            parts.append(f"Q: {q.prompt} | options: {q.options} | answer: {q.answer}")
        for card in sec.supplement.flashcards if sec.supplement else []:
            parts.append(f"Card: {card.term} — {card.definition}")
    return "\n".join(parts)


def _concepts(item: EvalItem) -> str:
    forms = item.reference.key_concepts if item.reference else []
    return "Key concepts a learner must leave with: " + (
        "; ".join(" / ".join(f) for f in forms) if forms else "(not given)")


async def llm_judge(course: GeneratedCourse, item: EvalItem, *, llm: LLMClient | None,
                    settings: Settings) -> EvalResult:
    if llm is None or not judge_available(settings):
        return skipped("llm_judge", "no API key configured (set OPENAI_API_KEY to enable)")
    half = BUDGET_TOKENS // 2
    # The judge sees a bounded excerpt of both; truncation is logged by fit_context.
    transcript = fit_context("", item.transcript.text, half).text
    digest = fit_context("", _course_digest(course), half).text
    user = "\n\n".join([fence_untrusted(transcript, "transcript"),
                         fence_untrusted(_concepts(item), "concepts"),
                         fence_untrusted(digest, "course")])
    verdict = await llm.structured(Verdict, system=SYSTEM, user=user, node="eval_judge",
                                   priority="quality", max_output_tokens=400)
    marks = {c: getattr(verdict, c) for c in CRITERIA}
    score = sum(m - 1 for m in marks.values()) / (4 * len(marks))
    return result("llm_judge", score, ", ".join(f"{c} {m}/5" for c, m in marks.items())
                  + f"; learner-ready {'yes' if verdict.learner_ready else 'no'} "
                  f"({JUDGE_VERSION}): {verdict.reason}")
