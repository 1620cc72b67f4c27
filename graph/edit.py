"""The impact-validator graph: judge an outline edit, rewrite only the sections it affects.

assess_impact → write_section ×K (Send) → supplement ×K → validate → persist
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from langgraph.graph import StateGraph

from agents.impact_validator import assess_impact
from graph.course import course_pipeline
from pipeline.context import CourseContext
from pipeline.state import CourseOutput, CourseState, EditInput


def build_edit_graph() -> StateGraph[CourseState, CourseContext, EditInput, CourseOutput]:
    return course_pipeline(EditInput, ("assess_impact", assess_impact))


@lru_cache(maxsize=8)
def compile_edit_graph(checkpointer: Any = None) -> Any:
    return build_edit_graph().compile(checkpointer=checkpointer, name="course_edit")


graph = compile_edit_graph()
