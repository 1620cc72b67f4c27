from __future__ import annotations

import pytest

from nlp.course import build_extractive_course
from nlp.questions import make_flashcards, make_questions
from nlp.quiz_verifier import verify_question
from tests.nlp.conftest import DATASETS, load


@pytest.fixture(scope="module")
def courses():
    return {name: build_extractive_course(load(name)) for name in DATASETS}


@pytest.mark.parametrize("name", DATASETS)
def test_every_generated_question_verifies(courses, name):
    course = courses[name]
    assert course["sections"]
    for sec in course["sections"]:
        for q in sec["questions"]:
            assert verify_question(q, sec["segments"]) == [], (sec["title"], q)
            assert q.source_ref is not None
            assert sec["start"] - 1 <= q.source_ref.start_seconds <= sec["end"] + 1
            assert "[" in q.explanation and q.answer in (q.options or [q.answer])


@pytest.mark.parametrize("name", DATASETS)
def test_enough_questions_and_cards(courses, name):
    for sec in courses[name]["sections"]:
        if sec["end"] - sec["start"] >= 120:
            assert len(sec["questions"]) >= 3, sec["title"]
            assert len(sec["flashcards"]) >= 3, sec["title"]
        kinds = {q.type for q in sec["questions"]}
        assert len(kinds) >= 2 or len(sec["questions"]) < 3


def test_mcq_shape(courses):
    mcqs = [q for sec in courses["sample_lecture.srt"]["sections"] for q in sec["questions"]
            if q.type == "mcq"]
    assert len(mcqs) >= 4
    for q in mcqs:
        assert len(q.options) == 4 and len({o.lower() for o in q.options}) == 4
        assert "____" in q.prompt
    tfs = [q for sec in courses["sample_lecture.srt"]["sections"] for q in sec["questions"]
           if q.type == "true_false"]
    assert tfs and all(q.options == ["True", "False"] for q in tfs)


def test_spanish_prompts(courses):
    course = courses["inflacion-es.srt"]
    assert course["language"] == "es"
    qs = [q for sec in course["sections"] for q in sec["questions"]]
    assert qs
    for q in qs:
        assert q.prompt.startswith(("Completa el espacio", "¿Qué término", "Verdadero o falso"))
        assert q.explanation.startswith("En la clase se dice")
        if q.type == "true_false":
            assert q.answer in ("True", "False")


def test_deterministic(sample):
    segs = [s for s in sample if 262 <= s[0] <= 560]
    terms = ["ETag", "max-age", "Vary", "Expires", "cache", "browser", "HTML", "URL"]
    a = make_questions(segs, terms, "en")
    b = make_questions(list(segs), list(terms), "en")
    assert a == b and len(a) >= 3


def test_no_injected_text(courses):
    course = courses["compound-interest.srt"]
    blob = str(course).lower()
    assert "pwned" not in blob and "is a scam" not in blob


def test_flashcards_from_definitions():
    segs = [(0, 5, "A branch in Git is just a lightweight movable pointer to a commit."),
            (5, 9, "HEAD tells Git which branch you currently have checked out."),
            (9, 14, "Rebasing means replaying your commits on top of another branch.")]
    cards = make_flashcards(segs, "en")
    terms = [c.term for c in cards]
    assert "branch in Git" in terms and "Rebasing" in terms
    assert all("[00:" in c.definition for c in cards)
