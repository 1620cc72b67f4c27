"""sources/transcript.py: parsing .srt/.vtt/.txt, normalisation, rendering, slicing, chunking."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.domain import Segment
from llm.tokens import count_tokens
from sources.chunking import chunk_by_tokens
from sources.transcript import (
    TranscriptParseError,
    detect_format,
    format_for_prompt,
    parse_transcript,
    slice_segments,
    to_srt,
)

SRT = (
    "\ufeff1\r\n00:00:00,648 --> 00:00:03,582\r\n"
    "- Hello and welcome to\r\nour chapter on databases.\r\n"
    "\r\n2\r\n00:00:03,582 --> 00:00:05,848\r\n[Music] We&#39;re gonna   learn (laughs) a lot.\r\n"
    "\r\n3\r\n00:00:05,848 --> 00:00:07,000\r\n[Applause]\r\n\r\n"
    "4\r\n01:02:03,5 --> 01:02:04,250\r\n<i>Late</i> cue.\r\n"
)

# The shape YouTube's auto-generated captions download as: a one-space line before the payload,
# inline word timings in <c> tags, and each cue repeating the previous line (rolling), plus
# 10 ms "hold" cues that only repeat.
YT_VTT = (Path(__file__).parent / "data" / "youtube_auto_captions.vtt").read_text()

VTT = """WEBVTT

intro
00:01.000 --> 00:04.500 line:90%
<v Roger>So &amp; then
we <b>cache</b> it.

00:04.500 --> 00:06.000
Done.
"""

HAVE_REAL = sorted(Path("/work/shared/data/transcripts").glob("*.srt"))


def texts(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (SRT, "srt"),
        (YT_VTT, "vtt"),
        (VTT, "vtt"),
        ("00:00:01.000 --> 00:00:02.000\nhi", "vtt"),
        ("Just some words. More words.", "txt"),
        ("[00:01:23] hi there", "txt"),
    ],
)
def test_detect_format(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


def test_srt_joins_lines_and_drops_tags() -> None:
    t = parse_transcript(SRT, title="DB")
    assert t.source == "srt" and t.title == "DB"
    assert texts(t.segments) == [
        "Hello and welcome to our chapter on databases.",
        "We're gonna learn a lot.",
        "Late cue.",
    ]
    assert (t.segments[0].start, t.segments[0].end) == (0.648, 3.582)
    assert t.segments[-1].start == pytest.approx(3723.5)
    assert t.duration == pytest.approx(3724.25)


def test_youtube_auto_captions_rolling_lines_are_deduplicated() -> None:
    t = parse_transcript(YT_VTT)
    assert t.source == "vtt"
    assert texts(t.segments) == ["hello everyone welcome", "to the class", "today we talk caching"]
    assert [s.start for s in t.segments] == [0.0, 2.36, 5.01]
    assert t.text == "hello everyone welcome to the class today we talk caching"


def test_vtt_voice_tags_entities_short_timestamps() -> None:
    t = parse_transcript(VTT)
    assert texts(t.segments) == ["So & then we cache it.", "Done."]
    assert t.segments[0].start == 1.0 and t.segments[0].end == 4.5


def test_plain_text_gets_estimated_timing() -> None:
    words = " ".join(["word"] * 150)
    t = parse_transcript(f"First sentence here. {words}.\n\nSecond paragraph [Applause] ends.")
    assert t.source == "txt"
    assert texts(t.segments)[0] == "First sentence here."
    # 150 words/minute: the 150-word run (cut into 40-word pieces) spans ~60 s.
    assert t.duration == pytest.approx((3 + 150 + 3) / 2.5, rel=0.05)
    assert texts(t.segments)[-1] == "Second paragraph ends."
    starts = [s.start for s in t.segments]
    assert starts == sorted(starts) and all(s.end > s.start for s in t.segments)


def test_plain_text_with_line_timestamps() -> None:
    t = parse_transcript(
        "[00:00:05] Welcome back.\ncontinued line\n1:23 Next point\n(1:02:03) Last"
    )
    assert [(s.start, s.text) for s in t.segments] == [
        (5.0, "Welcome back. continued line"),
        (83.0, "Next point"),
        (3723.0, "Last"),
    ]
    assert t.segments[0].end == 83.0 and t.segments[-1].end > 3723.0


@pytest.mark.parametrize(
    ("text", "fmt", "match"),
    [
        ("", None, "empty"),
        ("   \n\t ", None, "empty"),
        ("\x00\x01binary", None, "binary"),
        ("not a subtitle file at all", "srt", "no speech found in the srt"),
        ("WEBVTT\n\nNOTE only a note\n", None, "no speech found in the vtt"),
        ("... --- !!!", None, "no words"),
    ],
)
def test_parse_errors(text: str, fmt: str | None, match: str) -> None:
    with pytest.raises(TranscriptParseError, match=match):
        parse_transcript(text, fmt)  # type: ignore[arg-type]


def test_to_srt_format() -> None:
    out = to_srt([Segment(start=3723.5, end=3724.25, text="Hi.")])
    assert out == "1\n01:02:03,500 --> 01:02:04,250\nHi.\n\n"


def test_slice_and_prompt_format() -> None:
    segs = [Segment(start=float(i * 5), end=float(i * 5 + 5), text=f"s{i}") for i in range(6)]
    assert texts(slice_segments(segs, 7, 16)) == ["s1", "s2", "s3"]
    assert texts(slice_segments(segs, 10, 15)) == ["s2"]
    assert format_for_prompt(segs[:2]) == "[0.0-5.0] s0\n[5.0-10.0] s1"


def test_chunking_splits_an_over_long_segment_by_sentences() -> None:
    body = " ".join(f"Sentence {i} explains one more caching rule." for i in range(60))
    seg = Segment(start=100.0, end=400.0, text=body)
    chunks = chunk_by_tokens([seg], 80)
    assert len(chunks) > 1
    assert all(c.tokens <= 80 and c.tokens == count_tokens(c.text) for c in chunks)
    pieces = [p for c in chunks for p in c.segments]
    assert " ".join(p.text for p in pieces) == body
    assert all(p.text.endswith(".") for p in pieces)  # cut on sentence boundaries
    assert pieces[0].start == 100.0 and pieces[-1].end == 400.0
    assert all(a.end <= b.start + 1e-6 for a, b in zip(pieces, pieces[1:], strict=False))


def test_sample_lecture_is_8_to_12_minutes() -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt"
    t = parse_transcript(sample.read_text(), title="HTTP caching")
    assert 8 * 60 <= t.duration <= 12 * 60
    assert len(t.segments) > 100
    assert "ETag" in t.text and "stale-while-revalidate" in t.text


@pytest.mark.skipif(not HAVE_REAL, reason="shared sample transcripts not present")
@pytest.mark.parametrize("path", HAVE_REAL, ids=lambda p: p.name[-15:])
def test_real_caption_files(path: Path) -> None:
    t = parse_transcript(path.read_text(encoding="utf-8"))
    assert len(t.segments) > 100 and t.duration > 300
    starts = [s.start for s in t.segments]
    assert starts == sorted(starts)
    assert not any(s.text.startswith("- ") or "  " in s.text for s in t.segments)
    chunks = chunk_by_tokens(t.segments, 400)
    assert [s for c in chunks for s in c.segments] == t.segments
    assert all(c.tokens <= 400 for c in chunks)
    assert parse_transcript(to_srt(t.segments)).segments == t.segments


def test_entities_are_unescaped_once() -> None:
    # "&amp;lt;script&amp;gt;" in a caption is the text "&lt;script&gt;", not a tag
    srt = "1\n00:00:01,000 --> 00:00:02,000\nsee &amp;lt;script&amp;gt; &amp; more\n\n"
    [seg] = parse_transcript(srt).segments
    assert seg.text == "see &lt;script&gt; & more"
