from __future__ import annotations

import re

from nlp.keyphrases import extract_keyphrases, key_terms
from nlp.sentences import MAX_SENTENCE_WORDS, detect_language, to_sentences
from nlp.textutil import stopwords
from tests.nlp.conftest import load


def test_cues_joined_and_cleaned():
    segs = [
        (0.0, 2.0, ">> SPEAKER 1: Um, so today we talk about the"),
        (2.0, 4.0, "the [Music] &lt;i&gt;cache&lt;/i&gt; layer, you know, which (laughs)"),
        (4.0, 6.0, "stores responses. uh It is fast.&nbsp;"),
    ]
    sents = to_sentences(segs, "en")
    assert [s.text for s in sents] == [
        "So today we talk about the cache layer which stores responses.", "It is fast."]
    assert sents[0].start == 0.0 and 4.0 < sents[0].end <= 6.0
    assert sents[1].start > sents[0].start and sents[1].end == 6.0


def test_spanish_fillers():
    sents = to_sentences([(0, 3, "Eh, la inflación es, o sea, este, el aumento de precios.")],
                         "es")
    assert sents[0].text == "La inflación es el aumento de precios."


def test_sample_sentences_keep_time(sample):
    sents = to_sentences(sample)
    assert len(sents) > 100
    assert all(a.start <= b.start for a, b in zip(sents, sents[1:], strict=False))
    assert sents[0].text == "Hello everyone, and welcome to today's lecture on HTTP caching."
    assert all(s.text[0].isupper() and s.text[-1] in ".?!" for s in sents)


def test_unpunctuated_captions_split_by_pauses():
    segs = [(0.0, 1.0, "so the cache"), (1.0, 2.0, "stores a copy"), (3.0, 4.0, "then the server"),
            (4.0, 5.0, "sends a response")]
    assert [s.text for s in to_sentences(segs, "en")] == [
        "So the cache stores a copy.", "Then the server sends a response."]


def test_real_auto_caption_style_excerpt():
    raw = load("py4e-lists-excerpt.srt")
    flat = [(a, b, re.sub(r"[^\w\s']", "", t.lower())) for a, b, t in raw]
    sents = to_sentences(flat)
    assert len(sents) > 15
    for s in sents:
        assert s.text[0].isupper() and s.text.endswith(".")
        assert len(s.text.split()) <= MAX_SENTENCE_WORDS + 12  # cut at a cue boundary
    assert sents[0].start == flat[0][0] and sents[-1].end == flat[-1][1]


def test_detect_language():
    assert detect_language(" ".join(t for _, _, t in load("inflacion-es.srt"))) == "es"
    assert detect_language(" ".join(t for _, _, t in load("sample_lecture.srt"))) == "en"


def test_sample_keyphrases_are_about_caching(sample):
    text = " ".join(s.text for s in to_sentences(sample))
    terms = key_terms(text, "en", 20)
    low = [t.lower() for t in terms]
    assert {"max-age", "etag", "http caching"} <= set(low)
    for t in terms:
        assert re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text, re.IGNORECASE), t
        assert t.lower() not in stopwords("en") and not t.isdigit()
    assert len(set(low)) == len(low)


def test_spanish_keyphrases():
    text = " ".join(s.text for s in to_sentences(load("inflacion-es.srt"), "es"))
    phrases = extract_keyphrases(text, "es", 15)
    low = [p.text.lower() for p in phrases]
    assert "inflación" in low and "banco central" in low
    english = {"the", "and", "of", "is", "to", "in"}
    assert not any(w in english for p in low for w in p.split())
    assert [p.score for p in phrases] == sorted(p.score for p in phrases)
