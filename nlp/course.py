"""The whole extractive pipeline in one call, plus the per-stage entry points the graph uses.

Stages stay separately callable: analyze (analyzer node), outline (outliner), write_lesson
(writer), make_questions/make_flashcards (supplement), verify_question (validator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.domain import Analysis, AnalysisSegment, OutlineSection
from nlp.concepts import lecture_concepts
from nlp.flashcards import make_flashcards
from nlp.lesson import write_lesson
from nlp.questions import make_questions
from nlp.segmentation import MAX_SECTIONS, MIN_SECTION_SECONDS, Section, build_sections
from nlp.sentences import detect_language, to_sentences
from nlp.textutil import Segment, Sentence
from nlp.titles import course_title

COURSE_TERMS = 30  # distractor pool size: enough terms to find three of the same kind


def section_segments(sentences: Sequence[Sentence], section: Section) -> list[Segment]:
    """A section's speech as (start, end, text) segments: one per sentence, so no neighbour
    fragments leak in (raw cues can straddle a boundary)."""
    return [(s.start, s.end, s.text) for s in sentences[section.first: section.last]]


def outline(segments: Sequence[Segment], language: str | None = None,
            target_sections: int | None = None,
            chapters: Sequence[tuple[float, str]] | None = None,
            min_seconds: float = MIN_SECTION_SECONDS, max_seconds: float | None = None,
            max_sections: int = MAX_SECTIONS) -> tuple[list[Sentence], list[Section]]:
    lang = language or detect_language(" ".join(s[2] for s in segments[:400]))
    sents = to_sentences(segments, lang)
    return sents, build_sections(sents, lang, target_sections, min_seconds, max_seconds,
                                 chapters, max_sections)


def course_terms(sents: Sequence[Sentence], language: str) -> list[str]:
    """The course's key concepts (nlp.concepts): every section's quiz keys, distractors and
    cards come from them, so none is a name, a filler phrase or example data."""
    return lecture_concepts(sents, language, top=COURSE_TERMS)


def analyze(segments: Sequence[Segment], language: str | None = None,
            target_sections: int | None = None,
            chapters: Sequence[tuple[float, str]] | None = None,
            max_sections: int = MAX_SECTIONS,
            chapter_max_seconds: float | None = None) -> Analysis:
    """Analyzer stage: language, key concepts, topics, title and summary. `target_sections` is
    a hint: a speaker who announces more parts gets one section per part, up to
    `max_sections`. An author chapter longer than `chapter_max_seconds` is split at its topic
    shifts (the limit applies to chapters only: without them the sections follow the topics)."""
    lang = language or detect_language(" ".join(s[2] for s in segments[:400]))
    sents, sections = outline(segments, lang, target_sections, chapters,
                              max_seconds=chapter_max_seconds if chapters else None,
                              max_sections=max_sections)
    terms = course_terms(sents, lang)
    title, description = course_title(sents, lang, terms, [s.title for s in sections])
    return Analysis(
        title=title, summary=description, topics=[s.title for s in sections],
        key_concepts=terms, language=lang,
        segments=[AnalysisSegment(title=s.title, start_seconds=s.start, end_seconds=s.end)
                  for s in sections],
    )


def outline_sections(sections: Sequence[Section]) -> list[OutlineSection]:
    return [OutlineSection(id=f"s{i + 1}", title=s.title, start_seconds=s.start,
                           end_seconds=max(s.end, s.start)) for i, s in enumerate(sections)]


def build_extractive_course(segments: Sequence[Segment], language: str | None = None,
                            target_sections: int | None = None,
                            chapters: Sequence[tuple[float, str]] | None = None,
                            ) -> dict[str, Any]:
    """title, description, language, key_terms and sections (title, start, end, content,
    questions, flashcards) for quick manual checks."""
    lang = language or detect_language(" ".join(s[2] for s in segments[:400]))
    sents, sections = outline(segments, lang, target_sections, chapters)
    terms = course_terms(sents, lang)
    title, description = course_title(sents, lang, terms, [s.title for s in sections])
    out_sections = []
    for i, sec in enumerate(sections):
        segs = section_segments(sents, sec)
        out_sections.append({
            "title": sec.title, "start": sec.start, "end": sec.end,
            "content": write_lesson(segs, lang, sec.title, section_id=f"s{i + 1}"),
            "questions": make_questions(segs, terms, lang),
            "flashcards": make_flashcards(segs, lang, terms),
            "segments": segs,
        })
    return {"title": title, "description": description, "language": lang,
            "key_terms": terms, "sections": out_sections}
