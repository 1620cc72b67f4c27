"""The validator's quiz verifier through the whole graph: whatever the model writes, no question
ships unless its key is supported by the section's slice and no distractor is.

The scripted model below answers every quiz request (the first and the one regeneration) with a
question broken in one way; the course must come out with verified replacements and a record of
each replacement in validationIssues.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from core.domain import GeneratedCourse, Preferences, QuizQuestion, Transcript
from graph.course import compile_course_graph
from graph.runner import run_graph
from llm.client import LLMClient
from llm.registry import ModelRegistry, ModelSpec
from nlp.quiz_verifier import verify_question
from pipeline.context import CourseContext
from pipeline.sections import owned_segments
from sources.transcript import parse_transcript
from testkit.scripted import FakeChatModel
from testkit.scripted_course import course_responder

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt"
RANGE = re.compile(r"range ([\d.]+)-([\d.]+) seconds")
LINE = re.compile(r"<lesson_text>(.*?)</lesson_text>", re.DOTALL)


def _first_sentence(user: str) -> str:
    lesson = LINE.search(user)
    text = lesson.group(1) if lesson else user
    prose = [ln for ln in text.splitlines()
             if ln.strip() and not ln.lstrip().startswith(("#", "-"))]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(prose))
    return next(s for s in sentences if len(s.split()) >= 8)


def wrong_key(sentence: str) -> dict[str, Any]:
    """A real sentence of the slice, but the key is a distractor."""
    word = max(re.findall(r"[A-Za-z]{6,}", sentence), key=len)
    blank = sentence.replace(word, "____", 1)
    return {"type": "mcq", "prompt": f"Fill in the blank: {blank}",
            "options": [word, "zyxomancy", "quorblat", "flenthic"], "answer": "quorblat"}


def invented_answer(sentence: str) -> dict[str, Any]:
    """Asks about something the lecture never says."""
    return {"type": "mcq", "prompt": "Which protocol did the speaker say replaced HTTP in 1997?",
            "options": ["Gopher", "FTP", "Telnet", "SMTP"], "answer": "Gopher"}


def two_correct(sentence: str) -> dict[str, Any]:
    """Both the key and a distractor complete the sentence (the distractor is the same word)."""
    word = max(re.findall(r"[A-Za-z]{6,}", sentence), key=len)
    blank = sentence.replace(word, "____", 1)
    return {"type": "mcq", "prompt": f"Fill in the blank: {blank}",
            "options": [word, word.upper() + " ", "quorblat", "flenthic"], "answer": word}


def false_keyed_true(sentence: str) -> dict[str, Any]:
    """A statement the slice contradicts (a term swapped for a nonsense one), keyed True."""
    word = max(re.findall(r"[A-Za-z]{6,}", sentence), key=len)
    return {"type": "true_false", "prompt": "True or false: " + sentence.replace(word, "zyxomancy"),
            "options": ["True", "False"], "answer": "True"}


BROKEN: dict[str, Callable[[str], dict[str, Any]]] = {
    "wrong key": wrong_key, "answer not in the slice": invented_answer,
    "two correct options": two_correct, "a false statement keyed true": false_keyed_true,
}


def breaking_responder(make: Callable[[str], dict[str, Any]]) -> Any:
    def respond(schema_name: str, messages: list[BaseMessage]) -> dict[str, Any] | None:
        answer = course_responder(schema_name, messages)
        if schema_name != "SupplementDraft" or answer is None:
            return answer
        user = "\n".join(str(m.content) for m in messages if m.type == "human")
        start, end = (float(x) for x in RANGE.search(user).groups())  # type: ignore[union-attr]
        question = {**make(_first_sentence(user)), "explanation": "Because.",
                    "sourceRef": {"startSeconds": start, "endSeconds": end}}
        return {**answer, "quiz": {"questions": [question] * 3}}
    return respond


async def _generate(fake: FakeChatModel, transcript: Transcript) -> dict[str, Any]:
    spec = ModelSpec(name="scripted", context_window=16_000, max_output=2_000,
                     structured_method="function_calling")
    llm = LLMClient(ModelRegistry([spec]), chat_factory=lambda _s: fake, backoff_base=0.001)
    course_id = str(uuid.uuid4())
    state = await run_graph(compile_course_graph(None), {
        "course_id": course_id, "transcript": transcript.model_dump(),
        "preferences": Preferences(duration=24).model_dump(exclude_none=True)},
        ctx=CourseContext(llm=llm), thread_id=course_id)
    return dict(state)


@pytest.fixture(scope="module")
def transcript() -> Transcript:
    return parse_transcript(SAMPLE.read_text(), title="HTTP caching")


@pytest.mark.parametrize("kind", list(BROKEN))
async def test_no_unverifiable_question_ships(kind: str, transcript: Transcript) -> None:
    fake = FakeChatModel(responder=breaking_responder(BROKEN[kind]))
    state = await _generate(fake, transcript)
    course = GeneratedCourse.model_validate(state["course"])
    sections = course.outline.sections
    # regenerated once, then replaced: two quiz requests per section, never a third
    assert fake.count("SupplementDraft") == 2 * len(sections)
    for s in course.sections:
        questions = s.supplement.quiz.questions if s.supplement else []
        assert len(questions) >= 3, f"section {s.title!r} lost its quiz"
        piece = owned_segments(transcript.segments, s.outline.start_seconds,
                               s.outline.end_seconds)
        segments = [(g.start, g.end, g.text) for g in piece]
        for q in questions:
            assert "quorblat" not in q.answer and "Gopher" not in q.answer
            unplaced = QuizQuestion.model_validate({**q.model_dump(), "sourceRef": None})
            assert verify_question(unplaced, segments, course.outline.language) == [], q.prompt
        assert len({q.prompt for q in questions}) == len(questions)
    replaced = [i for i in state["validation_issues"]
                if i["message"].startswith("replaced a question that failed verification")]
    assert len(replaced) == 3 * len(sections), json.dumps(state["validation_issues"])[:500]
