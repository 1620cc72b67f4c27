"""Run the tutor graph for the API: ask a question (streamed), read a conversation.

The thread is (learner, course); its checkpoints live in the job services' checkpointer, so a
conversation survives restarts as long as the checkpointer keeps it (CHECKPOINT_TTL_SECONDS on
Redis savers).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

from core.tutor_turns import TutorAnswer, TutorTurn
from db.repo.course_store import load_transcript
from graph.tutor_graph import compile_tutor_graph, tutor_thread_id
from jobs.services import JobServices
from llm.errors import LLMCallFailed
from pipeline.tutor_state import TutorContext

# One question at a time per thread in this process: two concurrent turns would both start
# from the same checkpoint and one would be lost.
_THREAD_LOCKS: dict[str, asyncio.Lock] = {}


class TutorFailed(RuntimeError):
    """The answer could not be produced (the model failed after its retries)."""


def _config(user_id: str, course_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": tutor_thread_id(user_id, course_id)},
            "run_name": "tutor"}


async def ask_tutor(services: JobServices, *, user_id: uuid.UUID, course_id: uuid.UUID,
                    question: str) -> AsyncIterator[str | TutorAnswer]:
    """Yield answer chunks (str) as the graph writes them, then the TutorAnswer."""

    async def loader(cid: str) -> dict[str, Any] | None:
        async with services.sessionmaker() as session:
            return await load_transcript(session=session, course_id=uuid.UUID(cid))

    ctx = TutorContext(llm=await services.llm(), settings=services.settings,
                       load_transcript=loader)
    graph = compile_tutor_graph(services.checkpointer)
    config = _config(str(user_id), str(course_id))
    lock = _THREAD_LOCKS.setdefault(config["configurable"]["thread_id"], asyncio.Lock())
    final: dict[str, Any] = {}
    async with lock:
        try:
            async for mode, data in graph.astream(
                    {"course_id": str(course_id), "question": question}, config, context=ctx,
                    stream_mode=["custom", "values"]):
                if mode == "custom" and "chunk" in data:
                    yield data["chunk"]
                elif mode == "values":
                    final = data
        except LLMCallFailed as exc:
            raise TutorFailed(str(exc)) from exc
    yield TutorAnswer.model_validate(final["answer"])


async def tutor_conversation(services: JobServices, *, user_id: uuid.UUID,
                             course_id: uuid.UUID) -> list[TutorTurn]:
    graph = compile_tutor_graph(services.checkpointer)
    snapshot = await graph.aget_state(_config(str(user_id), str(course_id)))
    return [TutorTurn.model_validate(t) for t in (snapshot.values or {}).get("messages", [])]
