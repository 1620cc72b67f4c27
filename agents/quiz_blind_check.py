"""The model-backed check of a quiz question the lexical verifier could not confirm.

A question that tests understanding ("what does the cookie cutter stand for?") rarely repeats
the lecture's words, so `nlp.quiz_verifier` cannot find its key. Here a model answers it blind:
the question and its options plus the transcript lines it cites, never the key. The question is
kept when the blind answer is the key and no distractor is also defensible from those lines.
`blind_check` is the public entry point (the calibration harness in evals/ calls it too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Protocol, TypeVar

from pydantic import BaseModel

from core.domain import CamelModel, QuizQuestion, Segment, SourceRef
from nlp.textutil import content_stems, fold
from pipeline.prompt_text import timed_lines
from prompts import fence_untrusted, load_prompt

T = TypeVar("T", bound=BaseModel)
CITE_SLACK = 2.0  # seconds: a cited range is widened this much to whole lines around it
SHORT_AGREEMENT = 0.6  # share of the key's content words a blind short answer must contain
OPTION_MATCH = 0.85  # a blind answer this similar to an option names it (a copying slip)


class StructuredModel(Protocol):
    """What blind_check needs of a model: llm.client.LLMClient satisfies it."""

    async def structured(self, schema: type[T], *, system: str, user: str, node: str,
                         cache: bool = True) -> T: ...


class BlindAnswer(CamelModel):
    """The model's answer, given the question and the lines but not the key."""

    answerable: bool
    answer: str
    also_defensible: list[str]
    reason: str


@dataclass(frozen=True)
class BlindVerdict:
    keep: bool
    answer: str  # the blind answer (an option's text, or a short answer)
    also_defensible: list[str] = field(default_factory=list)
    reason: str = ""  # why it is not kept (for the repair prompt), or the model's reason

    @property
    def problem(self) -> str:
        return "" if self.keep else self.reason


def cited_segments(ref: SourceRef | None, segments: Sequence[Segment],
                   slack: float = CITE_SLACK) -> list[Segment]:
    """The segments a sourceRef names (overlapping it, give or take `slack`); all of them when
    it names none."""
    if ref is None:
        return list(segments)
    lo, hi = ref.start_seconds - slack, ref.end_seconds + slack
    return [s for s in segments if s.end > lo and s.start < hi]


def _norm(text: str) -> str:
    return " ".join(fold(text).split()).strip(" .")


def _same(a: str, b: str) -> bool:
    return _norm(a) == _norm(b)


def _option(answer: str, options: list[str]) -> str:
    """The option a blind answer names: the same text, else the one it copies with a word or
    two changed ('in them' for 'in it'); else the answer itself (no option)."""
    exact = next((o for o in options if _same(o, answer)), None)
    if exact is not None:
        return exact
    close = max(options, default=None,
                key=lambda o: SequenceMatcher(None, _norm(o), _norm(answer)).ratio())
    if close is not None and SequenceMatcher(None, _norm(close), _norm(answer)).ratio() >= \
            OPTION_MATCH:
        return close
    return answer


def _question_text(q: QuizQuestion) -> str:
    if q.type == "short":
        return f"Question (short answer): {q.prompt}"
    options = "\n".join(f"- {o}" for o in q.options)
    return f"Question ({q.type}): {q.prompt}\nOptions:\n{options}"


def render(question: QuizQuestion, lines: str) -> tuple[str, str]:
    return load_prompt("quiz_blind").render(question=_question_text(question),
                                            lines=fence_untrusted(lines))


def judge(question: QuizQuestion, blind: BlindAnswer, language: str = "en") -> BlindVerdict:
    """Keep when the blind answer is the key and nothing else is defensible."""
    if not blind.answerable or not blind.answer.strip():
        return BlindVerdict(False, "", [], "the cited lines do not settle this question: "
                            f"{blind.reason}".strip())
    if question.type == "short":
        key = set(content_stems(question.answer, language))
        got = set(content_stems(blind.answer, language))
        agree = bool(key) and len(key & got) / len(key) >= SHORT_AGREEMENT
        return BlindVerdict(agree, blind.answer, [], "" if agree else (
            f"answered from the lines, the question gives '{blind.answer}', not the key"))
    picked = _option(blind.answer, question.options)
    others = [o for o in question.options
              if not _same(o, question.answer)
              and any(_same(o, d) for d in blind.also_defensible)]
    if not _same(picked, question.answer):
        return BlindVerdict(False, picked, others, f"answered from the lines, the question "
                            f"gives '{picked}', not the key '{question.answer}'")
    if others:
        return BlindVerdict(False, picked, others, "the lines also support "
                            + ", ".join(f"'{o}'" for o in others))
    return BlindVerdict(True, picked, [], blind.reason)


async def blind_check(question: QuizQuestion, lines: str | Sequence[Segment],
                      model: StructuredModel, *, language: str = "en") -> BlindVerdict:
    """Answer `question` from `lines` only (timed lines, or the segments they are made of)
    without its key, and judge that answer against the key."""
    text = lines if isinstance(lines, str) else timed_lines(lines)
    system, user = render(question, text)
    blind = await model.structured(BlindAnswer, system=system, user=user, node="quiz_blind")
    return judge(question, blind, language)
