"""The course graph, wired top to bottom:

fetch_transcript → analyze → outline → review_outline → write_section ×N (Send, parallel)
→ supplement ×N → validate → persist
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from langgraph.graph import END, START, StateGraph

from agents.analyzer import analyze
from agents.outliner import outline
from agents.supplement import supplement
from agents.validator import validate
from agents.writer import write_section
from graph.nodes import fan_out_sections, fetch_transcript, persist, review_outline
from pipeline.context import RunKnobs
from pipeline.state import CourseInput, CourseOutput, CourseState


def add_section_pipeline(builder: StateGraph[CourseState, RunKnobs, Any, CourseOutput],
                          after: str) -> None:
    """write_section ×N → supplement ×N → validate → persist, fanned out after `after`;
    shared by the course graph and the edit graph."""
    builder.add_node("write_section", write_section)
    builder.add_node("supplement", supplement)
    builder.add_node("validate", validate)
    builder.add_node("persist", persist)
    builder.add_conditional_edges(after, fan_out_sections,
                                  ["write_section", "supplement", "validate"])
    builder.add_edge("supplement", "validate")
    builder.add_edge("validate", "persist")
    builder.add_edge("persist", END)


def build_course_graph() -> StateGraph[CourseState, RunKnobs, CourseInput, CourseOutput]:
    builder = StateGraph(CourseState, context_schema=RunKnobs,
                         input_schema=CourseInput, output_schema=CourseOutput)
    builder.add_node("fetch_transcript", fetch_transcript)
    builder.add_node("analyze", analyze)
    builder.add_node("outline", outline)
    builder.add_node("review_outline", review_outline)

    builder.add_edge(START, "fetch_transcript")
    builder.add_edge("fetch_transcript", "analyze")
    builder.add_edge("analyze", "outline")
    builder.add_edge("outline", "review_outline")
    add_section_pipeline(builder, after="review_outline")
    return builder


@lru_cache(maxsize=8)
def compile_course_graph(checkpointer: Any = None) -> Any:
    """Compiled once per checkpointer (compiling costs ~30 ms of CPU; graphs are reusable)."""
    return build_course_graph().compile(checkpointer=checkpointer, name="course")


# LangGraph Studio / `langgraph dev` entry point (the server supplies its own checkpointer).
graph = compile_course_graph()
