"""Lesson: is the authored text free of speech noise, and is the lesson more than the transcript?

The lesson markdown is read block by block (a block = a heading and what follows it):
- a block labelled as the transcript (heading "Transcript" / "Transcripción", or a `<details>`
  whose summary says so) is shown as the transcript: it is neither authored text nor lesson;
- a "Lecture notes" block (the cleaned transcript in paragraphs) is lesson, so it counts in the
  copy figure, but it is not authored prose, so it is left out of the noise figure;
- everything else (overview, definitions, examples), the key points, the examples and the
  section summary is authored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.domain import CourseSection, GeneratedCourse
from evals.dataset import EvalItem
from evals.evaluators.base import EvalResult, share, skipped
from evals.evaluators.base import finding as make_finding
from evals.evaluators.slices import views
from evals.lexicon import speech_noise
from evals.text import plain
from nlp.textutil import words as tokens

SHINGLE = 8  # an 8-word run found in the transcript is a verbatim copy
TRANSCRIPT_LABEL = re.compile(
    r"^(?:(?:full|lecture|video|section)\s+)?(?:transcript|transcripción|transcripcion)\b",
    re.IGNORECASE)
NOTES_LABEL = re.compile(r"^(?:lecture notes|notes|notas(?: de (?:la )?clase)?|apuntes)$",
                         re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_DETAILS = re.compile(r"<details[^>]*>\s*<summary[^>]*>(.*?)</summary>(.*?)</details>",
                      re.IGNORECASE | re.DOTALL)
_STAMP = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?\]")
_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+")


def blocks(markdown: str) -> Iterator[tuple[str, str]]:
    """(kind, text) per block: kind is 'transcript', 'notes' or 'authored'."""
    rest = markdown
    for m in _DETAILS.finditer(markdown):
        label = re.sub(r"<[^>]+>", "", m.group(1)).strip()
        if TRANSCRIPT_LABEL.match(label):
            yield "transcript", m.group(2)
            rest = rest.replace(m.group(0), "\n")
    heading, lines = "", list[str]()
    for line in [*rest.splitlines(), "# end"]:
        h = _HEADING.match(line)
        if h:
            if lines:
                kind = ("transcript" if TRANSCRIPT_LABEL.match(heading)
                        else "notes" if NOTES_LABEL.match(heading) else "authored")
                yield kind, "\n".join(lines)
            heading, lines = h.group(1).strip(), []
        else:
            lines.append(line)


def authored_units(sec: CourseSection) -> list[str]:
    """The authored sentences a learner reads as the course's own words."""
    units = [sec.outline.summary] if sec.outline.summary else []
    if sec.content:
        for kind, text in blocks(sec.content.markdown):
            if kind == "authored":
                units += [u for u in _SPLIT.split(_STAMP.sub(" ", plain(text)))]
        units += sec.content.key_points + sec.content.examples
    return [u.strip() for u in units if len(tokens(u)) >= 2]


def lesson_text(sec: CourseSection) -> str:
    """Everything the lesson shows except a transcript labelled as such."""
    if not sec.content:
        return ""
    parts = [text for kind, text in blocks(sec.content.markdown) if kind != "transcript"]
    return "\n".join([*parts, *sec.content.key_points, *sec.content.examples])


def speech_noise_share(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Share of authored sentences that are speech noise (lower is better; the bar is 0)."""
    noisy = total = 0
    findings = []
    for view in views(course, item):
        for unit in authored_units(view.section):
            total += 1
            if (why := speech_noise(unit)) is not None:
                noisy += 1
                findings.append(make_finding(view.label, why, unit))
    return share("speech_noise", noisy, total, "authored sentences are speech noise", findings)


def _shingles(ws: list[str]) -> set[tuple[str, ...]]:
    return {tuple(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}


def transcript_in_lesson(course: GeneratedCourse, item: EvalItem) -> EvalResult:
    """Share of the transcript's words that the lessons reproduce verbatim (runs of 8 words)
    outside a block labelled as the transcript (lower is better: a study guide selects)."""
    said = [w.lower() for w in tokens(item.transcript.text)]
    if len(said) < SHINGLE:
        return skipped("transcript_in_lesson", "transcript too short")
    lesson = _shingles([w.lower() for sec in course.sections
                        for w in tokens(_STAMP.sub(" ", lesson_text(sec)))])
    covered = [False] * len(said)
    for i in range(len(said) - SHINGLE + 1):
        if tuple(said[i:i + SHINGLE]) in lesson:
            covered[i:i + SHINGLE] = [True] * SHINGLE
    kept = sum(covered)
    findings = []
    if kept / len(said) > 0.5:
        findings.append(make_finding("course", "the lesson is the transcript, not labelled as it",
                                     f"{kept}/{len(said)} transcript words copied"))
    return share("transcript_in_lesson", kept, len(said),
                 "transcript words copied verbatim into the lesson", findings)
