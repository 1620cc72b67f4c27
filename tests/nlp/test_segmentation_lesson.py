from __future__ import annotations

import itertools
import re

import pytest

from nlp.course import outline, section_segments
from nlp.keyphrases import key_terms
from nlp.lesson import definition_parts, unrepeat, write_lesson
from nlp.segmentation import build_sections
from nlp.sentences import to_sentences
from nlp.textutil import content_stems
from nlp.titles import course_title
from tests.nlp.conftest import load

CACHING = ("cache", "caching", "etag", "max-age", "cache-control", "freshness", "validation",
           "stale",
           "vary", "http", "html", "url", "store")


@pytest.fixture(scope="module")
def sample_outline(sample):
    return outline(sample, "en")


def test_sample_sections(sample_outline):
    sents, sections = sample_outline
    assert len(sections) >= 4
    titles = [s.title for s in sections]
    assert len({t.lower() for t in titles}) == len(titles)
    assert not any(re.search(r"\bpart \d", t, re.IGNORECASE) for t in titles)
    starts = {s.start for s in sents}
    for i, sec in enumerate(sections):
        assert sec.start in starts  # boundaries snap to sentence starts
        if i:
            assert sec.first == sections[i - 1].last
        text = " ".join(s.text for s in sents[sec.first: sec.last])
        terms = key_terms(text, "en", 15)
        assert any(t.lower() in sec.title.lower() for t in terms), (sec.title, terms)
        assert any(w in sec.title.lower() for w in CACHING), sec.title
    assert sections[0].first == 0 and sections[-1].last == len(sents)


def test_course_title(sample_outline):
    sents, sections = sample_outline
    terms = key_terms(" ".join(s.text for s in sents), "en", 20)
    title, description = course_title(sents, "en", terms, [s.title for s in sections])
    assert title == "HTTP Caching"
    assert "Topics:" in description and sections[0].title in description


@pytest.mark.parametrize(("intro", "expected"), [
    ("Hello and welcome to chapter 11, regular expressions. Regular expressions are a language "
     "for matching text. A regular expression can match a line.", "Regular Expressions"),
    ("Hello and welcome to Chapter 8. We're gonna talk about lists in this chapter. A list is a "
     "kind of collection. An item list holds many values.", "Lists"),
])
def test_course_title_from_a_spoken_intro(intro, expected):
    sents = to_sentences([(i * 4.0, i * 4.0 + 4, t + ".") for i, t in
                          enumerate(intro.rstrip(".").split(". "))])
    terms = key_terms(intro, "en", 20)
    assert course_title(sents, "en", terms)[0] == expected


def test_target_sections_networking():
    sents = to_sentences(load("networking-lecture.srt"))
    sections = build_sections(sents, "en", target=24)
    assert len(sections) == 24
    assert len({s.title for s in sections}) == 24


def test_chapters_merge_split_and_keep_titles(sample):
    sents = to_sentences(sample)
    chapters = [(0, "Why caching matters"), (130, "Freshness"), (250, "Tiny chapter"),
                (262, "Everything else")]
    sections = build_sections(sents, "en", min_seconds=60, max_seconds=240, chapters=chapters)
    titles = [s.title for s in sections]
    assert titles[0] == "Why caching matters" and titles[1] == "Freshness"
    assert "Tiny chapter" not in titles
    rest = [t for t in titles if t.startswith("Everything else: ")]
    assert len(rest) >= 2  # the 430-second chapter was split lexically
    assert all(s.end - s.start <= 240 + 30 for s in sections)


def test_sample_lessons(sample_outline):
    sents, sections = sample_outline
    for sec in sections:
        content = write_lesson(section_segments(sents, sec), "en", sec.title)
        md = content.markdown
        assert "<" not in md.replace("&lt;", "")
        assert not re.search(r"\b(um|uh)\b", md, re.IGNORECASE)
        assert re.search(r"\[\d\d:\d\d\]", md)
        # no title heading and no key points in the markdown: renderers print both already
        assert not md.startswith("## ") and "Key points" not in md
        assert len(content.key_points) >= 3
        notes = md.split("### Transcript")[1]
        paras = [p for p in notes.split("\n\n") if p.strip()]
        assert len(paras) >= 3
        assert all(len(re.findall(r"[.!?](?:\s|$)", p)) <= 5 for p in paras), paras
        for a, b in itertools.combinations(content.key_points, 2):
            shared = set(content_stems(a)) & set(content_stems(b))
            smaller = min(len(set(content_stems(a))), len(set(content_stems(b))))
            assert smaller < 4 or len(shared) < 0.8 * smaller, (a, b)
        assert not any(re.match(r"(?i)(it|this|that|they)\b", p) for p in content.key_points)
        examples = (md.split("### Examples")[1].split("### Transcript")[0]
                    if "### Examples" in md else "")
        assert "Suppose" not in examples
        for ref in content.source_refs:
            assert sec.start - 1 <= ref.start_seconds <= ref.end_seconds <= sec.end + 1
        for point in content.key_points:  # verbatim, but for a dropped "And so" or "Well,"
            # (and a phrase said twice in a row, kept once)
            assert any(point.lower() in unrepeat(s.text).lower()
                       for s in sents[sec.first: sec.last]), point


def test_lesson_escapes_html_and_finds_definitions():
    segs = [(0, 4, "An ETag is an opaque identifier for one version of a resource."),
            (4, 8, "For example, a hash of the bytes works as an ETag value here."),
            (8, 12, "Never trust input like a &lt;script&gt; tag or x < y & z > w in pages."),
            (12, 16, "The cache compares the ETag with the version the server holds now.")]
    content = write_lesson(segs, "en", "ETags")
    md = content.markdown
    assert "<script>" not in md and not re.search(r"\bscript\b", md)  # a stray tag is dropped
    # plain text is kept, its "<" escaped ("&" and ">" open no tag: core/markdown_safety.py)
    assert "x &lt; y & z > w" in md
    assert "### Definitions" in md and "> An ETag is an opaque identifier" in md
    assert "### Examples" in md and "> For example, a hash" in md and "[00:04]" in md
    assert content.examples == ["For example, a hash of the bytes works as an ETag value here."]


def test_spanish_lesson():
    segs = load("inflacion-es.srt")
    content = write_lesson(segs, "es", "Inflación")
    assert "Ideas clave" not in content.markdown and "### Definiciones" in content.markdown
    assert content.key_points
    assert "> La inflación es el aumento generalizado" in content.markdown


@pytest.mark.parametrize(("sentence", "term"), [
    ("Private means only a private cache, such as the browser, may store the response.",
     "Private"),
    ("No-store means exactly what it says.", "No-store"),
    ("And so the print is just the print with parentheses to get the print to work.", None),
])
def test_a_definition_says_something_beyond_its_term(sentence, term):
    parts = definition_parts(sentence)
    assert (parts[0] if parts else None) == term


@pytest.mark.parametrize(("spoken", "written"), [
    ("If you look at these two loops if you look at these two loops they do the same thing.",
     "If you look at these two loops they do the same thing."),
    ("As a matter of fact, Python would not care which name the variable has.",
     "Python would not care which name the variable has."),
    ("Meaning a list has three things you can change.",
     "A list has three things you can change."),
    ("The cache is fresh, and the copy is fresh too.",  # not a repeat: nothing said twice
     "The cache is fresh, and the copy is fresh too."),
])
def test_overview_reads_as_writing(spoken: str, written: str) -> None:
    segments = [(0.0, 5.0, "A list keeps many values in one variable in order."),
                (5.0, 10.0, spoken)]
    overview = re.split(r"\n### (?!Overview)", write_lesson(segments, "en").markdown)[0]
    assert written in overview
