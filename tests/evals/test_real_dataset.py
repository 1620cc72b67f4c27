"""The real-lecture development set (evals/datasets/real): every caption parses, every reference
follows the rules of its README, and the set keeps the composition issue #23 asks for.

These checks read the JSON directly (not through evals.dataset.Reference), so they state the
dataset's own rules and do not depend on how the evaluators model a reference.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sources.transcript import parse_transcript

REAL = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "real"
CAPTIONS = sorted(p for p in REAL.iterdir() if p.suffix in {".srt", ".vtt", ".txt"})
IDS = [p.stem for p in CAPTIONS]

OPEN_LICENCES = {
    "CC BY 3.0", "CC BY 4.0", "CC BY-SA 4.0", "CC BY-NC-SA 4.0", "CC0", "public domain",
}
# Lectures this round's issues quote: held out as a test set, so never in the development set.
HELD_OUT = re.compile(
    r"tuple|object|many[- ]to[- ]many|function|json|web service|page ?rank|spider"
    r"|conditional|condicional|\bpython class",
    re.IGNORECASE,
)
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _ref(caption: Path) -> dict[str, Any]:
    path = caption.with_name(f"{caption.stem}.ref.json")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _segments(caption: Path) -> list[Any]:
    ref = _ref(caption)
    transcript = parse_transcript(caption.read_text("utf-8"), title=caption.stem,
                                  language=ref.get("language"))
    return transcript.segments


def _starts(caption: Path) -> set[float]:
    return {round(s.start, 3) for s in _segments(caption)}


@pytest.mark.parametrize("caption", CAPTIONS, ids=IDS)
def test_caption_parses_and_has_a_reference(caption: Path) -> None:
    assert KEBAB.match(caption.stem), f"{caption.name}: ids are lowercase-kebab"
    raw = caption.read_bytes()
    raw.decode("utf-8")  # UTF-8, as published
    segments = _segments(caption)
    assert len(segments) >= 50, f"{caption.name}: only {len(segments)} captions"
    assert all(b.start >= a.start for a, b in zip(segments, segments[1:], strict=False))
    assert caption.with_name(f"{caption.stem}.ref.json").is_file()


@pytest.mark.parametrize("caption", CAPTIONS, ids=IDS)
def test_reference_source_block(caption: Path) -> None:
    ref = _ref(caption)
    source = ref["source"]
    for key in ("title", "speaker", "series", "subject", "origin", "licence", "captions"):
        assert isinstance(source.get(key), str) and source[key].strip(), f"source.{key} missing"
    assert source["licence"] in OPEN_LICENCES, source["licence"]
    assert source["captions"] in {"human", "auto"}
    assert ref["language"] in {"en", "es"}
    assert ref["key_concepts"] == [], "the real set derives key_concepts from concepts"
    for chapter in ref.get("video_chapters", []):
        assert chapter["title"].strip() and chapter["start"] >= 0


@pytest.mark.parametrize("caption", CAPTIONS, ids=IDS)
def test_reference_sections_cover_the_lecture_in_order(caption: Path) -> None:
    ref, segments, starts = _ref(caption), _segments(caption), _starts(caption)
    sections = ref["sections"]
    assert len(sections) >= 2
    assert sections[0]["start"] == pytest.approx(segments[0].start, abs=0.01)
    assert sections[-1]["end"] == pytest.approx(segments[-1].end, abs=0.01)
    for prev, nxt in zip(sections, sections[1:], strict=False):
        assert prev["end"] == nxt["start"], f"gap or overlap at {prev['title']!r}"
    for section in sections:
        assert section["title"].strip()
        assert section["start"] < section["end"], section
        assert round(section["start"], 3) in starts, f"{section['title']!r} starts off a caption"
    titles = [s["title"].lower() for s in sections]
    assert len(set(titles)) == len(titles), "duplicate section titles"


@pytest.mark.parametrize("caption", CAPTIONS, ids=IDS)
def test_reference_concepts_and_facts(caption: Path) -> None:
    ref, segments, starts = _ref(caption), _segments(caption), _starts(caption)
    concepts = ref["concepts"]
    assert 4 <= len(concepts) <= 15, len(concepts)
    terms = [c["term"].lower() for c in concepts]
    assert len(set(terms)) == len(terms), "duplicate concept terms"
    for concept in concepts:
        assert concept["term"].strip()
        assert isinstance(concept["aliases"], list)
        first = concept["first_seconds"]
        assert segments[0].start <= first <= segments[-1].end
        assert round(first, 3) in starts, f"{concept['term']!r}: first_seconds off a caption"
    facts = ref["facts"]
    assert 3 <= len(facts) <= 5, len(facts)
    for fact in facts:
        assert fact["question_keywords"] and all(k.strip() for k in fact["question_keywords"])
        assert fact["answer"].strip()


def _speaker(source: dict[str, Any]) -> str:
    return source["speaker"].split(" (")[0].strip()


def test_set_composition() -> None:
    refs = [_ref(c) for c in CAPTIONS]
    sources = [r["source"] for r in refs]
    assert len(CAPTIONS) >= 14
    assert len({_speaker(s) for s in sources}) >= 5, "at least five speakers or channels"
    assert len({s["subject"] for s in sources}) >= 4, "at least four subjects"
    assert any(s["subject"] != "programming" for s in sources)
    per_series = Counter(s["series"] for s in sources)
    assert max(per_series.values()) * 3 <= len(CAPTIONS), per_series
    assert per_series["Python for Everybody"] <= 4
    assert sum(r["language"] == "es" for r in refs) >= 2
    assert sum(s["captions"] == "auto" for s in sources) >= 2
    assert any(_segments(c)[-1].end >= 3600 for c in CAPTIONS), "one lecture of 60 minutes or more"


@pytest.mark.xfail(strict=True, reason="no openly licensed lecture with author chapters found yet "
                   "(see evals/datasets/real/README.md); strict, so adding one makes this pass")
def test_set_has_a_lecture_with_author_chapters() -> None:
    assert any(_ref(c).get("video_chapters") for c in CAPTIONS)


def test_held_out_topics_stay_out() -> None:
    for caption in CAPTIONS:
        ref = _ref(caption)
        for title in (caption.stem, ref["title"], ref["source"]["title"]):
            assert not HELD_OUT.search(title), f"{caption.name}: held-out topic in {title!r}"


def test_held_out_pattern_catches_the_quoted_lectures() -> None:
    quoted = ["PY4E - Tuples (Chapter 10)", "PY4E - Python Objects (Chapter 14 Part 1)",
              "PY4E - Databases - Many-to-Many (Chapter 15 Part 7)", "PY4E - Functions (Chapter 4)",
              "JSON and web services", "The page rank spider", "Condicionales (capítulo 3)"]
    assert all(HELD_OUT.search(t) for t in quoted)
    assert not HELD_OUT.search("Using AI in programming classes")


def test_every_reference_belongs_to_a_caption() -> None:
    refs = {p.name.removesuffix(".ref.json") for p in REAL.glob("*.ref.json")}
    assert refs == set(IDS)
    tutors = {p.name.removesuffix(".tutor.json") for p in REAL.glob("*.tutor.json")}
    assert tutors <= set(IDS)
