"""Run-time context and state of the tutor graph (one thread per learner and course)."""

from __future__ import annotations

import operator
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from langgraph.runtime import Runtime
from typing_extensions import TypedDict

from pipeline.context import RunContext, Service

# course id -> the stored timed transcript (a core.domain.Transcript dump), or None
TranscriptLoader = Callable[[str], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class TutorContext(RunContext):
    """The tutor graph's context."""

    load_transcript: Service[TranscriptLoader | None] = None


def tutor_context(runtime: Runtime[TutorContext]) -> TutorContext:
    """The run's context; a run invoked with none gets the defaults."""
    return runtime.context if runtime.context is not None else TutorContext()


class TutorInput(TypedDict, total=False):
    course_id: str
    question: str
    transcript: dict[str, Any]  # Studio only: the API's runs load it by course id instead


class TutorState(TutorInput, total=False):
    passages: list[dict[str, Any]]  # retrieved this turn: {start_seconds, end_seconds, text, score}
    coverage: float
    answer: dict[str, Any]  # core.tutor_turns.TutorAnswer of this turn
    messages: Annotated[list[dict[str, Any]], operator.add]  # core.tutor_turns.TutorTurn dumps


class TutorOutput(TypedDict, total=False):
    answer: dict[str, Any]
    messages: list[dict[str, Any]]
