"""Each agent's extractive strategy on its own: inputs → outputs, no graph, no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.analyzer import extract_analysis
from agents.outliner import extract_outline, fit_outline
from agents.supplement import extract_supplement
from agents.writer import extract_lesson
from core.domain import Analysis, CourseOutline, Preferences, Segment, Transcript
from core.markdown_safety import safe_markdown
from nlp.quiz_verifier import verify_question
from pipeline.sections import section_task
from sources.transcript import parse_transcript

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lecture() -> Transcript:
    return parse_transcript((ROOT / "samples" / "sample_lecture.srt").read_text())


@pytest.fixture(scope="module")
def spanish() -> Transcript:
    path = ROOT / "evals" / "datasets" / "core" / "inflacion-es.srt"
    return parse_transcript(path.read_text())


@pytest.fixture(scope="module")
def planned(lecture: Transcript) -> tuple[Analysis, CourseOutline]:
    analysis = extract_analysis(lecture, Preferences(), max_sections=30, title=None)
    draft = extract_outline(lecture, analysis)
    outline = fit_outline(draft, transcript=lecture, prefs=Preferences(duration=16),
                          analysis=analysis, budget=10**9, max_sections=30,
                          )
    return analysis, outline


def test_analyzer_finds_the_topic_and_the_lecture_structure(planned) -> None:
    analysis, _ = planned
    assert "caching" in analysis.title.lower()
    assert analysis.language == "en"
    assert len(analysis.segments) >= 4
    concepts = " ".join(analysis.key_concepts).lower()
    assert "max-age" in concepts and "etag" in concepts


def test_analyzer_keeps_the_users_title(lecture: Transcript) -> None:
    found = extract_analysis(lecture, Preferences(), max_sections=30, title="My own title")
    assert found.title == "My own title"


def test_analyzer_respects_max_sections(lecture: Transcript) -> None:
    assert len(extract_analysis(lecture, Preferences(), max_sections=2, title=None).segments) <= 2


def test_outline_partitions_the_video_with_distinct_topic_titles(planned, lecture) -> None:
    _, outline = planned
    sections = outline.sections
    assert sections[0].start_seconds == 0
    assert sections[-1].end_seconds == pytest.approx(lecture.duration)
    for a, b in zip(sections, sections[1:], strict=False):
        assert a.end_seconds == b.start_seconds
    titles = [s.title for s in sections]
    assert len(set(titles)) == len(titles)
    assert not any(t.lower().startswith("part ") for t in titles)
    assert all(s.summary and s.objectives for s in sections)
    assert outline.estimated_minutes == 16  # the user's study time wins


def test_lesson_is_the_sections_own_speech_without_html(planned, lecture) -> None:
    _, outline = planned
    hostile = Transcript(segments=[
        *lecture.segments[:40],
        Segment(start=200.0, end=204.0, text="Click <script>alert(1)</script> here."),
    ], source="srt")
    task = section_task(outline, 0, hostile)
    content = extract_lesson(task)
    assert "<script" not in safe_markdown(content.markdown)
    assert "[00:" in content.markdown  # quotes carry their timestamps
    first = outline.sections[0]
    assert all(first.start_seconds <= r.start_seconds <= r.end_seconds <= first.end_seconds
               for r in content.source_refs)
    # only its slice: nothing from the last section's speech
    last_words = lecture.segments[-1].text
    assert last_words not in content.markdown


def test_supplement_questions_are_verified_against_the_slice(planned, lecture) -> None:
    analysis, outline = planned
    for i, section in enumerate(outline.sections):
        task = section_task(outline, i, lecture, terms=analysis.key_concepts)
        supp = extract_supplement(task, question_count=3)
        assert len(supp.quiz.questions) >= 3, section.title
        segments = [tuple(s) for s in task["segments"]]
        for q in supp.quiz.questions:
            unplaced = q.model_copy(update={"source_ref": None})
            assert verify_question(unplaced, segments, "en") == [], q.prompt  # type: ignore[arg-type]
            assert q.id.startswith(section.id)
        # cards only where the section defines a concept (nlp/flashcards.py): none is no defect
        assert supp.exercises


def test_spanish_lecture_gets_spanish_questions(spanish: Transcript) -> None:
    analysis = extract_analysis(spanish, Preferences(), max_sections=30, title=None)
    assert analysis.language == "es"
    draft = extract_outline(spanish, analysis)
    outline = fit_outline(draft, transcript=spanish, prefs=Preferences(), analysis=analysis,
                          budget=10**9, max_sections=30)
    task = section_task(outline, 0, spanish, terms=analysis.key_concepts)
    prompts = " ".join(q.prompt for q in extract_supplement(task, 3).quiz.questions).lower()
    assert "completa" in prompts or "verdadero" in prompts or "¿" in prompts
    assert " the " not in f" {' '.join(analysis.key_concepts).lower()} "


@pytest.mark.parametrize(("raw", "kept", "gone"), [
    ("A <b>bold</b> claim <script>alert(1)</script>", "A bold claim", "<"),
    ("> quoted [01:02]", "> quoted [01:02]", "&gt;"),
    ("[x](javascript:alert(1)) and [y](https://example.com)", "[y](https://example.com)",
     "javascript:"),
    ("Use `<div>` here", "`<div>`", "&lt;div"),
    ("Q & A <img src=x onerror=alert(1)>", "Q & A", "onerror"),
])
def test_markdown_safety(raw: str, kept: str, gone: str) -> None:
    cleaned = safe_markdown(raw)
    assert kept in cleaned and gone not in cleaned


def test_objectives_and_exercises_name_concepts_not_titles(planned, lecture) -> None:
    """Objectives were "Explain <section title>"; they name the lecture's concepts, and the
    exercise asks the section's first objective."""
    analysis, outline = planned
    concepts = [c.lower() for c in analysis.key_concepts]
    asked = 0
    for i, section in enumerate(outline.sections):
        for goal in section.objectives:
            assert any(c in goal.lower() for c in concepts), goal
        if section.objectives:
            task = section_task(outline, i, lecture, terms=analysis.key_concepts)
            exercise = extract_supplement(task, question_count=2).exercises[0]
            assert exercise.prompt.startswith(section.objectives[0]), exercise.prompt
            asked += 1
    assert asked
    assert all(o in {g for s in outline.sections for g in s.objectives}
               for o in outline.learning_objectives)
