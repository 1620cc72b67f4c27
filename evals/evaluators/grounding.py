"""Grounding: are lessons supported by their own transcript slice; are key concepts covered."""

from __future__ import annotations

import re

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.embeddings import Embedder, get_embedder
from evals.evaluators.base import EvalResult, result, skipped
from evals.text import course_text, normalise, section_text, sentences
from sources.transcript import slice_segments

WINDOW = 4  # segments per source passage: cues are sentence fragments, claims span several
STRIDE = 3  # overlapping by one, so a sentence cut by a window edge is whole in the next one
MAX_CLAIMS = 24  # per section, spread evenly: bounds the embedding cost of long lessons
MARGIN_S = 5.0  # a lesson may lean on the sentence just before or after its range


_STAMP = re.compile(r"^\s*\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*")


def _passages(item: EvalItem, start: float, end: float) -> list[str]:
    segs = slice_segments(item.transcript.segments, max(0.0, start - MARGIN_S), end + MARGIN_S)
    texts = [s.text for s in segs]
    if len(texts) <= WINDOW:
        return [" ".join(texts)] if texts else []
    return [" ".join(texts[i : i + WINDOW]) for i in range(0, len(texts) - WINDOW + STRIDE, STRIDE)]


def groundedness(
    course: GeneratedCourse, item: EvalItem, *, embedder: Embedder | None = None
) -> EvalResult:
    """Mean over sections of the share of lesson sentences supported by the section's slice."""
    embedder = embedder or get_embedder()
    if not course.sections:
        return result("groundedness", 0.0, f"no sections [{embedder.name}]")
    per_section: list[tuple[float, str]] = []
    for sec in course.sections:
        claims = sentences(section_text(sec))
        if len(claims) > MAX_CLAIMS:
            step = len(claims) / MAX_CLAIMS
            claims = [claims[int(i * step)] for i in range(MAX_CLAIMS)]
        if not claims:
            per_section.append((0.0, sec.title))
            continue
        sources = _passages(item, sec.outline.start_seconds, sec.outline.end_seconds)
        if not sources:
            per_section.append((0.0, sec.title))
            continue
        # a claim quoted from the slice is grounded by definition; embeddings judge the rest
        # (a short quote such as "Finally, why should you care?" embeds far from any passage)
        spoken = normalise(" ".join(sources))
        said = [normalise(_STAMP.sub("", c)) for c in claims]
        quoted = [c for c, n in zip(claims, said, strict=True) if len(n) > 12 and n in spoken]
        rest = [c for c in claims if c not in quoted]
        sims = embedder.similarity(rest, sources) if rest else []
        supported = len(quoted) + sum(max(row) >= embedder.support_threshold for row in sims)
        per_section.append((supported / len(claims), sec.title))
    score = sum(s for s, _ in per_section) / len(per_section)
    worst = min(per_section)
    return result(
        "groundedness", score,
        f"backend {embedder.name} (threshold {embedder.support_threshold}); "
        f"least grounded: {worst[1]!r} at {worst[0]:.2f}",
    )


def _pattern(term: str) -> re.Pattern[str]:
    # Whole words, with an optional plural ending, so "port" does not match "important".
    return re.compile(rf"(?<!\w){re.escape(normalise(term))}(?:e?s)?(?!\w)")


def concept_found(alternatives: list[str], text: str) -> bool:
    return any(_pattern(alt).search(text) for alt in alternatives)


def key_concept_recall(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Share of the reference's key concepts that the course mentions anywhere."""
    concepts = item.reference.key_concepts if item.reference else []
    if not concepts:
        return skipped("key_concept_recall", "no reference key concepts")
    text = normalise(course_text(course))
    missing = [alts[0] for alts in concepts if not concept_found(alts, text)]
    found = len(concepts) - len(missing)
    comment = f"{found}/{len(concepts)} concepts" + (f"; missing {missing}" if missing else "")
    return result("key_concept_recall", found / len(concepts), comment)
