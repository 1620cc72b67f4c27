"""Server-Sent Events of a course's progress: replay from Last-Event-ID, pings, close at end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from infra.progress_bus import TERMINAL_TYPES, EventType, ProgressBus, ProgressEvent

TERMINAL_STATUSES: dict[str, EventType] = {
    "completed": "completed", "failed": "failed", "cancelled": "cancelled"}


async def progress_stream(bus: ProgressBus, course_id: str, last_event_id: str | None, *,
                          course_status: Any, block_ms: int = 5000
                          ) -> AsyncIterator[dict[str, Any]]:
    """Yield SSE dicts until a terminal event; `course_status()` is awaited between waits so a
    job that ended without an event on this bus (e.g. before a restart) still closes the stream.
    Without `last_event_id` the stream starts at the current attempt (the last `started` event:
    a retry or an edit's regeneration), not at the first generation."""
    after = last_event_id if last_event_id is not None else await current_attempt(bus, course_id)
    while True:
        events = await bus.read(course_id, after, block_ms=block_ms)
        for event in events:
            after = event.id
            yield event.to_sse()
            if event.type in TERMINAL_TYPES:
                return
        if not events:
            status = await course_status()
            if status in TERMINAL_STATUSES:
                final = ProgressEvent(course_id=course_id, type=TERMINAL_STATUSES[status],
                                      step=status, progress=1.0 if status == "completed" else 0)
                yield {"event": final.type, "data": final.model_dump_json(by_alias=True)}
                return


async def current_attempt(bus: ProgressBus, course_id: str) -> str | None:
    """The id just before the latest `started` event (None: from the beginning)."""
    before_start: str | None = None
    previous: str | None = None
    cursor: str | None = None
    while True:
        batch = await bus.read(course_id, cursor, count=500)
        for event in batch:
            if event.type == "started":
                before_start = previous
            previous = event.id
        if len(batch) < 500:
            return before_start
        cursor = batch[-1].id
