"""Run-time contexts of the graphs: what nodes need besides state, one frozen class per graph.

Each is the graph's `context_schema` and is passed as LangGraph's runtime context, so nodes take
`Runtime[CourseContext]` / `Runtime[TutorContext]`. Studio (`langgraph dev`) sends the run knobs
as a dict, which LangGraph turns into the class (the only fields in its JSON schema); the
services are then built from settings, once per context, so a run's nodes share one LLM client
(usage adds up) and one progress tracker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Protocol, TypeAlias, TypeVar

from langgraph.runtime import Runtime
from pydantic import ConfigDict, SkipValidation
from pydantic.json_schema import SkipJsonSchema

from core.config import Settings, get_settings
from core.domain import Transcript
from core.tiers import TierLimits
from infra.progress_bus import ProgressBus
from llm.client import LLMClient, build_llm_client
from pipeline.tracking import RunTracker


class CourseStore(Protocol):
    """Where the persist node writes (implemented over the database in db/repo/course_store.py)."""

    async def save_generated(
        self, *, course_id: str, course: dict[str, Any], transcript: dict[str, Any],
        metadata: dict[str, Any],
    ) -> None: ...


TranscriptFetcher = Callable[..., Awaitable[Transcript]]

T = TypeVar("T")
# A service field: neither validated nor shown in the JSON schema (Studio sends only the knobs).
Service: TypeAlias = Annotated[T, SkipValidation, SkipJsonSchema()]


@dataclass(frozen=True)
class RunContext:
    """What every graph's run has: the LLM client, settings and the run knobs."""

    __pydantic_config__ = ConfigDict(arbitrary_types_allowed=True)

    llm: Service[LLMClient | None] = None
    settings: Service[Settings | None] = None
    # run knobs: override the environment defaults for this run
    max_sections: int | None = None
    quiz_questions: int | None = None
    writer_concurrency: int | None = None

    def cfg(self) -> Settings:
        return self.settings or get_settings()

    def client(self) -> LLMClient:
        return self.llm if self.llm is not None else self._built_llm

    @cached_property
    def _built_llm(self) -> LLMClient:
        """A run given no client (Studio) builds one from settings, once per context."""
        return build_llm_client(self.cfg())

    def questions_wanted(self) -> int:
        """Quiz questions per section: the run's knob, else the setting."""
        return self.quiz_questions or self.cfg().quiz_questions_per_section

    def extractive(self) -> bool:
        """Whether the registry holds no generative model, so agents use their nlp/ strategy."""
        return self.client().registry.extractive


@dataclass(frozen=True)
class CourseContext(RunContext):
    """The course and edit graphs' context."""

    # the course the run writes: its progress stream (an edit's thread id is not the course's)
    course_id: str | None = None
    progress: Service[ProgressBus | None] = None
    store: Service[CourseStore | None] = None
    fetch_captions: Service[TranscriptFetcher | None] = None
    # the owner's plan limits: the video length is checked once the transcript is known
    limits: Service[TierLimits | None] = None
    # this run's progress (figures learnt from the state and the node events)
    tracker: Service[RunTracker] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        width = self.writer_concurrency or self.cfg().writer_concurrency
        object.__setattr__(self, "tracker", RunTracker(self.course_id or "", self.progress, width))


def course_context(runtime: Runtime[CourseContext]) -> CourseContext:
    """The run's context. A run invoked with none (a bare `ainvoke`; Studio sends at least {})
    gets the defaults, per node: its progress figures then start afresh in each node."""
    return runtime.context if runtime.context is not None else CourseContext()


def track(runtime: Runtime[CourseContext], state: Any = None) -> RunTracker:
    """The run's tracker, told what the state says is done (also after a resume).

    Its course id is the state's, else the thread's (Studio runs often carry none)."""
    tracker = course_context(runtime).tracker
    if not tracker.course_id:
        tracker.course_id = thread_id_of(runtime) or ""
    # the calling node's writer: a context shared by a run's nodes outlives each node
    tracker.writer = runtime.stream_writer
    if state:
        tracker.absorb(state)
    return tracker


def thread_id_of(runtime: Runtime[CourseContext]) -> str | None:
    info = runtime.execution_info
    thread_id = getattr(info, "thread_id", None)
    return str(thread_id) if thread_id else None
