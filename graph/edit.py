"""The impact-validator graph: rewrite only the sections an outline edit affects.

[assess_impact, only when the caller gave no impacts] → write_section ×K (Send) → supplement ×K
→ validate → persist

The impact validator runs once per edit: `PUT /outline` assesses the edit in the request (it
answers with the impacts) and starts this graph with them; a caller that gives only the two
outlines (Studio) gets them assessed by the graph's first node.
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
    return course_pipeline(EditInput, ("assess_impact", assess_impact), skip_head=assessed)


def assessed(state: CourseState) -> bool:
    """Whether the caller already assessed the edit (impacts and sections to rewrite given)."""
    return state.get("impacts") is not None and state.get("regenerate") is not None


@lru_cache(maxsize=8)
def compile_edit_graph(checkpointer: Any = None) -> Any:
    return build_edit_graph().compile(checkpointer=checkpointer, name="course_edit")


graph = compile_edit_graph()
