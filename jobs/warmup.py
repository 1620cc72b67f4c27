"""Pay a process's one-time costs when it starts, not inside its first course.

Measured by benchmarks/fixedcost_bench.py (the first course in a fresh `coursegen serve`, 0.3 s
per LLM call): without this, 0.6-0.9 s of that course passed with no LLM call in flight —
loading the tokenizer's BPE tables (~0.35 s) before the first prompt is sized, importing the
OpenAI client and building its TLS contexts (~0.1 s) before the first call, and the quiz
verifier's first use (~0.4 s) in validate. Every later course found them ready.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from agents.analyzer import AnalysisSummary
from agents.outline_draft import OutlineDraft
from agents.quiz_blind_check import BlindAnswer
from agents.quiz_drafts import QuestionDraft
from agents.supplement import SupplementDraft
from agents.writer import LessonDraft
from core.config import Settings
from core.domain import Analysis, QuizQuestion
from core.markdown_safety import safe_markdown
from graph.course import compile_course_graph
from llm.client import build_llm_client
from llm.factory import ChatFactory
from llm.tokens import count_tokens
from nlp.quiz_verifier import verify_question

log = logging.getLogger(__name__)

# what the course graph's agents ask the model for
COURSE_SCHEMAS = (Analysis, AnalysisSummary, OutlineDraft, LessonDraft, SupplementDraft,
                  BlindAnswer, QuestionDraft)

_SLICE = [(0.0, 4.0, "A cache keeps a copy of a response so the next request is served "
                     "without asking the server again."),
          (4.0, 8.0, "The max-age directive says how many seconds the copy stays fresh.")]
_QUESTION = QuizQuestion(
    id="warm-q1", type="mcq", prompt="What does the max-age directive say?",
    options=["How many seconds the copy stays fresh", "Which server sent the response",
             "How large the response is", "Who may read the response"],
    answer="How many seconds the copy stays fresh",
    explanation="The lecture says max-age is how many seconds the copy stays fresh.")


def warm_process(settings: Settings, *, chat_factory: ChatFactory | None = None,
                 checkpointer: Any = None) -> float:
    """Load what every course uses once per process; returns the seconds it took. Blocking:
    run it in a thread. Nothing here calls a model or the network."""
    started = time.perf_counter()
    client = build_llm_client(settings, chat_factory=chat_factory)
    for spec in client.registry.models:
        count_tokens("warm", spec.name)  # the model's encoding, built once per process
    if not client.registry.extractive:
        # imports the provider client (its HTTP clients are cached per base URL) and builds
        # the course agents' structured-output runnables, which later runs share
        client.prepare(*COURSE_SCHEMAS)
    compile_course_graph(checkpointer)
    verify_question(_QUESTION, _SLICE, "en")
    safe_markdown("# Warm\n\nA *lesson*.")
    seconds = time.perf_counter() - started
    log.info("process warmed in %.2fs", seconds)
    return seconds
