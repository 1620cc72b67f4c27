"""Supplement: per section a quiz with an answer key, exercises and key-term flashcards."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from agents.budget import call_budget
from agents.depth import Depth, section_depth
from agents.quiz_drafts import SupplementDraft, as_question
from agents.quiz_review import review_quiz
from agents.section_checks import QuizCheck
from core.domain import (
    Exercise,
    Quiz,
    SectionSupplement,
)
from core.timecodes import timestamp
from llm.errors import LLMCallFailed
from llm.tokens import fit_context
from nlp.flashcards import make_flashcards
from nlp.questions import make_questions
from nlp.textutil import find_term
from nlp.titles import as_phrase
from pipeline.context import CourseContext, course_context, track
from pipeline.prompt_text import timed_lines
from pipeline.sections import feedback_block, task_section, task_segments
from pipeline.state import SectionTask, to_state
from prompts import fence_untrusted, load_prompt


def tidy_supplement(draft: SupplementDraft, task: SectionTask) -> SectionSupplement:
    """Stable ids, canonical true/false options, refs inside the section's range."""
    section = task_section(task)
    questions = [as_question(q, section, f"{section.id}-q{i}")
                 for i, q in enumerate(draft.questions, start=1)]
    exercises = [Exercise(id=f"{section.id}-e{i}", prompt=e.prompt, solution=e.solution)
                 for i, e in enumerate(draft.exercises, start=1)]
    return SectionSupplement(section_id=section.id, quiz=Quiz(questions=questions),
                             exercises=exercises, flashcards=draft.flashcards)


def questions_for(ctx: CourseContext, task: SectionTask) -> int:
    """Quiz length: the run's knob, else (extractive) the setting, else the section's depth."""
    if ctx.quiz_questions or ctx.extractive():
        return ctx.questions_wanted()
    return depth_of(task).questions


def depth_of(task: SectionTask) -> Depth:
    return section_depth(float(task["outline_brief"].get("study_minutes") or 8.0))


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
    section = task_section(task)
    return Quiz(questions=[as_question(q, section, f"{section.id}-q{i}")
                           for i, q in enumerate(questions, start=1)])


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
    exercises = [Exercise(id=f"{section.id}-e1", prompt=prompt, solution=solution)]
    return SectionSupplement(section_id=section.id, quiz=Quiz(questions=questions),
                             exercises=exercises, flashcards=cards)


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
    """The quiz of a section whose lesson already exists (an interrupted run's or an edit's):
    from the section's timed transcript lines, like the writer's combined call."""
    count = questions_for(ctx, task)
    if ctx.extractive():
        return await ctx.cpu(extract_supplement, task, count)
    section = task_section(task)
    brief = task["outline_brief"]
    prompt = load_prompt("supplement")
    fit = fit_context(prompt.system + prompt.user, timed_lines(task_segments(task)),
                      call_budget(ctx.client()))
    # The course brief and the instructions come first, identical for every section of the
    # course, so a provider's prefix cache reuses them; what is this section's comes last.
    system, user = prompt.render(
        language=task["language"], difficulty=task["difficulty"],
        course_title=brief["title"], section_titles="; ".join(brief["sections"]),
        question_count=count, exercise_count=depth_of(task).exercises,
        section_number=task["index"] + 1, section_title=section.title,
        start_seconds=round(section.start_seconds, 1), end_seconds=round(section.end_seconds, 1),
        transcript=fence_untrusted(fit.text) + feedback_block(task.get("feedback")),
    )
    draft = await ctx.client().structured(SupplementDraft, system=system, user=user,
                                          node="supplement", cache=cache)
    return tidy_supplement(draft, task)


async def supplement(state: SectionTask, runtime: Runtime[CourseContext]) -> dict[str, Any]:
    """Check the quiz the writer drafted with the lesson (or write one, for a lesson written
    earlier): the lexical verifier first, then, with a model, a blind answer and one repair
    for what it could not confirm (agents/quiz_review.py)."""
    started = time.monotonic()
    ctx = course_context(runtime)
    section = task_section(state)
    wanted = questions_for(ctx, state)
    try:
        if state.get("drafted"):
            result = tidy_supplement(SupplementDraft.model_validate(state["drafted"]), state)
        else:
            result = await draft_supplement(ctx, state)
    except LLMCallFailed as exc:  # see write_section: validate regenerates it once
        return {"section_errors": {section.id: str(exc)}}
    # Verified here, off validate's critical tail: this CPU work overlaps other sections' calls.
    check = await ctx.cpu(check_quiz, result, state, wanted,
                          spares=not ctx.extractive())
    if not ctx.extractive():
        result, check = await review_quiz(ctx.client(), result, check, state)
    await track(runtime, state).section_done("supplement", section.id, section.title, started)
    return {"supplements": {section.id: to_state(result)},
            "quiz_checks": {section.id: to_state(check)}}
