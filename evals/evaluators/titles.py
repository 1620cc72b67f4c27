"""Titles: does each section title name a key concept of its own slice?

A title passes when it names a reference concept said in its slice (term or alias) or a noun
phrase the slice repeats (≥ 3 times, not filler), and carries none of the flags: the speaker's
name, a filler phrase ("The Point", "Introduction"), a phrase that is no noun phrase ("True and
Left", "It Added Fifteen More Pages").
"""

from __future__ import annotations

import re

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, share, skipped
from evals.evaluators.base import finding as make_finding
from evals.evaluators.slices import SectionView, names_section_concept, views
from evals.lexicon import filler_only, is_concept, noun_phrase_problem
from nlp.textutil import fold
from nlp.textutil import words as tokens

GENERIC_TITLES = re.compile(
    r"^(?:part|section|topic|chapter|module|lesson|parte|sección|tema|capítulo)\s*\d*$"
    r"|^(?:intro(?:duction)?|conclusion|summary|overview|recap|wrap[- ]?up|q ?& ?a|questions"
    r"|cheat sheet|misc(?:ellaneous)?|introducción|conclusión|resumen)$",
    re.IGNORECASE,
)


def speaker_names(item: EvalItem) -> set[str]:
    src = item.reference.source if item.reference else None
    if not src or not src.speaker:
        return set()
    skip = {"dr", "prof", "professor", "mr", "ms", "mrs", "de", "la", "del", "van", "von"}
    return {fold(w) for w in tokens(src.speaker) if len(w) > 2 and fold(w) not in skip}


def title_flags(title: str, view: SectionView, item: EvalItem) -> list[str]:
    """Why a reader would not take `title` as a topic's name (empty: no flag)."""
    lang = item.expected_language
    flags = []
    names = speaker_names(item) & {fold(w) for w in tokens(title)}
    if names:
        flags.append(f"speaker's name ({', '.join(sorted(names))})")
    parts = [p for p in re.split(r"\s+(?:and|y|&)\s+|,\s*|:\s*", title) if p.strip()]
    if GENERIC_TITLES.match(title.strip()) or any(filler_only(p, lang) for p in parts):
        flags.append("filler phrase")
    elif (why := noun_phrase_problem(title, view.text, lang)) is not None:
        flags.append(f"not a noun phrase: {why}")
    return flags


def title_problems(view: SectionView, item: EvalItem) -> list[str]:
    title = view.section.title
    problems = title_flags(title, view, item)
    named = is_concept(title, view.concepts) or any(
        is_concept(part, view.concepts) for part in re.split(r"\s+(?:and|y|&)\s+|,\s*|:\s*", title))
    if not named and not names_section_concept(title, view, item.expected_language):
        problems.append("names no key concept of its slice")
    return problems


def titles_name_concepts(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Share of section titles that name a key concept of their own slice, with no flag."""
    if item.reference is None or not (item.reference.concepts or item.reference.key_concepts):
        return skipped("titles", "no reference concepts")
    good, findings = 0, []
    for view in views(course, item):
        problems = title_problems(view, item)
        if problems:
            findings.append(make_finding(view.label, "; ".join(problems), view.section.title))
        else:
            good += 1
    return share("titles", good, len(course.sections), "titles name a key concept", findings)
