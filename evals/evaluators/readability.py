"""Reading level of the lessons against the item's difficulty (Flesch-Kincaid grade)."""

from __future__ import annotations

import re

from core.domain import GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, result, skipped
from evals.text import plain, section_text, words

# US school grades a lesson should read at, per difficulty.
GRADE_BANDS = {"beginner": (4.0, 9.0), "intermediate": (7.0, 12.5), "advanced": (9.0, 17.0)}
PENALTY_PER_GRADE = 0.15
_VOWELS = re.compile(r"[aeiouyáéíóúü]+")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n\s*\n")


def syllables(word: str) -> int:
    """Vowel-group count with the usual English silent-e fix; at least one per word."""
    w = word.casefold()
    n = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee")) and n > 1:
        n -= 1
    return max(1, n)


def grade_level(text: str, language: str = "en") -> float | None:
    """Flesch-Kincaid grade for English; Spanish uses Fernández-Huerta ease mapped to a grade."""
    prose = plain(text)
    ws = [w for w in words(prose) if not w[0].isdigit()]
    if len(ws) < 30:
        return None
    n_sent = max(1, len([s for s in _SENTENCE_END.split(prose) if words(s)]))
    syl = sum(syllables(w) for w in ws)
    if language.startswith("es"):
        ease = 206.84 - 0.60 * (100 * syl / len(ws)) - 1.02 * (100 * n_sent / len(ws))
        return 5 + (95 - ease) / 7
    return 0.39 * len(ws) / n_sent + 11.8 * syl / len(ws) - 15.59


def reading_level(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """1 when the lessons' grade level sits in the difficulty's band, less per grade outside."""
    difficulty = item.expected_difficulty or course.outline.difficulty
    lo, hi = GRADE_BANDS[difficulty]
    language = item.expected_language or course.outline.language or "en"
    text = "\n\n".join(section_text(s) for s in course.sections)
    grade = grade_level(text, language)
    if grade is None:
        return skipped("reading_level", "too little lesson text to measure")
    distance = max(lo - grade, 0.0, grade - hi)
    return result("reading_level", 1 - PENALTY_PER_GRADE * distance,
                  f"grade {grade:.1f} for {difficulty} (band {lo:g}-{hi:g}, {language})")
