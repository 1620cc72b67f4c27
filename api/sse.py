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
    job that ended without an event on this bus (e.g. before a restart) still closes the stream."""
    after = last_event_id
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
