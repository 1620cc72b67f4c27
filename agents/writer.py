"""Writer: one lesson per section, from the outline and that section's transcript slice only."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, Send
from pydantic import Field

from agents.budget import call_budget
from core.domain import CamelModel, SectionContent, SourceRef
from llm.errors import LLMCallFailed
from llm.tokens import fit_context
from nlp.lesson import write_lesson
from pipeline.context import CourseContext, course_context, track
from pipeline.prompt_text import timed_lines
from pipeline.sections import clamp_ref, feedback_block, task_section, task_segments
from pipeline.state import SectionTask, to_state
from prompts import fence_untrusted, load_prompt

log = logging.getLogger(__name__)


class LessonDraft(CamelModel):
    markdown: str = Field(min_length=1)
    key_points: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    source_refs: list[SourceRef] = Field(default_factory=list)


def extract_lesson(task: SectionTask) -> SectionContent:
    """Extractive strategy: the section's own speech as cleaned prose, key points, definitions
    and examples quoted with their timestamps."""
    section = task_section(task)
    content = write_lesson([(a, b, t) for a, b, t in task["segments"]], task["language"],
                           section.title,
                           section_id=section.id)
    refs = [clamp_ref(r, section) for r in content.source_refs] or [clamp_ref(None, section)]
    return content.model_copy(update={"source_refs": refs})


async def draft_lesson(ctx: CourseContext, task: SectionTask, *, cache: bool = True
                       ) -> tuple[SectionContent, str | None]:
    """Write one lesson; returns it and a warning when the slice had to be shortened."""
    if ctx.extractive():
        return await asyncio.to_thread(extract_lesson, task), None
    section = task_section(task)
    brief = task["outline_brief"]
    prompt = load_prompt("writer")
    slice_text = timed_lines(task_segments(task))
    fit = fit_context(prompt.system + prompt.user, slice_text, call_budget(ctx.client()))
    warning = None
    if fit.truncated:
        warning = (f"section '{section.title}': transcript slice cut from {fit.original_tokens} "
                   f"to {fit.kept_tokens} tokens to fit the model window")
        log.warning(warning)
    # Instructions and the course brief first (byte-identical across the course's sections, so
    # a provider's prefix cache serves them), this section's outline and transcript slice last.
    system, user = prompt.render(
        language=task["language"], difficulty=task["difficulty"],
        course_title=brief["title"], section_titles="; ".join(brief["sections"]),
        section_number=task["index"] + 1, section_title=section.title,
        section_summary=section.summary, objectives="; ".join(section.objectives) or "-",
        start_seconds=round(section.start_seconds, 1), end_seconds=round(section.end_seconds, 1),
        transcript=fence_untrusted(fit.text) + feedback_block(task.get("feedback")),
    )
    draft = await ctx.client().structured(LessonDraft, system=system, user=user,
                                          node="write_section", cache=cache)
    refs = [clamp_ref(r, section) for r in draft.source_refs] or [clamp_ref(None, section)]
    content = SectionContent(section_id=section.id, markdown=draft.markdown,
                             key_points=draft.key_points, examples=draft.examples,
                             source_refs=refs)
    return content, warning


async def write_section(state: SectionTask, runtime: Runtime[CourseContext]
                        ) -> Command[Literal["supplement"]]:
    """Write the lesson of one section, then hand it to the supplement agent."""
    started = time.monotonic()
    ctx = course_context(runtime)
    section = task_section(state)
    try:
        content, warning = await draft_lesson(ctx, state)
    except LLMCallFailed as exc:
        # Recorded, not raised: raising would cancel sibling branches mid-call; validate
        # regenerates this section once and fails the run only if that fails too.
        return Command(update={"section_errors": {section.id: str(exc)}}, goto=[])
    await track(runtime, state).section_done("write", section.id, section.title, started)
    dumped = to_state(content)
    update: dict[str, Any] = {"contents": {section.id: dumped}}
    if warning:
        update["warnings"] = [warning]
    return Command(update=update, goto=Send("supplement", {**state, "content": dumped}))
