"""The numpy MiniLM (nlp/minilm.py) against sentence-transformers, and groundedness scored by it.

The reference vectors come from sentence-transformers on torch (tests/evals/data/minilm_reference
.json says how they were made); the backend runs here without torch, in the default test run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.embeddings import get_embedder
from evals.evaluators import groundedness
from tests.evals.builders import drop_sections, faithful_course, replace_lessons

REFERENCE = json.loads((Path(__file__).parent / "data" / "minilm_reference.json")
                       .read_text(encoding="utf-8"))
TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def minilm():
    emb = get_embedder("minilm")  # cached: one model load for the whole run
    assert emb.name == "minilm"
    return emb


def test_auto_picks_minilm_when_the_model_package_is_installed(minilm):
    assert get_embedder("auto").name == "minilm"


def test_vectors_match_sentence_transformers(minilm):
    sentences = REFERENCE["sentences"]
    # Batches of two: texts of different lengths share a padded batch, and the long one is cut.
    vecs = minilm.model.encode(sentences, batch_size=2)
    dims = len(REFERENCE["first_dims"][0])
    assert np.abs(vecs[:, :dims] - np.array(REFERENCE["first_dims"])).max() < TOLERANCE
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_cosines_match_sentence_transformers(minilm):
    sentences = REFERENCE["sentences"]  # one batch of all the texts, padded to the longest
    sims = np.array(minilm.similarity(sentences, sentences))
    assert np.abs(sims - np.array(REFERENCE["cosine"])).max() < TOLERANCE


GROUNDED = ("Green plants manufacture sugar using light. "
            "They take in carbon dioxide from the air and water from the ground.")
UNGROUNDED = ("Apprentices lived with their masters for seven years. "
              "Guild halls are used as museums today.")


def test_groundedness_separates_a_grounded_from_an_ungrounded_lesson(minilm, photo):
    # One section over the first part of the lecture, whose lesson is replaced by each text.
    first = drop_sections(faithful_course(photo), keep=1)
    good = groundedness(replace_lessons(first, GROUNDED), photo, embedder=minilm)
    bad = groundedness(replace_lessons(first, UNGROUNDED), photo, embedder=minilm)
    assert "backend minilm" in good["comment"] and "backend minilm" in bad["comment"]
    assert good["score"] == 1.0 and bad["score"] == 0.0


def test_short_quotes_of_the_slice_count_as_grounded(minilm, photo):
    """Lecture notes quote the transcript, short sentences included; MiniLM alone puts "We can
    write that as a word equation." far below the threshold against 4-segment passages."""
    first = drop_sections(faithful_course(photo), keep=1)
    quoted = "Let's start with the big picture.\n\n00:38 We can write that as a word equation."
    res = groundedness(replace_lessons(first, quoted), photo, embedder=minilm)
    assert res["score"] == 1.0, res
