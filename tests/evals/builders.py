"""Build a faithful course from a transcript by hand, and damaged copies of it.

The faithful course is what a perfect generator would produce without an LLM: sections are time
windows of the transcript, each lesson is the window's own sentences, and quiz questions are cut
from those sentences (plus questions on the reference facts, answered as the reference says).
"""

from __future__ import annotations

import random
import re

from core.domain import (
    CourseOutline,
    CourseSection,
    GeneratedCourse,
    OutlineSection,
    QuizQuestion,
    SectionContent,
    SectionSupplement,
    Segment,
    SourceRef,
)
from evals.dataset import EvalItem

_WORD = re.compile(r"[A-Za-zÀ-ÿ]{6,}")


def _windows(segments: list[Segment], n: int) -> list[list[Segment]]:
    size = -(-len(segments) // n)
    return [segments[i : i + size] for i in range(0, len(segments), size)]


def _cloze(seg: Segment, pool: list[str], rng: random.Random, qid: str) -> QuizQuestion | None:
    candidates = _WORD.findall(seg.text)
    if not candidates:
        return None
    answer = rng.choice(candidates)
    distractors = [w for w in dict.fromkeys(pool) if w.casefold() != answer.casefold()]
    rng.shuffle(distractors)
    # One distractor at least as long as the answer, so the key is not the uniquely longest.
    longer = [w for w in distractors if len(w) >= len(answer)][:1]
    rest = [w for w in distractors if w not in longer][: 3 - len(longer)]
    options = [answer, *longer, *rest]
    rng.shuffle(options)
    return QuizQuestion(
        id=qid, type="mcq",
        prompt=f"Complete the statement: {seg.text.replace(answer, '_____', 1)}",
        options=options, answer=answer, explanation=f"The lecture says: {seg.text}",
        source_ref=SourceRef(start_seconds=seg.start, end_seconds=seg.end),
    )


def faithful_course(item: EvalItem, n_sections: int = 4, seed: int = 0) -> GeneratedCourse:
    rng = random.Random(seed)
    segs = item.transcript.segments
    pool = _WORD.findall(item.transcript.text)
    facts = list(item.reference.facts) if item.reference else []
    language = item.expected_language or "en"
    sections: list[CourseSection] = []
    for i, window in enumerate(_windows(segs, n_sections)):
        sid = f"s{i + 1}"
        start, end = window[0].start, window[-1].end
        outline = OutlineSection(id=sid, title=f"Part {i + 1}: {window[0].text[:60]}",
                                 summary=window[0].text, start_seconds=start, end_seconds=end)
        text = " ".join(s.text for s in window)
        questions = [q for j, seg in enumerate(rng.sample(window, min(3, len(window))))
                     if (q := _cloze(seg, pool, rng, f"{sid}-q{j}"))]
        mid = window[len(window) // 2]
        questions.append(QuizQuestion(
            id=f"{sid}-tf", type="true_false", prompt=f"True or false: {mid.text}",
            options=["True", "False"], answer="True", explanation=f"Said at {mid.start:.0f}s.",
            source_ref=SourceRef(start_seconds=mid.start, end_seconds=mid.end)))
        for k, fact in enumerate(facts[i::n_sections]):  # spread the fact questions
            questions.append(QuizQuestion(
                id=f"{sid}-f{k}", type="short",
                prompt=f"About {' and '.join(fact.question_keywords)}?",
                answer=fact.answer, explanation=f"The lecture states it: {fact.answer}.",
                source_ref=SourceRef(start_seconds=start, end_seconds=end)))
        sections.append(CourseSection(
            id=sid, title=outline.title, sequence=i + 1, outline=outline,
            content=SectionContent(section_id=sid, markdown=f"## {outline.title}\n\n{text}",
                                   key_points=[window[0].text],
                                   source_refs=[SourceRef(start_seconds=start, end_seconds=end)]),
            supplement=SectionSupplement(section_id=sid, quiz={"questions": questions}),
        ))
    return GeneratedCourse(outline=CourseOutline(
        title=item.transcript.title or item.id, language=language,
        difficulty=item.expected_difficulty or "beginner",
        estimated_minutes=item.preferences.duration or 30,
        sections=[s.outline for s in sections]), sections=sections)


# --- damage ----------------------------------------------------------------------------------

OFF_TOPIC = (
    "The medieval guild system regulated crafts such as weaving and blacksmithing in European "
    "towns. Apprentices lived with their masters for seven years before becoming journeymen. "
    "Guilds set prices, controlled quality and supported widows of deceased members. Many guild "
    "halls still stand today and are used as museums or restaurants."
)
DENSE = (
    "Notwithstanding the epistemological indeterminacy characterising contemporary "
    "institutional methodologies, comprehensive operationalisation necessitates "
    "multidimensional conceptualisation of interdependent organisational infrastructures, "
    "particularly considering heterogeneous socioeconomic environmental configurations. "
)


def copy(course: GeneratedCourse) -> GeneratedCourse:
    return course.model_copy(deep=True)


def drop_sections(course: GeneratedCourse, keep: int = 1) -> GeneratedCourse:
    c = copy(course)
    c.sections = c.sections[:keep]
    c.outline.sections = c.outline.sections[:keep]
    return c


def replace_lessons(course: GeneratedCourse, text: str) -> GeneratedCourse:
    c = copy(course)
    for s in c.sections:
        assert s.content is not None
        s.content.markdown, s.content.key_points = text, []
    return c


def shift_ranges(course: GeneratedCourse, by: float) -> GeneratedCourse:
    c = copy(course)
    for s in c.sections:
        s.outline.start_seconds += by
        s.outline.end_seconds += by
    c.outline.sections = [s.outline for s in c.sections]
    return c


def swap_answers(course: GeneratedCourse) -> GeneratedCourse:
    """Each question gets the answer of the next one: wrong keys, answers outside the options."""
    c = copy(course)
    qs = [q for s in c.sections if s.supplement for q in s.supplement.quiz.questions]
    answers = [q.answer for q in qs]
    for q, a in zip(qs, answers[1:] + answers[:1], strict=True):
        q.answer = a
    return c
