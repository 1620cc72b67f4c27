"""Supplement: per section a quiz with an answer key, exercises and key-term flashcards."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime
from pydantic import Field

from agents.section_checks import QuizCheck
from core.domain import CamelModel, Exercise, Flashcard, Quiz, SectionContent, SectionSupplement
from core.timecodes import timestamp
from llm.errors import LLMCallFailed
from nlp.flashcards import make_flashcards
from nlp.questions import make_questions
from nlp.textutil import find_term
from nlp.titles import as_phrase
from pipeline.context import CourseContext, course_context, track
from pipeline.sections import clamp_ref, feedback_block, task_section, task_segments
from pipeline.state import SectionTask, to_state
from prompts import fence_untrusted, load_prompt

TRUE_FALSE = ["True", "False"]
# The quiz writer reads the lesson's key points, examples and opening, not all of it: the
# lesson already restates the slice, and sending it whole would add ~0.5x the transcript in
# input tokens (measured by benchmarks/pipeline_bench.py).
LESSON_EXCERPT_CHARS = 400


def lesson_digest(content: SectionContent) -> str:
    text = content.markdown
    if len(text) > LESSON_EXCERPT_CHARS:
        cut = text[:LESSON_EXCERPT_CHARS]
        end = max(cut.rfind(". "), cut.rfind("\n"))
        text = cut[: end + 1] if end > LESSON_EXCERPT_CHARS // 2 else cut
    parts = [text]
    if content.key_points:
        parts.append("Key points:\n" + "\n".join(f"- {p}" for p in content.key_points))
    if content.examples:
        parts.append("Examples:\n" + "\n".join(f"- {e[:300]}" for e in content.examples))
    return "\n\n".join(parts)


class SupplementDraft(CamelModel):
    quiz: Quiz
    exercises: list[Exercise] = Field(default_factory=list)
    flashcards: list[Flashcard] = Field(default_factory=list)


def tidy_supplement(draft: SupplementDraft, task: SectionTask) -> SectionSupplement:
    """Stable ids, canonical true/false options, refs inside the section's range."""
    section = task_section(task)
    questions = []
    for i, q in enumerate(draft.quiz.questions, start=1):
        update: dict[str, Any] = {"id": f"{section.id}-q{i}",
                                  "source_ref": clamp_ref(q.source_ref, section)}
        if q.type == "true_false":
            answer = q.answer.strip().lower()
            update["options"] = TRUE_FALSE
            update["answer"] = {"true": "True", "false": "False"}.get(answer, q.answer)
        if q.type == "short":
            update["options"] = []
        questions.append(q.model_copy(update=update))
    exercises = [e.model_copy(update={"id": f"{section.id}-e{i}"})
                 for i, e in enumerate(draft.exercises, start=1)]
    return SectionSupplement(section_id=section.id, quiz=Quiz(questions=questions),
                             exercises=exercises, flashcards=draft.flashcards)


EXPLAIN = {"en": "In a few sentences of your own, explain {topic}. Then compare your answer "
                 "with the lecture from {at}.",
           "es": "Explica con tus palabras: {topic}. Luego compara tu respuesta con la clase "
                 "desde {at}."}
# the section's first objective ("Define tuple", "Explain how X differs from Y") as the task
TASK = {"en": "{task} in a few sentences of your own. Then compare your answer with the "
              "lecture from {at}.",
        "es": "Con tus palabras: {task}. Luego compara tu respuesta con la clase desde {at}."}


def extract_quiz(task: SectionTask, question_count: int) -> Quiz:
    """Extractive questions only (cloze, multiple choice, true/false), each keyed to a sentence
    of the slice, with the course's other key terms as distractors. The validator's
    replacements need no cards, which cost as much again to build."""
    segments = [(a, b, t) for a, b, t in task["segments"]]
    questions = make_questions(segments, task["outline_brief"].get("terms") or [],
                               task["language"], max_questions=question_count)
    return tidy_supplement(SupplementDraft(quiz=Quiz(questions=questions)), task).quiz


def extract_supplement(task: SectionTask, question_count: int) -> SectionSupplement:
    """Extractive strategy: the questions of `extract_quiz`, definition cards, and
    explain-it-yourself exercises answered by the lecture's own definition."""
    segments = [(a, b, t) for a, b, t in task["segments"]]
    language = task["language"]
    questions = extract_quiz(task, question_count).questions
    cards = make_flashcards(segments, language, task["outline_brief"].get("terms") or None)
    lang = language.split("-")[0]
    section = task_section(task)
    at = timestamp(section.start_seconds)
    # one exercise (about 4 minutes of study) on the section's first concept objective,
    # answered by that concept's definition card, else the section's own summary
    if section.objectives:
        goal = section.objectives[0]
        task_text = goal if lang != "es" else goal[:1].lower() + goal[1:]
        prompt = TASK.get(lang, TASK["en"]).format(task=task_text, at=at)
        card = next((c for c in cards if find_term(c.term, goal)), None)
        solution = card.definition if card else section.summary
    else:
        prompt = EXPLAIN.get(lang, EXPLAIN["en"]).format(topic=as_phrase(section.title), at=at)
        solution = section.summary or (cards[0].definition if cards else "")
    exercises = [Exercise(prompt=prompt, solution=solution)]
    draft = SupplementDraft(quiz=Quiz(questions=questions), exercises=exercises,
                            flashcards=cards)
    return tidy_supplement(draft, task)


def check_quiz(supp: SectionSupplement | None, task: SectionTask, wanted: int, *,
               spares: bool, earlier: QuizCheck | None = None) -> QuizCheck:
    """Verify a section's quiz; when a question fails and `spares`, draw the extractive
    questions that would replace it now (or take `earlier`'s, drawn from the same slice for
    the same quiz length), so validate has nothing left to compute. The extractive
    strategy's own questions are verified as they are made: no spares for it."""
    check = QuizCheck.of(supp, task_section(task), task_segments(task), task["language"])
    if spares and check.problems():
        count = max(wanted, len(supp.quiz.questions) if supp else 0)
        check.spares = (earlier.spares if earlier is not None and earlier.spares_for == count
                        else extract_quiz(task, count).questions)
        check.spares_for = count
    return check


async def draft_supplement(ctx: CourseContext, task: SectionTask, *, cache: bool = True
                           ) -> SectionSupplement:
    count = ctx.questions_wanted()
    if ctx.extractive():
        return await ctx.cpu(extract_supplement, task, count)
    section = task_section(task)
    content = SectionContent.model_validate(task["content"])
    brief = task["outline_brief"]
    # The course brief and the instructions come first, identical for every section of the
    # course, so a provider's prefix cache reuses them; what is this section's comes last.
    system, user = load_prompt("supplement").render(
        language=task["language"], difficulty=task["difficulty"],
        course_title=brief["title"], section_titles="; ".join(brief["sections"]),
        question_count=count, section_number=task["index"] + 1, section_title=section.title,
        start_seconds=round(section.start_seconds, 1), end_seconds=round(section.end_seconds, 1),
        lesson=fence_untrusted(lesson_digest(content), "lesson_text") + feedback_block(
            task.get("feedback")),
    )
    draft = await ctx.client().structured(SupplementDraft, system=system, user=user,
                                          node="supplement", cache=cache)
    return tidy_supplement(draft, task)


async def supplement(state: SectionTask, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Write the quiz, exercises and flashcards of one section."""
    started = time.monotonic()
    ctx = course_context(runtime)
    section = task_section(state)
    try:
        result = await draft_supplement(ctx, state)
    except LLMCallFailed as exc:  # see write_section: validate regenerates it once
        return {"section_errors": {section.id: str(exc)}}
    # Verified here, off validate's critical tail: this CPU work overlaps other sections' calls.
    check = await ctx.cpu(check_quiz, result, state, ctx.questions_wanted(),
                                    spares=not ctx.extractive())
    await track(runtime, state).section_done("supplement", section.id, section.title, started)
    return {"supplements": {section.id: to_state(result)},
            "quiz_checks": {section.id: to_state(check)}}
