"""Server-Sent Events of a course's progress: replay from Last-Event-ID, pings, close at end.

Listeners share one bus subscription per process (infra/progress_hub.py), and the status check
an idle stream makes (did the job end without an event on this bus, e.g. before a restart?)
is coalesced across all streams into one query per window (`StatusBatcher`): a thousand open
streams cost neither a thousand bus reads nor a thousand database connections.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Course
from infra.progress_bus import EventType, ProgressBus, ProgressEvent
from infra.progress_hub import hub_for

TERMINAL_STATUSES: dict[str, EventType] = {
    "completed": "completed", "failed": "failed", "cancelled": "cancelled"}
BATCH_CHUNK = 500  # ids per IN (...) query


async def progress_stream(bus: ProgressBus, course_id: str, last_event_id: str | None, *,
                          course_status: Callable[[], Awaitable[str | None]],
                          block_ms: int = 5000) -> AsyncIterator[bytes | dict[str, Any]]:
    """Yield SSE frames (bytes encoded once per event by the hub; the closing event that no
    bus carried as a dict) until a terminal event; `course_status()` is awaited after `block_ms`
    without events so a job that ended without an event on this bus still closes the stream.
    Without `last_event_id` the stream starts at the current attempt (the last `started` event:
    a retry or an edit's regeneration), not at the first generation."""
    hub = hub_for(bus)
    after = last_event_id
    if after is None:
        async with hub.replays:  # reads of the stream, bounded like the hub's replays
            after = await current_attempt(bus, course_id)
    async with hub.listen(course_id, after) as listener:
        while True:
            batch = await listener.next(timeout=block_ms / 1000)
            for event, frame in batch:
                yield frame
                if event.terminal:
                    return
            if not batch:
                status = await course_status()
                if status in TERMINAL_STATUSES:
                    final = ProgressEvent(course_id=course_id, type=TERMINAL_STATUSES[status],
                                          step=status,
                                          progress=1.0 if status == "completed" else 0)
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


class StatusBatcher:
    """Course statuses for many idle streams: calls within `window` seconds share one query."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], window: float = 0.05
                 ) -> None:
        self.sessionmaker, self.window = sessionmaker, window
        self._pending: dict[uuid.UUID, list[asyncio.Future[str | None]]] = {}
        self._flush: asyncio.Task[None] | None = None
        self.queries = 0

    async def status(self, course_id: uuid.UUID) -> str | None:
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._pending.setdefault(course_id, []).append(future)
        if self._flush is None or self._flush.done():
            self._flush = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        try:
            await self._answer()
        finally:
            # statuses asked while this batch's query ran saw this task not done and scheduled
            # nothing: they are the next batch (else their streams would wait forever)
            if self._pending:
                self._flush = asyncio.create_task(self._run())

    async def _answer(self) -> None:
        await asyncio.sleep(self.window)
        pending, self._pending = self._pending, {}
        ids = list(pending)
        try:
            found: dict[uuid.UUID, str | None] = {}
            async with self.sessionmaker() as session:
                for i in range(0, len(ids), BATCH_CHUNK):
                    self.queries += 1
                    rows = await session.execute(select(Course.id, Course.status).where(
                        Course.id.in_(ids[i:i + BATCH_CHUNK])))
                    found.update({row[0]: row[1] for row in rows})
        except Exception as exc:  # every waiter gets the failure, none hangs
            for futures in pending.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(exc)
            return
        for course_id, futures in pending.items():
            for future in futures:
                if not future.done():  # a deleted course ends its streams as failed
                    future.set_result(found.get(course_id, "failed"))
