"""Hostile transcripts cost linear work (issue #29: 37k cues of "cache cache 0." froze a server).

Scaling is checked as a ratio of CPU time at n and 4n (linear ~4, quadratic ~16; the bound is 8),
re-measured best-of-3 before failing, so a busy machine does not fail it; sentence length is
checked exactly.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import regex

from nlp.course import build_extractive_course
from nlp.sentences import MAX_SENTENCE_CHARS, to_sentences
from sources.transcript import parse_transcript
from testkit import pathological

LINEAR_BOUND = 8.0  # work ratio for 4x input: linear is 4, quadratic 16
TOO_FAST = 0.003  # seconds at 4n below which a ratio is noise


def _cpu(fn: Callable[[], Any]) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def _ratio(make: Callable[[int], Callable[[], Any]], n: int) -> tuple[float, float]:
    """(CPU time at 4n / at n, time at 4n), best of 3 when the first looks superlinear."""
    small, big = make(n), make(4 * n)
    t1, t4 = _cpu(small), _cpu(big)
    if t4 > TOO_FAST and t4 / max(t1, 1e-6) > LINEAR_BOUND * 0.75:
        t1 = min(t1, *(_cpu(small) for _ in range(2)))
        t4 = min(t4, *(_cpu(big) for _ in range(2)))
    return t4 / max(t1, 1e-6), t4


def _patterns() -> Iterator[tuple[str, Any]]:
    """Every module-level compiled regex of the packages that read transcript text."""
    seen: set[int] = set()
    for package in ("nlp", "sources", "pipeline"):
        pkg = importlib.import_module(package)
        for info in pkgutil.iter_modules(pkg.__path__, f"{package}."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern | regex.Pattern) and id(value) not in seen:
                    seen.add(id(value))
                    yield f"{info.name}.{name}", value


PATTERNS = sorted(_patterns(), key=lambda p: p[0])


def test_the_audit_finds_the_patterns() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"nlp.lesson.DEFINITION", "nlp.sentences._SPLIT", "sources.transcript._TAG"} <= names
    assert len(PATTERNS) > 40


@pytest.mark.parametrize("name,pattern", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_every_transcript_regex_is_linear(name: str, pattern: Any) -> None:
    for kind, make_text in pathological.TEXT_KINDS.items():
        ratio, took = _ratio(lambda n, m=make_text: lambda t=m(n): pattern.findall(t), 3000)
        assert ratio < LINEAR_BOUND or took < TOO_FAST, (
            f"{name} on {kind!r}: 4x the text took {ratio:.1f}x the time ({took:.3f}s)")


@pytest.mark.parametrize("kind", sorted(pathological.CUE_KINDS))
def test_sentences_are_bounded_and_cues_ending_in_a_mark_split(kind: str) -> None:
    transcript = parse_transcript(pathological.srt(kind, 2000))
    sents = to_sentences([(s.start, s.end, s.text) for s in transcript.segments], "en")
    assert all(len(s.text) <= MAX_SENTENCE_CHARS + 1 for s in sents)  # +1: the added full stop
    assert all(a.start <= b.start for a, b in zip(sents, sents[1:], strict=False))
    if kind == "cache":
        assert len(sents) == 2000  # each "cache 0." is its own sentence
        assert sents[0].text == "Cache 0."
        assert sents[-1].end == pytest.approx(2000 * 5000 / 37_057, abs=0.01)


def test_one_giant_cue_is_cut_into_bounded_timed_sentences() -> None:
    sents = to_sentences(pathological.huge_cue(50_000), "en")
    assert len(sents) > 50_000 * 6 // MAX_SENTENCE_CHARS
    assert max(len(s.text) for s in sents) <= MAX_SENTENCE_CHARS + 1
    assert sents[0].start == 0.0 and sents[-1].end == pytest.approx(20_000, rel=1e-3)
    assert all(a.end <= b.start + 1e-6 for a, b in zip(sents, sents[1:], strict=False))


def test_two_hundred_thousand_tiny_cues_split_in_bounded_sentences() -> None:
    segs = [(i * 0.05, i * 0.05 + 0.05, "ok.") for i in range(200_000)]
    sents = to_sentences(segs, "en")
    assert len(sents) == 200_000 and max(len(s.text) for s in sents) <= 4


@pytest.mark.parametrize("kind", sorted(pathological.CUE_KINDS))
def test_the_extractive_course_scales_linearly(kind: str) -> None:
    def make(n: int) -> Callable[[], Any]:
        segs = [(s.start, s.end, s.text)
                for s in parse_transcript(pathological.srt(kind, n)).segments]
        return lambda: build_extractive_course(segs, "en")

    ratio, took = _ratio(make, 400)
    assert ratio < LINEAR_BOUND, f"{kind}: 4x the cues took {ratio:.1f}x the time ({took:.2f}s)"


def test_centrality_and_topic_depths_scale_linearly() -> None:
    """Both were quadratic in a section's sentences (an n x n similarity matrix; a walk from
    every gap over flat similarities)."""
    from nlp.centrality import centrality_scores
    from nlp.segmentation import _depths, _gap_sims

    texts = [f"the cache holds entry {i % 10} for the resolver now" for i in range(4000)]
    tracemalloc.start()
    try:
        centrality_scores(texts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40e6, f"centrality of 4,000 sentences peaked at {peak / 1e6:.0f} MB"  # n^2: 128
    flat = np.ones((8000, 3))
    ratio, took = _ratio(lambda n: lambda: _depths(_gap_sims(flat[:n], 10)), 2000)
    assert ratio < LINEAR_BOUND, f"gap depths: {ratio:.1f}x ({took:.2f}s)"
