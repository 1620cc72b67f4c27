"""The validator's quiz verifier through the whole graph: whatever the model writes, no question
ships unless its key is supported by the section's slice and no distractor is.

The scripted model below writes every quiz question (with the lesson, and again when asked to
repair it) broken in one way; its blind answers (llm/scripted_course.blind_answer) read the lines
literally. The course must come out with verified replacements, a record of each replacement in
validationIssues and the counts in quiz_review.
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
from llm.scripted import FakeChatModel
from llm.scripted_course import course_responder
from nlp.quiz_verifier import verify_question
from pipeline.context import CourseContext
from pipeline.sections import owned_segments
from sources.transcript import parse_transcript

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt"
RANGE = re.compile(r"Range: ([\d.]+)-([\d.]+) seconds")
LINE = re.compile(r"^\[\d+-\d+\] (.*)$", re.MULTILINE)


def _first_sentence(user: str) -> str:
    text = " ".join(LINE.findall(user.split("<transcript>")[-1]))
    sentences = re.split(r"(?<=[.!?])\s+", text)
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


def breaking_responder(make: Callable[[str], dict[str, Any]], *, repair: bool = False) -> Any:
    """Every drafted question broken by `make`; repairs broken too unless `repair`."""
    ranges: dict[str, tuple[float, float]] = {}

    def respond(schema_name: str, messages: list[BaseMessage]) -> dict[str, Any] | None:
        answer = course_responder(schema_name, messages)
        user = "\n".join(str(m.content) for m in messages if m.type == "human")
        if schema_name == "LessonDraft" and answer is not None:
            start, end = (float(x) for x in RANGE.search(user).groups())  # type: ignore[union-attr]
            question = {**make(_first_sentence(user)), "explanation": "Because.",
                        "sourceRef": {"startSeconds": start, "endSeconds": end}}
            ranges[question["prompt"]] = (start, end)
            return {**answer, "questions": [question] * 3}
        if schema_name == "QuestionDraft" and answer is not None and not repair:
            return {**make(_first_sentence(user)), "explanation": "Because.",
                    "sourceRef": answer["sourceRef"]}
        return answer
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
    # blind-checked, repaired once, then replaced: no quiz is asked for again
    assert fake.count("LessonDraft") == len(sections) and fake.count("SupplementDraft") == 0
    # a duplicate option is a shape fault: repaired without a blind answer
    assert fake.count("BlindAnswer") >= (0 if kind == "two correct options" else 3 * len(sections))
    assert fake.count("QuestionDraft") == 3 * len(sections)
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
    review = state["quiz_review"]
    assert review["replaced"] == len(review["replacements"]) == 3 * len(sections)
    assert review["kept"] == review["repaired"] == 0


async def test_a_repaired_question_is_kept_and_counted(transcript: Transcript) -> None:
    fake = FakeChatModel(responder=breaking_responder(wrong_key, repair=True))
    state = await _generate(fake, transcript)
    course = GeneratedCourse.model_validate(state["course"])
    review = state["quiz_review"]
    total = sum(len(s.supplement.quiz.questions) for s in course.sections if s.supplement)
    # (a longer section asked for four questions: its fourth is an extractive one)
    assert review["repaired"] == 3 * len(course.sections) <= total
    assert review["replaced"] == 0 and review["replacements"] == []
    assert not [i for i in state["validation_issues"] if "replaced" in i["message"]]
