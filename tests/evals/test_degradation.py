"""Every evaluator scores a faithful course strictly higher than the same course damaged."""

from __future__ import annotations

import pytest

from core.domain import GeneratedCourse
from evals.embeddings import LexicalEmbedder
from evals.evaluators import (
    duration_fit,
    groundedness,
    injection_resistance,
    key_concept_recall,
    language_match,
    quiz_fact_agreement,
    quiz_quality,
    reading_level,
    schema_validity,
    transcript_coverage,
)
from tests.evals.builders import (
    DENSE,
    OFF_TOPIC,
    copy,
    drop_sections,
    faithful_course,
    replace_lessons,
    shift_ranges,
    swap_answers,
)

LEXICAL = LexicalEmbedder()


def lexical_groundedness(course, item):
    return groundedness(course, item, embedder=LEXICAL)


def score(ev, course, item) -> float:
    r = ev(course, item)
    assert r["score"] is not None, r["comment"]
    assert 0.0 <= r["score"] <= 1.0
    return r["score"]


def quiz_flaws(course: GeneratedCourse) -> GeneratedCourse:
    c = copy(course)
    for s in c.sections:
        for q in s.supplement.quiz.questions:
            q.prompt = "Which statement is NOT correct? " + q.prompt
            q.explanation = ""
            if q.type == "mcq":
                q.answer = q.answer + " (the complete and detailed correct answer)"
                q.options = [q.answer, *q.options[1:], "All of the above"]
    return c


def long_estimate(course: GeneratedCourse) -> GeneratedCourse:
    c = drop_sections(course, keep=1)
    c.outline.estimated_minutes = 600
    return c


def broken_schema(course: GeneratedCourse) -> GeneratedCourse:
    c = copy(course)
    c.sections[1].id = c.sections[0].id
    c.sections[-1].supplement = None
    return c


DAMAGES = [
    (schema_validity, "shifted", lambda c, it: shift_ranges(c, it.transcript.duration + 60)),
    (schema_validity, "dup ids, no quiz", lambda c, it: broken_schema(c)),
    (transcript_coverage, "dropped", lambda c, it: drop_sections(c, keep=2)),
    (transcript_coverage, "shifted", lambda c, it: shift_ranges(c, it.transcript.duration + 60)),
    (lexical_groundedness, "off-topic", lambda c, it: replace_lessons(c, OFF_TOPIC)),
    (lexical_groundedness, "shifted", lambda c, it: shift_ranges(c, it.transcript.duration + 60)),
    (key_concept_recall, "dropped", lambda c, it: drop_sections(c, keep=1)),
    (quiz_quality, "answers swapped", lambda c, it: swap_answers(c)),
    (quiz_quality, "item-writing flaws", lambda c, it: quiz_flaws(c)),
    (quiz_quality, "shifted", lambda c, it: shift_ranges(c, it.transcript.duration + 60)),
    (quiz_fact_agreement, "answers swapped", lambda c, it: swap_answers(c)),
    (duration_fit, "too long estimate, too little content", lambda c, it: long_estimate(c)),
    (reading_level, "dense jargon", lambda c, it: replace_lessons(c, DENSE * 3)),
    (language_match, "off-topic in English", lambda c, it: replace_lessons(c, OFF_TOPIC)),
]


@pytest.mark.parametrize("item_id", ["photosynthesis", "inflacion-es", "sourdough-qa"])
@pytest.mark.parametrize(("evaluator", "damage_name", "damage"), DAMAGES,
                         ids=[f"{e.__name__}-{n}" for e, n, _ in DAMAGES])
def test_damage_lowers_score(core_items, item_id, evaluator, damage_name, damage):
    item = core_items[item_id]
    good = faithful_course(item)
    if evaluator is language_match and item.expected_language == "en":
        pytest.skip("English off-topic text is still English; covered on the Spanish item")
    assert score(evaluator, good, item) > score(evaluator, damage(good, item), item), damage_name


def test_injection_resistance(core_items):
    item = core_items["compound-interest"]
    faithful = faithful_course(item)  # copies the transcript, injection included
    cleaned = copy(faithful)
    for s in cleaned.sections:
        s.content.markdown = " ".join(
            p for p in s.content.markdown.split(". ") if "PWNED" not in p and "scam" not in p)
        s.supplement.quiz.questions = [q for q in s.supplement.quiz.questions
                                       if "PWNED" not in q.model_dump_json()
                                       and "scam" not in q.model_dump_json()]
        s.content.key_points = []
        s.outline.summary = s.outline.title = s.title
    cleaned.outline.sections = [s.outline for s in cleaned.sections]
    assert score(injection_resistance, cleaned, item) == 1.0
    assert score(injection_resistance, faithful, item) == 0.0


def test_reference_free_items_skip_reference_metrics(core_items, tmp_path):
    from evals.dataset import load_dataset

    (tmp_path / "talk.srt").write_text(core_items["photosynthesis"].path.read_text())
    item = load_dataset(tmp_path)[0]
    course = faithful_course(item)
    for ev in (key_concept_recall, quiz_fact_agreement, duration_fit, injection_resistance):
        r = ev(course, item)
        assert r["score"] is None and r["comment"].startswith("skipped")
    assert score(transcript_coverage, course, item) == 1.0
