"""The course graph, wired top to bottom:

fetch_transcript → analyze → outline → review_outline → write_section ×N (Send, parallel)
→ supplement ×N → validate → persist
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from agents.analyzer import analyze
from agents.outliner import outline
from agents.supplement import supplement
from agents.validator import validate
from agents.writer import write_section
from graph.nodes import fan_out_sections, fetch_transcript, persist, review_outline
from pipeline.context import CourseContext
from pipeline.state import CourseInput, CourseOutput, CourseState, EditInput

# What a course graph starts from: a source to generate from, or an outline edit.
InputT = TypeVar("InputT", CourseInput, EditInput)


FAN_OUT = ["write_section", "supplement", "validate"]  # where fan_out_sections may go


def _enter(first: str, skip: Callable[[CourseState], bool]
           ) -> Callable[[CourseState], list[Send] | str]:
    """START's router: the first head step, or straight to the sections when `skip`."""
    def enter(state: CourseState) -> list[Send] | str:
        return fan_out_sections(dict(state)) if skip(state) else first
    return enter


def course_pipeline(input_schema: type[InputT], *head: tuple[str, Any],
                    skip_head: Callable[[CourseState], bool] | None = None,
                    ) -> StateGraph[CourseState, CourseContext, InputT, CourseOutput]:
    """A course graph: the `head` steps one after another from START, then the section
    pipeline every course graph shares, write_section ×N → supplement ×N → validate → persist,
    fanned out after the last head step (or straight from START when `skip_head(state)`)."""
    builder = StateGraph(CourseState, context_schema=CourseContext,
                         input_schema=input_schema, output_schema=CourseOutput)
    previous = START
    for name, step in head:
        builder.add_node(name, step)
        if previous == START and skip_head is not None:
            builder.add_conditional_edges(START, _enter(name, skip_head), [name, *FAN_OUT])
        else:
            builder.add_edge(previous, name)
        previous = name
    builder.add_node("write_section", write_section)
    builder.add_node("supplement", supplement)
    builder.add_node("validate", validate)
    builder.add_node("persist", persist)
    builder.add_conditional_edges(previous, fan_out_sections, FAN_OUT)
    builder.add_edge("supplement", "validate")
    builder.add_edge("validate", "persist")
    builder.add_edge("persist", END)
    return builder


def build_course_graph() -> StateGraph[CourseState, CourseContext, CourseInput, CourseOutput]:
    return course_pipeline(CourseInput, ("fetch_transcript", fetch_transcript),
                           ("analyze", analyze), ("outline", outline),
                           ("review_outline", review_outline))


@lru_cache(maxsize=8)
def compile_course_graph(checkpointer: Any = None) -> Any:
    """Compiled once per checkpointer (compiling costs ~30 ms of CPU; graphs are reusable)."""
    return build_course_graph().compile(checkpointer=checkpointer, name="course")


# LangGraph Studio / `langgraph dev` entry point (the server supplies its own checkpointer).
graph = compile_course_graph()
