"""Text helpers shared by the evaluators: normalising, sentence splitting, course text."""

from __future__ import annotations

import re
import unicodedata

from core.domain import CourseSection, GeneratedCourse

_MD = re.compile(r"[#>*_`|~\[\]()]+")
_URL = re.compile(r"https?://\S+")
_SENT = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)?%?", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, accents stripped, whitespace collapsed: for substring matching."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace(" %", "%")
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def plain(markdown: str) -> str:
    """Markdown reduced to prose (headings, emphasis, links and code marks dropped)."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # list bullets
        lines.append(_MD.sub(" ", _URL.sub(" ", line)))
    return "\n".join(lines)


def sentences(text: str, *, min_words: int = 4) -> list[str]:
    """Prose sentences of at least `min_words` words (headings and fragments are not claims)."""
    out = []
    for s in _SENT.split(plain(text)):
        s = s.strip()
        if len(words(s)) >= min_words:
            out.append(s)
    return out


def section_text(section: CourseSection) -> str:
    """What a learner reads in a section: lesson markdown, key points and examples."""
    parts: list[str] = []
    if section.content:
        parts.append(section.content.markdown)
        parts.extend(f"{p}." if not p.rstrip().endswith((".", "!", "?")) else p
                     for p in section.content.key_points + section.content.examples)
    return "\n".join(parts)


def course_text(course: GeneratedCourse) -> str:
    """Everything a course shows, as text."""
    o = course.outline
    parts = [o.title, o.description, *o.learning_objectives]
    for s in o.sections:
        parts += [s.title, s.summary, *s.objectives, *s.lessons]
    for sec in course.sections:
        parts.append(section_text(sec))
        if sec.supplement:
            for q in sec.supplement.quiz.questions:
                parts += [q.prompt, *q.options, q.answer, q.explanation]
            parts += [f"{f.term}: {f.definition}" for f in sec.supplement.flashcards]
            parts += [f"{e.prompt} {e.solution}" for e in sec.supplement.exercises]
    return "\n".join(p for p in parts if p)


def section_ranges(course: GeneratedCourse) -> list[tuple[float, float]]:
    """Time ranges of the sections: the generated sections' outlines, else the outline's."""
    outlines = [s.outline for s in course.sections] or list(course.outline.sections)
    return [(o.start_seconds, o.end_seconds) for o in outlines]
