"""The lecture's topic structure, which decides how many sections a course has and where they
start and end (study time decides depth, agents/depth.py, never the count).

Topic blocks come from the analysis (or the extractive segmentation when it found none). A block
shorter than MIN_TOPIC_SECONDS is too thin to teach alone and joins its shorter neighbour; one
longer than MAX_TOPIC_SECONDS is split into equal spans; a video longer than PART_AFTER_SECONDS
groups its sections into parts of about PART_SECONDS each.
"""

from __future__ import annotations

import math

from core.domain import AnalysisSegment, OutlineSection

MIN_TOPIC_SECONDS = 90.0
MAX_TOPIC_SECONDS = 20 * 60.0
PART_AFTER_SECONDS = 45 * 60.0
PART_SECONDS = 30 * 60.0


def _contiguous(blocks: list[AnalysisSegment], duration: float) -> list[AnalysisSegment]:
    """Sorted, clamped into [0, duration], each starting where the previous ends."""
    ordered = sorted((b for b in blocks if b.title.strip()), key=lambda b: b.start_seconds)
    starts = [0.0] + [min(max(b.start_seconds, 0.0), duration) for b in ordered[1:]]
    ends = [*starts[1:], duration]
    out = [AnalysisSegment(title=b.title.strip(), start_seconds=a, end_seconds=e)
           for b, a, e in zip(ordered, starts, ends, strict=True) if e > a]
    return out or [AnalysisSegment(title="Lecture", start_seconds=0, end_seconds=duration)]


def _length(b: AnalysisSegment) -> float:
    return b.end_seconds - b.start_seconds


def _join(a: AnalysisSegment, b: AnalysisSegment) -> AnalysisSegment:
    """Two neighbours as one block, titled after the longer."""
    title = a.title if _length(a) >= _length(b) else b.title
    return AnalysisSegment(title=title, start_seconds=a.start_seconds, end_seconds=b.end_seconds)


def _merge_shortest(blocks: list[AnalysisSegment]) -> list[AnalysisSegment]:
    """Join the shortest block with its shorter neighbour."""
    i = min(range(len(blocks)), key=lambda k: _length(blocks[k]))
    if i == 0:
        j = 1
    elif i == len(blocks) - 1:
        j = i - 1
    else:
        j = i - 1 if _length(blocks[i - 1]) <= _length(blocks[i + 1]) else i + 1
    lo, hi = min(i, j), max(i, j)
    return [*blocks[:lo], _join(blocks[lo], blocks[hi]), *blocks[hi + 1:]]


def _split_long(blocks: list[AnalysisSegment]) -> list[AnalysisSegment]:
    out = []
    for b in blocks:
        pieces = math.ceil(_length(b) / MAX_TOPIC_SECONDS)
        if pieces <= 1:
            out.append(b)
            continue
        step = _length(b) / pieces
        out += [AnalysisSegment(title=f"{b.title} ({k + 1}/{pieces})",
                                start_seconds=b.start_seconds + k * step,
                                end_seconds=b.start_seconds + (k + 1) * step)
                for k in range(pieces)]
    return out


def lecture_topics(blocks: list[AnalysisSegment], duration: float, max_sections: int
                   ) -> list[AnalysisSegment]:
    """One entry per section the course should have, in lecture order, partitioning
    [0, duration]: short blocks merged, long ones split, at most `max_sections`."""
    duration = max(duration, 1.0)
    topics = _contiguous(blocks, duration)
    while len(topics) > 1 and min(map(_length, topics)) < MIN_TOPIC_SECONDS:
        topics = _merge_shortest(topics)
    topics = _split_long(topics)
    while len(topics) > max(1, max_sections):
        topics = _merge_smallest_pair(topics)
    return topics


def _merge_smallest_pair(blocks: list[AnalysisSegment]) -> list[AnalysisSegment]:
    """Join the two neighbours that make the shortest block (keeps sections even in size)."""
    i = min(range(len(blocks) - 1), key=lambda k: _length(blocks[k]) + _length(blocks[k + 1]))
    return [*blocks[:i], _join(blocks[i], blocks[i + 1]), *blocks[i + 2:]]


def with_parts(sections: list[OutlineSection], duration: float) -> list[OutlineSection]:
    """Sections of a video longer than PART_AFTER_SECONDS grouped into consecutive parts of
    about PART_SECONDS ('Part 2: <its first section>'); shorter videos have no parts."""
    if duration <= PART_AFTER_SECONDS or len(sections) < 2:
        return [s.model_copy(update={"part": ""}) for s in sections]
    count = min(len(sections), max(2, round(duration / PART_SECONDS)))
    span = duration / count
    out: list[OutlineSection] = []
    number, title = 0, ""
    for s in sections:
        mid = (s.start_seconds + s.end_seconds) / 2
        wanted = min(count, int(mid // span) + 1)
        if wanted > number:  # a new part starts with this section
            number, title = wanted, f"Part {len(_titles(out)) + 1}: {s.title}"
        out.append(s.model_copy(update={"part": title}))
    return out


def _titles(sections: list[OutlineSection]) -> list[str]:
    return list(dict.fromkeys(s.part for s in sections if s.part))
