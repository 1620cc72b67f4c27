"""A generated section seen with its own transcript slice and the reference concepts it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.domain import CourseSection, GeneratedCourse
from evals.dataset import Concept, EvalItem
from evals.lexicon import concept_named, concepts_of, is_concept, mentions, repeated_noun_phrase


def stamp(seconds: float) -> str:
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60:02d}:{s % 60:02d}"


@dataclass
class SectionView:
    number: int  # 1-based, as a reader counts sections
    section: CourseSection
    start: float
    end: float
    text: str  # the transcript said inside [start, end)
    concepts: list[Concept] = field(default_factory=list)  # reference concepts said in it

    @property
    def label(self) -> str:
        return f"s{self.number}"


def names_section_concept(phrase: str, view: SectionView, language: str | None) -> bool:
    """`phrase` names a key concept of the section: a reference concept said in its slice, or a
    common noun phrase the slice itself says at least 3 times (references list 4-15 concepts,
    not every term a section teaches)."""
    if is_concept(phrase, view.concepts):
        return True
    parts = [p for p in re.split(r"\s+(?:and|y|&|or|o)\s+|,\s*|:\s*", phrase) if p.strip()]
    return any(repeated_noun_phrase(p, view.text, language) for p in parts)


def views(course: GeneratedCourse, item: EvalItem) -> list[SectionView]:
    all_concepts = concepts_of(item.reference)
    out = []
    for n, sec in enumerate(course.sections, 1):
        a, b = sec.outline.start_seconds, sec.outline.end_seconds
        text = " ".join(s.text for s in item.transcript.segments if a <= s.start < b)
        found = [c for c in all_concepts if any(mentions(f, text) for f in c.forms)]
        out.append(SectionView(n, sec, a, b, text, found))
    return out


def lecture_text(item: EvalItem) -> str:
    return item.transcript.text


__all__ = ["SectionView", "concept_named", "lecture_text", "names_section_concept", "stamp",
           "views"]
