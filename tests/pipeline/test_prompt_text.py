"""The transcript as prompts show it: cues joined into timed lines, nothing lost or repeated."""

from __future__ import annotations

import re

from core.domain import Segment
from pipeline.prompt_text import LINE_SECONDS, timed_lines
from sources.transcript import format_for_prompt, parse_transcript
from testkit.client import SAMPLE

LINE = re.compile(r"^\[(\d+)-(\d+)\] (.+)$")


def test_every_cue_is_sent_once_in_order_under_a_stamp_covering_it() -> None:
    segments = parse_transcript(SAMPLE).segments
    text = timed_lines(segments)
    lines = [LINE.match(ln) for ln in text.splitlines()]
    assert all(lines)
    spoken = " ".join(m.group(3) for m in lines if m)
    assert spoken == " ".join(" ".join(s.text.split()) for s in segments)
    cursor = 0
    for m in lines:
        assert m is not None
        start, end = float(m.group(1)), float(m.group(2))
        assert end - start <= LINE_SECONDS + 5  # one cue past the limit at most
        # the cues this line joined are the next ones, and its stamp spans them
        joined = []
        while " ".join(joined) != m.group(3):
            joined.append(" ".join(segments[cursor].text.split()))
            assert start <= segments[cursor].start < start + 1 or len(joined) > 1
            cursor += 1
        assert end - 1 < segments[cursor - 1].end <= end
    assert cursor == len(segments)
    # the point of it: far fewer stamps than one per cue
    assert len(lines) < len(segments) / 2
    assert len(text) < 0.9 * len(format_for_prompt(segments))


def test_a_sentence_end_closes_a_line_once_it_is_long_enough() -> None:
    cues = [Segment(start=0, end=3, text="Short."), Segment(start=3, end=9, text="Caches keep"),
            Segment(start=9, end=12, text="copies."), Segment(start=12, end=14, text="Next")]
    assert timed_lines(cues) == "[0-12] Short. Caches keep copies.\n[12-14] Next"
