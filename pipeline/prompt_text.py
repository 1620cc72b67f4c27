"""The transcript as the prompts show it: timed lines of about a sentence or a few.

Captions come in cues of a few words (an .srt cue is ~3 s, ~40 characters); stamping every cue
spent ~13 characters of `[101.4-105.0] ` per 40 of speech. Consecutive cues are joined into one
line up to a sentence end (or LINE_SECONDS / LINE_CHARS), each line stamped `[start-end]` in
whole seconds (start rounded down, end up, so the stamp still covers the line): a model cites
a range within seconds of what it uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from core.domain import Segment

LINE_SECONDS = 20.0  # a line spans at most this long...
LINE_CHARS = 320  # ...or this many characters of speech
MIN_LINE_SECONDS = 8.0  # a sentence end closes a line only once it is this long
SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")


def _line(start: float, end: float, words: list[str]) -> str:
    return f"[{math.floor(start)}-{math.ceil(end)}] {' '.join(words)}"


def timed_lines(segments: Iterable[Segment]) -> str:
    """`[start-end] text` lines, each joining consecutive cues (see the module docstring)."""
    lines: list[str] = []
    start = end = 0.0
    words: list[str] = []
    for seg in segments:
        text = " ".join(seg.text.split())
        if not text:
            continue
        if words and (seg.end - start > LINE_SECONDS
                      or sum(map(len, words)) + len(text) > LINE_CHARS):
            lines.append(_line(start, end, words))
            words = []
        if not words:
            start = seg.start
        words.append(text)
        end = seg.end
        if text.endswith(SENTENCE_END) and end - start >= MIN_LINE_SECONDS:
            lines.append(_line(start, end, words))
            words = []
    if words:
        lines.append(_line(start, end, words))
    return "\n".join(lines)
