"""The impact-validator graph: judge an outline edit, rewrite only the sections it affects.

assess_impact → write_section ×K (Send) → supplement ×K → validate → persist
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agents.impact_validator import assess_impact
from agents.supplement import supplement
from agents.validator import validate
from agents.writer import write_section
from graph.context import RunKnobs
from graph.nodes import fan_out_sections, persist
from graph.state import CourseOutput, CourseState, EditInput


def build_edit_graph() -> StateGraph:
    builder = StateGraph(CourseState, context_schema=RunKnobs,
                         input_schema=EditInput, output_schema=CourseOutput)
    builder.add_node("assess_impact", assess_impact)
    builder.add_node("write_section", write_section)
    builder.add_node("supplement", supplement)
    builder.add_node("validate", validate)
    builder.add_node("persist", persist)

    builder.add_edge(START, "assess_impact")
    builder.add_conditional_edges("assess_impact", fan_out_sections,
                                  ["write_section", "supplement", "validate"])
    builder.add_edge("supplement", "validate")
    builder.add_edge("validate", "persist")
    builder.add_edge("persist", END)
    return builder


def compile_edit_graph(checkpointer: Any = None) -> Any:
    return build_edit_graph().compile(checkpointer=checkpointer, name="course_edit")


graph = compile_edit_graph()
