"""Progress of one course run: fraction done, sections done and an ETA from measured timings.

Every node reports through `pipeline.context.track(runtime)`: the run context holds one tracker
per run (no process-global state), which learns what is done from the state it is shown (also
after a resume) and from the node events. Events go to the progress bus (API/SSE, status) and to
LangGraph's custom stream (CLI, Studio) — one interface for all consumers.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.progress_bus import EventType, ProgressBus

# Share of the whole run each step stands for; sections share SECTION_WEIGHT between them.
STEP_WEIGHTS = {"fetch_transcript": 0.05, "analyze": 0.15, "outline": 0.08, "validate": 0.04,
                "persist": 0.03}
SECTION_WEIGHT = 1.0 - sum(STEP_WEIGHTS.values())
# steps whose duration is the model's: without a measurement the ETA is unknown (the others
# take milliseconds and count as 0 until measured)
LLM_STEPS = frozenset({"analyze", "outline"})
# Process-wide moving averages of step durations, used before a run has measured its own.
_HISTORY: dict[str, float] = {}
_ALPHA = 0.3


def _remember(step: str, seconds: float) -> None:
    prev = _HISTORY.get(step)
    _HISTORY[step] = seconds if prev is None else (1 - _ALPHA) * prev + _ALPHA * seconds


class RunTracker:
    def __init__(self, course_id: str, progress: ProgressBus | None, width: int,
                 writer: Any = None) -> None:
        self.course_id = course_id
        self.progress = progress
        self.width = width  # sections written at once: the ETA's parallel lanes
        self.writer = writer
        self.done_steps: set[str] = set()
        self.sections_total = 0
        self.section_tasks_done: set[tuple[str, str]] = set()
        self.task_seconds: dict[str, list[float]] = defaultdict(list)
        self.started = time.monotonic()
        self.reported = 0.0  # the highest progress emitted so far

    # -- figures -------------------------------------------------------------------------
    def fraction(self) -> float:
        done = sum(STEP_WEIGHTS.get(s, 0.0) for s in self.done_steps)
        if self.sections_total:
            share = len(self.section_tasks_done) / (2 * self.sections_total)
            done += SECTION_WEIGHT * min(1.0, share)
        return round(min(1.0, done), 4)

    def sections_done(self) -> int:
        return sum(1 for kind, _ in self.section_tasks_done if kind == "supplement")

    def eta(self) -> float | None:
        remaining = 0.0
        for step in STEP_WEIGHTS:
            if step not in self.done_steps:
                if step in _HISTORY:
                    remaining += _HISTORY[step]
                elif step in LLM_STEPS:
                    return None  # an LLM step never measured in this process: unknown, not 0
        left = 2 * self.sections_total - len(self.section_tasks_done)
        if left > 0:
            samples = self.task_seconds["write"] + self.task_seconds["supplement"]
            per_task = sum(samples) / len(samples) if samples else _HISTORY.get("section_task")
            if per_task is None:
                return None
            lanes = max(1, min(left, self.width))
            remaining += per_task * left / lanes
        return round(remaining, 2)

    # -- events --------------------------------------------------------------------------
    async def emit(self, type_: EventType, step: str, message: str | None = None,
                   data: dict[str, Any] | None = None) -> None:
        from infra.progress_bus import ProgressEvent

        # never backwards within a run, whatever order parallel branches finish in
        self.reported = 1.0 if type_ == "completed" else max(self.reported, self.fraction())
        event = ProgressEvent(
            course_id=self.course_id, type=type_, step=step, progress=self.reported,
            sections_done=self.sections_done(), sections_total=self.sections_total,
            eta=0.0 if type_ == "completed" else self.eta(), message=message, data=data or {},
        )
        if self.writer is not None:  # the custom stream (CLI, Studio): the API's SSE payload
            self.writer(event.model_dump(mode="json", by_alias=True, exclude={"id"}))
        if self.progress is not None:
            await self.progress.publish(event)

    def absorb(self, state: Mapping[str, Any]) -> None:
        """Learn what the state says is done (also after a resume, or in a fresh process)."""
        if state.get("course_id"):
            self.course_id = state["course_id"]
        if state.get("analysis"):
            self.done_steps |= {"fetch_transcript", "analyze"}
            if state.get("outline"):
                self.done_steps.add("outline")
        sections = (state.get("outline") or {}).get("sections")
        if sections:
            self.sections_total = len(sections)
            for sid in state.get("contents") or {}:
                self.section_tasks_done.add(("write", sid))
            for sid in state.get("supplements") or {}:
                self.section_tasks_done.add(("supplement", sid))
        elif not self.sections_total and state.get("outline_brief"):
            # a section branch (SectionTask) sees only the titles of its siblings
            self.sections_total = len(state["outline_brief"].get("sections") or [])

    async def step_done(self, step: str, started: float, message: str | None = None) -> None:
        seconds = time.monotonic() - started
        _remember(step, seconds)
        self.done_steps.add(step)
        await self.emit("step", step, message, {"seconds": round(seconds, 3)})

    async def section_done(self, kind: str, section_id: str, title: str, started: float) -> None:
        seconds = time.monotonic() - started
        self.task_seconds[kind].append(seconds)
        _remember("section_task", seconds)
        self.section_tasks_done.add((kind, section_id))
        await self.emit("section", f"{'write_section' if kind == 'write' else 'supplement'}",
                        title, {"sectionId": section_id, "kind": kind})
