"""The tutor graph: one node, one thread per (learner, course), so the conversation is the
thread's checkpointed `messages` and survives restarts.

START → answer_question → END
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from langgraph.graph import END, START, StateGraph

from agents.tutor_answer import answer_question
from pipeline.tutor_state import TutorContext, TutorInput, TutorOutput, TutorState


def build_tutor_graph() -> StateGraph[TutorState, TutorContext, TutorInput, TutorOutput]:
    builder = StateGraph(TutorState, context_schema=TutorContext, input_schema=TutorInput,
                         output_schema=TutorOutput)
    builder.add_node("answer_question", answer_question)
    builder.add_edge(START, "answer_question")
    builder.add_edge("answer_question", END)
    return builder


@lru_cache(maxsize=8)
def compile_tutor_graph(checkpointer: Any = None) -> Any:
    return build_tutor_graph().compile(checkpointer=checkpointer, name="tutor")


def tutor_thread_id(user_id: str, course_id: str) -> str:
    return f"tutor:{user_id}:{course_id}"


graph = compile_tutor_graph()
