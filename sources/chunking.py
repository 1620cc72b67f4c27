"""Chunk a transcript by tokens on segment/sentence boundaries (for map-reduce over long videos).

Each chunk's `text` is what the model sees (`format_for_prompt` lines with timestamps) and
`tokens` is measured on that text, so a chunk's budget is honest. Every segment lands in exactly
one chunk, in order; a segment too long for any chunk on its own is split by sentences, then by
words, then by characters as a last resort, with its time range shared out by text length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from core.domain import Segment
from llm.tokens import count_tokens
from sources.transcript import format_for_prompt, split_sentences

Counter = Callable[[str], int]


class Chunk(BaseModel):
    index: int
    start: float
    end: float
    segments: list[Segment]
    text: str
    tokens: int


def _pack(units: list[str], joiner: str, fits: Callable[[str], bool]) -> list[str]:
    """Greedily join units into the fewest pieces that fit; a unit that does not fit on its own
    is split further (words, then characters); a single character is kept as is."""
    pieces: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{joiner}{unit}" if current else unit
        if fits(candidate):
            current = candidate
            continue
        if current:
            pieces.append(current)
            current = ""
        if fits(unit):
            current = unit
        elif joiner == " " and " " in unit:
            pieces.extend(_pack(unit.split(" "), " ", fits))
        elif len(unit) > 1:
            pieces.extend(_pack(list(unit), "", fits))
        else:
            pieces.append(unit)  # unsplittable: one character over budget
    if current:
        pieces.append(current)
    return pieces


def _split_segment(seg: Segment, max_tokens: int, count: Counter) -> list[Segment]:
    # Price every piece with the widest timestamp prefix it could get.
    prefix = f"[{seg.end:.1f}-{seg.end:.1f}] "

    def fits(text: str) -> bool:
        return count(prefix + text) <= max_tokens

    sentences = split_sentences(seg.text) or [seg.text]
    texts = _pack(sentences, " ", fits)
    # Share the segment's time range by character offset in the original text.
    total = max(1, len(seg.text))
    duration = seg.end - seg.start
    pieces: list[Segment] = []
    offset = 0
    for text in texts:
        found = seg.text.find(text, offset)
        a = found if found >= 0 else offset
        b = a + len(text)
        start = round(seg.start + duration * a / total, 3)
        end = round(seg.start + duration * min(b, total) / total, 3)
        pieces.append(Segment(start=start, end=max(start, end), text=text))
        offset = b
    return pieces


def _fit_segment(seg: Segment, max_tokens: int, count: Counter) -> list[Segment]:
    if count(format_for_prompt([seg])) <= max_tokens:
        return [seg]
    parts = _split_segment(seg, max_tokens, count)
    if len(parts) == 1:
        return parts  # unsplittable
    # A piece's real prefix can still cost a token more than estimated; split it again.
    return [p for part in parts for p in _fit_segment(part, max_tokens, count)]


def chunk_by_tokens(
    segments: Iterable[Segment], max_tokens: int, *, count: Counter = count_tokens
) -> list[Chunk]:
    """Split segments into chunks of at most `max_tokens` tokens (as rendered for the prompt)."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    pieces = [p for seg in segments for p in _fit_segment(seg, max_tokens, count)]
    costs = [count(format_for_prompt([p])) for p in pieces]
    newline = count("\n")

    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        # Estimate by summing line costs, then verify on the real text (BPE is not additive
        # across line joins) and give back segments until it fits.
        j, estimate = i + 1, costs[i]
        while j < len(pieces) and estimate + newline + costs[j] <= max_tokens:
            estimate += newline + costs[j]
            j += 1
        while True:
            text = format_for_prompt(pieces[i:j])
            tokens = count(text)
            if tokens <= max_tokens or j - i == 1:
                break
            j -= 1
        group = pieces[i:j]
        chunks.append(
            Chunk(
                index=len(chunks),
                start=min(p.start for p in group),
                end=max(p.end for p in group),
                segments=group,
                text=text,
                tokens=tokens,
            )
        )
        i = j
    return chunks
