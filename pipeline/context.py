"""Run-time context of a course run: what nodes need besides state, swapped freely in tests.

Everything is optional so LangGraph Studio can run the graphs with no context at all; missing
pieces are built from settings on first use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from typing_extensions import TypedDict

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


class RunKnobs(TypedDict, total=False):
    """The context schema Studio shows: the run knobs a person may set for one run."""

    max_sections: int
    quiz_questions: int
    writer_concurrency: int


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

    def extractive(self) -> bool:
        """Whether the registry holds no generative model, so agents use their nlp/ strategy."""
        return self.client().registry.extractive

    def client(self) -> LLMClient:
        if self.llm is None:
            from llm.client import build_llm_client

            self.llm = build_llm_client(self.cfg())
        return self.llm


def context_of(runtime: Any) -> CourseContext:
    """The run's context; LangGraph passes None (or a dict from Studio) when none was given."""
    ctx = getattr(runtime, "context", None)
    if isinstance(ctx, CourseContext):
        return ctx
    knobs = ctx if isinstance(ctx, dict) else {}
    allowed = {"max_sections", "quiz_questions", "writer_concurrency"}
    return CourseContext(**{k: v for k, v in knobs.items() if k in allowed})
