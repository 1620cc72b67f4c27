"""Run the course graphs: one call for scripts and evals, one resumable call for jobs."""

from __future__ import annotations

import uuid
from typing import Any

from core.domain import GeneratedCourse, Preferences, Transcript
from graph.course import compile_course_graph
from graph.edit import compile_edit_graph
from llm.client import LLMClient
from pipeline.context import CourseContext, CourseStore
from pipeline.state import to_state


def run_config(thread_id: str, ctx: CourseContext) -> dict[str, Any]:
    return {
        "configurable": {"thread_id": thread_id},
        # LangGraph holds a finished branch's checkpoint write until a concurrency slot frees, so
        # a cap below the section count would lose finished sections on a crash; LLM calls are
        # bounded by LLM_MAX_CONCURRENCY instead.
        "max_concurrency": max(ctx.writer_concurrency or ctx.cfg().writer_concurrency,
                               ctx.max_sections or ctx.cfg().max_sections),
        "recursion_limit": 100,
        "run_name": "course",
    }


async def run_graph(graph: Any, graph_input: dict[str, Any] | None, *, ctx: CourseContext,
                    thread_id: str) -> dict[str, Any]:
    """Run (graph_input) or resume (None) a compiled graph on a thread; returns the final state.

    Progress goes to ctx.progress; a pending interrupt (outline review) is returned under
    "__interrupt__" by LangGraph.
    """
    return await graph.ainvoke(graph_input, run_config(thread_id, ctx), context=ctx)


async def run_course_graph(
    transcript: Transcript, preferences: Preferences | None = None, *, llm: LLMClient,
    course_id: str | None = None, progress: Any = None, checkpointer: Any = None,
    store: CourseStore | None = None, max_sections: int | None = None,
    quiz_questions: int | None = None,
) -> GeneratedCourse:
    """Generate a course from an already parsed transcript (evals, benchmarks, scripts)."""
    course_id = course_id or str(uuid.uuid4())
    ctx = CourseContext(llm=llm, progress=progress, store=store, max_sections=max_sections,
                        quiz_questions=quiz_questions)
    state = await run_graph(
        compile_course_graph(checkpointer),
        {"course_id": course_id, "transcript": to_state(transcript),
         "title": transcript.title or "", "preferences": (preferences or Preferences())
         .model_dump(exclude_none=True)},
        ctx=ctx, thread_id=course_id,
    )
    return GeneratedCourse.model_validate(state["course"])


__all__ = ["compile_course_graph", "compile_edit_graph", "run_course_graph", "run_graph"]
