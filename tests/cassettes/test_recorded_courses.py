"""Real lectures replayed from recorded model answers (testkit/cassette.py): the course graph
and the tutor run end to end through the real ChatOpenAI client; only its HTTP transport answers
from the cassette. The answers were written by hand, as a careful model would, for every request
(docs/BYHAND.md). When a prompt changes, the test names the recording that no longer matches."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from agents.quiz_blind_check import BlindAnswer, cited_segments, judge, render
from core.domain import GeneratedCourse, Transcript
from core.markdown_safety import safe_markdown
from nlp.quiz_verifier import verify_question
from pipeline.prompt_text import timed_lines
from pipeline.sections import owned_segments
from prompts import Prompt, load_prompt
from testkit.cassette import Cassette, cassette_client
from testkit.cassette_course import lecture, run_course

HERE = Path(__file__).parent
LECTURES = sorted(p.parent.name for p in HERE.glob("*/cassette"))
MAX_CITED_SECONDS = 60  # a question cites one to three lines, not its whole section
STAMP = re.compile(r"^\[(\d+)-(\d+)\]", re.MULTILINE)


def recorded(cassette: Cassette, schema: str) -> list[dict[str, Any]]:
    return [r["answer"] for r in cassette.recordings.values() if r["schema_name"] == schema]


@pytest.fixture(scope="module", params=LECTURES)
def replayed(request: pytest.FixtureRequest) -> tuple[str, Cassette, Transcript, dict[str, Any],
                                                       list[dict[str, Any]]]:
    import asyncio

    folder = HERE / request.param
    cassette = Cassette.load(folder / "cassette")
    transcript, questions = lecture(folder)
    state, answers = asyncio.run(run_course(cassette_client(cassette), transcript, questions))
    return request.param, cassette, transcript, state, answers


def test_every_request_is_answered_from_the_recording(replayed: Any) -> None:
    _, cassette, _, state, _ = replayed
    assert [str(m) for m in cassette.misses] == []
    assert cassette.unused() == []  # and every recorded answer was asked for
    assert not state.get("section_errors")


def test_sections_follow_the_lectures_topics(replayed: Any) -> None:
    name, _, transcript, state, _ = replayed
    reference = json.loads((HERE / name / "reference.json").read_text())
    course = GeneratedCourse.model_validate(state["course"])
    assert abs(len(course.sections) - len(reference["topics"])) <= 1
    assert course.sections[0].outline.start_seconds == 0
    assert course.sections[-1].outline.end_seconds == pytest.approx(transcript.duration)


def test_the_course_keeps_the_models_prose_and_questions(replayed: Any) -> None:
    _, cassette, _, state, _ = replayed
    course = GeneratedCourse.model_validate(state["course"])
    lessons = recorded(cassette, "LessonDraft")
    assert sorted(s.content.markdown for s in course.sections if s.content) == sorted(
        safe_markdown(lesson["markdown"]) for lesson in lessons)
    written = {q["prompt"] for lesson in lessons for q in lesson["questions"]}
    served = [q.prompt for s in course.sections if s.supplement
              for q in s.supplement.quiz.questions]
    assert sorted(served) == sorted(written)  # no good question replaced
    review = state["quiz_review"]
    assert review["replaced"] == 0 and review["repaired"] == 0
    assert review["kept"] == len(written)
    assert state["validation_issues"] == []


def test_every_source_ref_names_the_lines_that_prove_its_key(replayed: Any) -> None:
    """Each question cites one to three of the timed lines its prompt showed (its range starts
    at a line's stamp and ends at one), inside its section; and its key is proven: by the
    lexical verifier on the section's slice, or else by the blind answer given only the cited
    lines (its recorded request holds exactly them)."""
    _, cassette, transcript, state, _ = replayed
    course = GeneratedCourse.model_validate(state["course"])
    blind = {r["messages"][1]["content"]: r["answer"]
             for r in cassette.recordings.values() if r["schema_name"] == "BlindAnswer"}
    for s in course.sections:
        piece = owned_segments(transcript.segments, s.outline.start_seconds,
                               s.outline.end_seconds)
        stamps = [tuple(map(int, m)) for m in STAMP.findall(timed_lines(piece))]
        for q in s.supplement.quiz.questions if s.supplement else []:
            ref = q.source_ref
            assert ref is not None
            assert s.outline.start_seconds <= ref.start_seconds < ref.end_seconds \
                <= s.outline.end_seconds + 1
            assert ref.end_seconds - ref.start_seconds <= MAX_CITED_SECONDS, q.prompt
            assert any(abs(ref.start_seconds - a) <= 1 for a, _ in stamps), q.prompt
            assert any(abs(ref.end_seconds - b) <= 1 for _, b in stamps), q.prompt
            unplaced = q.model_copy(update={"source_ref": None})
            if verify_question(unplaced, [(g.start, g.end, g.text) for g in piece], "en") == []:
                continue
            _, user = render(q, timed_lines(cited_segments(ref, piece)))
            assert user.strip() in blind, f"no blind answer on its cited lines: {q.prompt}"
            assert judge(q, BlindAnswer.model_validate(blind[user.strip()])).keep, q.prompt


def test_tutor_turns_cite_the_lecture(replayed: Any) -> None:
    _, cassette, _, _, answers = replayed
    # a question whose words the video lacks is declined before any model is asked
    asked = [a for a in answers if a["covered"]]
    assert len(asked) == len(recorded(cassette, "TutorDraft")) >= 2
    for a in asked:
        assert a["covered"] and a["sourceRefs"]
        assert all(r["label"] in a["answer"] for r in a["sourceRefs"])


def test_a_changed_prompt_names_the_recordings_it_invalidates(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import agents.writer

    folder = HERE / LECTURES[0]
    cassette = Cassette.load(folder / "cassette")
    transcript, _ = lecture(folder)
    original = load_prompt("writer")
    edited = Prompt(name="writer", version="writer/v999", system=original.system,
                    user=original.user.replace("Objectives:", "Goals:"))
    monkeypatch.setattr(agents.writer, "load_prompt", lambda name: edited)
    asyncio.run(run_course(cassette_client(cassette), transcript, []))
    misses = [m for m in cassette.misses if m.schema_name == "LessonDraft"]
    assert misses, "a changed writer prompt must not be answered from the old recordings"
    for miss in misses:
        assert miss.nearest and miss.nearest.split("-")[1] == "LessonDraft"
        assert "-Objectives:" in miss.first_difference and "+Goals:" in miss.first_difference
        assert f"the recorded answer {miss.nearest} no longer matches" in str(miss)
