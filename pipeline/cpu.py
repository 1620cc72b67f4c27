"""CPU-bound steps of a course run: in a worker thread, against the run's CPU budget (#29).

The extractive strategy, the quiz verifier and transcript parsing are pure Python: on the event
loop they would stall every request of the process (one upload froze /healthz for 30 minutes).
In a thread the loop keeps the interpreter every switch interval, because no single step holds
it long (every regex over transcript text is linear and runs per bounded sentence). The budget
counts the CPU time of those threads for one run: a run that uses it up fails with
`processing_budget_exceeded` instead of occupying a core indefinitely.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from pydantic import TypeAdapter

from core.domain import Segment, Transcript
from core.lifecycle import BUDGET_EXCEEDED

P = ParamSpec("P")
T = TypeVar("T")

BUDGET_CODE = BUDGET_EXCEEDED


class CpuBudgetExceeded(RuntimeError):
    """A course run used up its processing budget (COURSE_CPU_BUDGET_SECONDS)."""

    code = BUDGET_CODE

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the course used more than {seconds:.0f} s of processing")


@dataclass
class CpuBudget:
    """CPU seconds one run may spend in worker threads; shared by its concurrent sections."""

    seconds: float
    spent: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def charge(self, used: float) -> None:
        with self._lock:
            self.spent += used

    def remaining(self) -> float:
        return self.seconds - self.spent


_niced = threading.local()
WORKER_NICENESS = 10  # the event loop's thread wins the core when both want it


def _lower_priority() -> None:
    """Lower this worker thread's scheduling priority once (Linux schedules threads apart)."""
    if getattr(_niced, "done", False):
        return
    _niced.done = True
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


async def cpu_work(budget: CpuBudget, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
                   ) -> T:
    """`fn(*args, **kwargs)` in a worker thread, charged to `budget`; raises CpuBudgetExceeded
    when the budget is spent before, during (waiting no longer than what remains) or after it.

    A thread cannot be stopped: one over the budget finishes its (bounded) step in the
    background while the run fails."""
    if budget.remaining() <= 0:
        raise CpuBudgetExceeded(budget.seconds)

    def measured() -> T:
        _lower_priority()
        started = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            budget.charge(time.thread_time() - started)

    try:
        # wall time bounds CPU time from above, so waiting for what remains is never too short
        result = await asyncio.wait_for(asyncio.to_thread(measured), budget.remaining())
    except TimeoutError:
        raise CpuBudgetExceeded(budget.seconds) from None
    if budget.remaining() < 0:
        raise CpuBudgetExceeded(budget.seconds)
    return result


# pydantic holds the interpreter lock for a whole call: validating 37k segments at once stalls
# every other thread, the event loop's too, for ~0.3 s. In chunks, the loop gets its turn between.
_CHUNK = 2000
_SEGMENTS: TypeAdapter[list[Segment]] = TypeAdapter(list[Segment])


def load_transcript(data: dict[str, Any]) -> Transcript:
    """Transcript.model_validate(data), its segments validated a chunk at a time."""
    segments = data.get("segments") or []
    head = Transcript.model_validate({**data, "segments": []})
    parts = [_SEGMENTS.validate_python(segments[i:i + _CHUNK])
             for i in range(0, len(segments), _CHUNK)]
    return head.model_copy(update={"segments": [s for part in parts for s in part]})


def dump_transcript(transcript: Transcript) -> dict[str, Any]:
    """The transcript as graph state holds it (snake_case, as pipeline.state.to_state), its
    segments dumped a chunk at a time."""
    segments = transcript.segments
    out = transcript.model_copy(update={"segments": []}).model_dump(by_alias=False)
    out["segments"] = [s for i in range(0, len(segments), _CHUNK)
                       for s in _SEGMENTS.dump_python(segments[i:i + _CHUNK], by_alias=False)]
    return out
