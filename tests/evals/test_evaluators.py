"""Unit checks of the rule-based parts: quiz rules, readability, embeddings, report diff."""

from __future__ import annotations

import pytest

from core.domain import QuizQuestion, SourceRef
from evals.embeddings import LexicalEmbedder, get_embedder
from evals.evaluators import groundedness
from evals.evaluators.quiz import question_checks
from evals.evaluators.readability import grade_level, syllables
from evals.report import ItemReport, Report, diff
from tests.evals.builders import OFF_TOPIC, faithful_course, replace_lessons


def mcq(**kw) -> QuizQuestion:
    base = dict(type="mcq", prompt="Where does the oxygen come from?",
                options=["water", "carbon dioxide", "glucose"], answer="water",
                explanation="Light splits water molecules.",
                source_ref=SourceRef(start_seconds=10, end_seconds=20))
    return QuizQuestion(**{**base, **kw})


def test_clean_question_passes_every_check():
    assert all(question_checks(mcq(), (0, 60)).values())


@pytest.mark.parametrize(("change", "failed"), [
    ({"answer": "sunlight"}, "answer among options"),
    ({"options": ["water", "water", "glucose"]}, "exactly one correct option"),
    ({"options": ["water", "glucose", "all of the above"]}, "no all/none of the above"),
    ({"prompt": "Which is NOT a product?"}, "stem without negation"),
    ({"explanation": ""}, "explanation present"),
    ({"source_ref": SourceRef(start_seconds=70, end_seconds=80)}, "source ref inside section"),
    ({"options": ["the water molecules", "air", "sugar"], "answer": "the water molecules"},
     "correct option not uniquely longest"),
])
def test_each_flaw_is_caught(change, failed):
    checks = question_checks(mcq(**change), (0, 60))
    assert checks[failed] is False


def test_true_false_answer_must_be_true_or_false():
    q = QuizQuestion(type="true_false", prompt="Leaves reflect green light.",
                     options=["True", "False"],
                     answer="Maybe", explanation="Chlorophyll reflects green.")
    assert question_checks(q, (0, 10))["answer among options"] is False


def test_grade_level_orders_texts():
    easy = "The cat sat on the mat. It was a warm day. The sun was out. " * 4
    hard = ("Photosynthetic organisms utilise electromagnetic radiation to synthesise "
            "carbohydrates through sophisticated biochemical transformations. ") * 4
    assert grade_level(easy) < 4 < 14 < grade_level(hard)
    assert syllables("photosynthesis") == 5 and syllables("make") == 1


def test_minilm_backend_separates_faithful_from_off_topic(core_items):
    item = core_items["photosynthesis"]
    course = faithful_course(item)
    emb = get_embedder("minilm")
    good = groundedness(course, item, embedder=emb)
    bad = groundedness(replace_lessons(course, OFF_TOPIC), item, embedder=emb)
    assert "minilm" in good["comment"]
    assert good["score"] >= 0.6 > 0.1 >= bad["score"]


def test_lexical_backend_named_in_comment(core_items):
    item = core_items["photosynthesis"]
    r = groundedness(faithful_course(item), item, embedder=LexicalEmbedder())
    assert "lexical" in r["comment"] and r["score"] > 0.8


def test_totals_and_diff():
    base = Report(model="m", items=[ItemReport(id="a", scores={"x": 0.5, "y": None}),
                                    ItemReport(id="b", scores={"x": 0.7, "y": 1.0})])
    base.compute_totals()
    assert base.totals["x"] == 0.6 and base.totals["y"] == 1.0
    now = Report(model="m", items=[ItemReport(id="a", scores={"x": 0.9, "y": 0.5}),
                                   ItemReport(id="b", error="boom")])
    now.compute_totals()
    assert now.totals["failed_items"] == 1 and now.totals["x"] == 0.45  # a failure counts as 0
    moved = {k: d for k, _, _, d in diff(now, base)}
    assert moved["x"] == pytest.approx(-0.15) and moved["failed_items"] == 1
