"""Run-time context of a course run: what nodes need besides state, swapped freely in tests.

Everything is optional so LangGraph Studio can run the graphs with no context at all; missing
pieces are built from settings on first use.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from core.config import Settings, get_settings
from core.tiers import TierLimits

if TYPE_CHECKING:
    from core.domain import Transcript
    from infra.progress_bus import ProgressBus
    from llm.client import LLMClient


class CourseStore(Protocol):
    """Where the persist node writes (implemented over the database in db/repo/courses.py)."""

    async def save_generated(
        self, *, course_id: str, course: dict[str, Any], transcript: dict[str, Any],
        metadata: dict[str, Any],
    ) -> None: ...


TranscriptFetcher = Callable[..., Awaitable["Transcript"]]


class RunKnobs(BaseModel):
    """The context schema Studio shows: the run knobs a person may set for one run. LangGraph
    validates a context given as a dict with it, so a knob out of range fails the run at once."""

    model_config = ConfigDict(extra="ignore")  # what else a server puts in the context

    max_sections: int | None = Field(default=None, ge=1, le=200)
    quiz_questions: int | None = Field(default=None, ge=1, le=50)
    writer_concurrency: int | None = Field(default=None, ge=1, le=64)


@dataclass
class CourseContext:
    llm: LLMClient | None = None
    progress: ProgressBus | None = None
    store: CourseStore | None = None
    fetch_captions: TranscriptFetcher | None = None
    settings: Settings | None = None
    # run knobs: override the environment defaults for this run
    max_sections: int | None = None
    quiz_questions: int | None = None
    writer_concurrency: int | None = None
    # the owner's plan limits: the video length is checked once the transcript is known
    limits: TierLimits | None = None
    # the run's pipeline.tracking.RunTracker, made by track() on first use (typed loosely so
    # the tracker may import this module, not the reverse)
    tracker: Any = field(default=None, repr=False)

    def cfg(self) -> Settings:
        if self.settings is None:
            self.settings = get_settings()
        return self.settings

    def questions_wanted(self) -> int:
        """Quiz questions per section: the run's knob, else the setting."""
        return self.quiz_questions or self.cfg().quiz_questions_per_section

    def extractive(self) -> bool:
        """Whether the registry holds no generative model, so agents use their nlp/ strategy."""
        return self.client().registry.extractive

    def client(self) -> LLMClient:
        if self.llm is None:
            from llm.client import build_llm_client

            self.llm = build_llm_client(self.cfg())
        return self.llm


# Contexts built for runs that were given none (Studio, `langgraph dev`), by run id: every node
# of the run then shares one tracker and one LLM client (progress and usage add up). Bounded,
# since a failed run never says it is over.
_RUN_CONTEXTS: OrderedDict[str, CourseContext] = OrderedDict()
_MAX_RUN_CONTEXTS = 32


def context_of(runtime: Any) -> CourseContext:
    """The run's context; LangGraph passes None (or a dict from Studio) when none was given."""
    ctx = getattr(runtime, "context", None)
    if isinstance(ctx, CourseContext):
        return ctx
    run_id = run_id_of(runtime)
    if run_id is not None and run_id in _RUN_CONTEXTS:
        _RUN_CONTEXTS.move_to_end(run_id)
        return _RUN_CONTEXTS[run_id]
    knobs = RunKnobs.model_validate(ctx) if isinstance(ctx, dict | RunKnobs) else RunKnobs()
    made = CourseContext(**knobs.model_dump(exclude_none=True))
    if run_id is not None:
        _RUN_CONTEXTS[run_id] = made
        while len(_RUN_CONTEXTS) > _MAX_RUN_CONTEXTS:
            _RUN_CONTEXTS.popitem(last=False)
    return made


def release_context(runtime: Any) -> None:
    """Forget the context context_of built for this run (its last node calls this)."""
    run_id = run_id_of(runtime)
    if run_id is not None:
        _RUN_CONTEXTS.pop(run_id, None)


def run_id_of(runtime: Any) -> str | None:
    info = getattr(runtime, "execution_info", None)
    run_id = getattr(info, "run_id", None)
    return str(run_id) if run_id else None


def thread_id_of(runtime: Any) -> str | None:
    info = getattr(runtime, "execution_info", None)
    thread_id = getattr(info, "thread_id", None)
    return str(thread_id) if thread_id else None
