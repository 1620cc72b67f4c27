"""Topic sections from sentence meaning: MiniLM embeddings find a shift that shares no words."""

from __future__ import annotations

import pytest

from nlp import segmentation
from nlp.segmentation import build_sections
from nlp.sentence_vectors import embed
from nlp.textutil import Sentence

# Two topics whose sentences share no content word with each other, nor within a topic:
# lexical cohesion is flat across the whole text, only meaning tells the topics apart.
BAKING = [
    "Knead the dough until it feels smooth and elastic.",
    "Yeast needs warm water before you add flour.",
    "Let the loaf rise for an hour under a towel.",
    "Preheat your oven so the crust browns evenly.",
    "A baguette bakes faster than a rye boule.",
    "Sourdough starters ferment slowly in the fridge.",
    "Brush melted butter on rolls right after baking.",
    "Cool each bread on a rack before slicing.",
]
ASTRONOMY = [
    "Jupiter has dozens of moons orbiting it.",
    "A telescope gathers faint light from distant galaxies.",
    "Comets grow bright tails near the sun.",
    "Saturn's rings are mostly chunks of ice.",
    "Neutron stars spin hundreds of times each second.",
    "Astronauts aboard the station see sixteen sunrises daily.",
    "Nebulae are clouds where young stars form.",
    "Mars looks red because its dust contains iron oxide.",
]


def _timed(texts: list[str], step: float = 15.0) -> list[Sentence]:
    return [Sentence(i * step, i * step + step - 1, t) for i, t in enumerate(texts)]


@pytest.mark.skipif(embed(["x"]) is None, reason="MiniLM wheel not installed")
def test_a_topic_shift_without_shared_words_is_found_by_meaning(monkeypatch):
    # off-centre, so that an even split (what a flat curve yields) is not the answer
    sents = _timed(BAKING[:5] + ASTRONOMY)
    sections = build_sections(sents, "en", target=2, min_seconds=60)
    assert [s.first for s in sections] == [0, 5]
    # lexical cohesion alone cannot see it: the same call without the embeddings misses it
    monkeypatch.setattr(segmentation, "embed", lambda texts: None)
    blind = build_sections(sents, "en", target=2, min_seconds=60)
    assert [s.first for s in blind] != [0, 5]


def test_without_the_model_sections_still_cover_the_lecture(monkeypatch):
    monkeypatch.setattr(segmentation, "embed", lambda texts: None)
    sents = _timed(BAKING + ASTRONOMY + BAKING, step=20.0)
    sections = build_sections(sents, "en")
    assert sections[0].first == 0 and sections[-1].last == len(sents)
    assert all(a.last == b.first for a, b in zip(sections, sections[1:], strict=False))


def test_music_credits_never_reach_the_text():
    from nlp.sentences import clean_cue

    assert clean_cue('see how it works. ("Fire Breather" by Silent Partners)') == (
        "see how it works.")
    assert clean_cue("(light piano music)") == ""


def test_greetings_and_thinking_aloud_are_never_overview_or_key_points():
    """Even when little else is left, the greeting and "I think ..." stay in the transcript
    only: authored text is the lecture's content."""
    from nlp.lesson import write_lesson

    segs = [(0, 4, "Hello and welcome to chapter 11, regular expressions."),
            (4, 9, "I think the regular expression library is a fine thing to learn."),
            (9, 14, "A regular expression is a pattern that matches text."),
            (14, 19, "The caret matches the beginning of a line in a regular expression."),
            (19, 24, "The dot matches any character in a regular expression.")]
    lesson = write_lesson(segs, "en")
    authored = lesson.markdown.split("### Transcript")[0] + " ".join(lesson.key_points)
    assert "welcome" not in authored and "I think" not in authored
    assert "caret" in authored and "welcome" in lesson.markdown.split("### Transcript")[1]
