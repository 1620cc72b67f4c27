"""Degradation tests: a verified question must fail once its key, answer or options go wrong."""

from __future__ import annotations

import pytest

from core.domain import QuizQuestion, SourceRef
from nlp.quiz_verifier import verify_question
from tests.nlp.conftest import between

MCQ = "Which term completes this statement from the lecture? "


@pytest.fixture(scope="module")
def validation_slice(sample):
    """Part three of the sample lecture: validators, ETag, If-None-Match, 304."""
    return between(sample, 262.0, 340.0)


def etag_question(**changes) -> QuizQuestion:
    base = dict(
        type="mcq",
        prompt=MCQ + "The second, and the better one, is the ____, an opaque identifier for one "
        "particular version of the resource, often a hash of its content.",
        options=["ETag", "Expires", "Vary", "max-age"],
        answer="ETag",
        explanation='The lecture says: "The second, and the better one, is the ETag ..." [04:48]',
        source_ref=SourceRef(start_seconds=288.1, end_seconds=297.0),
    )
    base.update(changes)
    return QuizQuestion(**base)


def test_extractive_question_passes(validation_slice):
    assert verify_question(etag_question(), validation_slice) == []


def test_key_not_among_options_fails(validation_slice):
    problems = verify_question(etag_question(answer="Last-Modified"), validation_slice)
    assert any("not among the options" in p for p in problems)


def test_wrong_key_fails(validation_slice):
    problems = verify_question(etag_question(answer="Vary"), validation_slice)
    assert any("'Vary' is not supported" in p for p in problems)
    assert any("'ETag' is also supported" in p for p in problems)


def test_answer_not_in_slice_fails(validation_slice):
    q = etag_question(options=["SHA-256 checksum", "Expires", "Vary", "max-age"],
                      answer="SHA-256 checksum")
    problems = verify_question(q, validation_slice)
    assert any("not supported" in p for p in problems)


def test_two_correct_options_fail(validation_slice):
    q = QuizQuestion(type="mcq", prompt=MCQ + "The cache sends it back in an ____ header.",
                     options=["If-None-Match", "If-Modified-Since", "Expires", "Vary"],
                     answer="If-None-Match")
    problems = verify_question(q, validation_slice)
    assert any("'If-Modified-Since' is also supported" in p for p in problems)


def test_distractor_true_in_slice_fails(validation_slice):
    # Question-style prompt: both validators are named in the slice, so "ETag" is also right.
    q = QuizQuestion(type="mcq",
                     prompt="Which of these is one of the two validators that make a "
                     "conditional request possible?",
                     options=["Last-Modified", "ETag", "Vary", "Expires"], answer="Last-Modified")
    problems = verify_question(q, validation_slice)
    assert any("'ETag' is also supported" in p for p in problems)
    ok = q.model_copy(update={"options": ["Last-Modified", "Vary", "Expires", "immutable"]})
    assert verify_question(ok, validation_slice) == []


def test_paraphrased_llm_question_passes(validation_slice):
    q = QuizQuestion(type="mcq",
                     prompt="When nothing has changed, what status does the server reply with?",
                     options=["Not Modified", "Vary", "immutable", "Expires"],
                     answer="Not Modified")
    assert verify_question(q, validation_slice) == []


def test_invented_llm_answer_fails(validation_slice):
    q = QuizQuestion(type="short",
                     prompt="When nothing has changed, what status does the server reply with?",
                     answer="Payment Required")
    problems = verify_question(q, validation_slice)
    assert any("not supported" in p for p in problems)


def test_true_false(validation_slice):
    stmt = "The cache sends it back in an If-None-Match header."
    true_q = QuizQuestion(type="true_false", prompt=f"True or false: {stmt}",
                          options=["True", "False"], answer="True")
    assert verify_question(true_q, validation_slice) == []
    wrong_key = true_q.model_copy(update={"answer": "False"})
    assert any("'False' is wrong" in p for p in verify_question(wrong_key, validation_slice))
    swapped = "True or false: The cache sends it back in an Expires header."
    false_q = true_q.model_copy(update={"prompt": swapped, "answer": "False"})
    assert verify_question(false_q, validation_slice) == []
    claimed_true = false_q.model_copy(update={"answer": "True"})
    assert any("not supported" in p for p in verify_question(claimed_true, validation_slice))
    negated = true_q.model_copy(update={
        "prompt": "True or false: The cache does not send it back in an If-None-Match header."})
    assert any("negation" in p for p in verify_question(negated, validation_slice))
    unrelated = true_q.model_copy(update={
        "prompt": "True or false: Photosynthesis happens in chloroplasts.", "answer": "False"})
    assert any("cannot be shown false" in p
               for p in verify_question(unrelated, validation_slice))


def test_duplicate_options_and_source_ref(validation_slice):
    q = etag_question(options=["ETag", "Vary", "vary", "Expires"])
    assert "duplicate options" in verify_question(q, validation_slice)
    q = etag_question(source_ref=SourceRef(start_seconds=600.0, end_seconds=610.0))
    assert any("outside the section" in p for p in verify_question(q, validation_slice))


def test_spanish_accent_folding():
    segs = [(19.8, 27.4, "La inflación es el aumento generalizado y sostenido del nivel de "
             "precios en una economía durante un período de tiempo.")]
    q = QuizQuestion(type="short", prompt="Completa el espacio en blanco: La ____ es el aumento "
                     "generalizado y sostenido del nivel de precios.", answer="inflacion")
    assert verify_question(q, segs) == []
    bad = q.model_copy(update={"answer": "deflación"})
    assert verify_question(bad, segs)
