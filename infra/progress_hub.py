"""Fan-out of progress events to many listeners in one process, from one bus subscription.

Each SSE client used to wait on the bus by itself: on Redis an XREAD BLOCK of its own (one
pooled connection per listener), in memory a wake-up of every waiter on every event. Here a
process has one `ProgressHub` per bus: with the in-process bus, publish hands each event to
the hub directly; with Redis, one task runs one XREAD BLOCK over the streams of every course
that has listeners, and hands each event to that course's listeners' queues.

A listener is attached before it replays what it missed (`after_id` up to now, one
non-blocking read), and drops anything at or before its cursor, so no event is lost or
doubled between the replay and the live feed, whatever the hub's own position.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator
from typing import Any

from redis.exceptions import RedisError

from infra.progress_bus import (
    MemoryProgressBus,
    ProgressBus,
    ProgressEvent,
    RedisProgressBus,
    parse_id,
)

log = logging.getLogger(__name__)

Delivery = tuple[ProgressEvent, bytes]  # the event and its SSE frame, encoded once
BLOCK_MS = 100  # how long a newly watched course may wait to join the hub's XREAD
REPLAY_COUNT = 10_000
REPLAY_CONCURRENCY = 8


class Listener:
    def __init__(self, hub: ProgressHub, course_id: str, after_id: str | None) -> None:
        self.hub, self.course_id, self.cursor = hub, course_id, parse_id(after_id)
        # (event, its SSE frame): the frame is serialised once per event, not per listener
        self.queue: asyncio.Queue[Delivery] = asyncio.Queue()
        self._replayed = False

    def _fresh(self, deliveries: list[Delivery]) -> list[Delivery]:
        out = []
        for event, frame in deliveries:
            position = parse_id(event.id)
            if position > self.cursor:
                self.cursor = position
                out.append((event, frame))
        return out

    async def next(self, timeout: float) -> list[Delivery]:
        """(event, SSE frame) after the cursor: the replay first, then what arrives; [] after
        `timeout` seconds without any."""
        if not self._replayed:
            self._replayed = True
            after = None if self.cursor == (0, 0) else f"{self.cursor[0]}-{self.cursor[1]}"
            async with self.hub.replays:  # a thousand reconnects must not take 1,000 connections
                missed = await self.hub.bus.read(self.course_id, after, count=REPLAY_COUNT)
            events = self._fresh([(e, e.sse_bytes()) for e in missed])
            if events:
                return events
        try:
            # asyncio.timeout, not wait_for: wait_for wraps every wait in a task of its own,
            # per listener per event (a thousand tasks per event on a busy course)
            async with asyncio.timeout(timeout):
                first = await self.queue.get()
        except TimeoutError:
            return []
        batch = [first]
        while not self.queue.empty():
            batch.append(self.queue.get_nowait())
        return self._fresh(batch)


class ProgressHub:
    def __init__(self, bus: ProgressBus, *, block_ms: int = BLOCK_MS) -> None:
        self.bus = bus
        self.block_ms = block_ms
        self._listeners: dict[str, set[Listener]] = {}
        self._cursors: dict[str, str] = {}  # Redis: the hub's position per watched stream
        self._task: asyncio.Task[None] | None = None
        self.replays = asyncio.Semaphore(REPLAY_CONCURRENCY)
        if isinstance(bus, MemoryProgressBus):
            bus.add_watcher(self._deliver)

    @property
    def listeners(self) -> int:
        return sum(len(group) for group in self._listeners.values())

    def _deliver(self, event: ProgressEvent) -> None:
        group = self._listeners.get(event.course_id)
        if group:
            delivery = (event, event.sse_bytes())
            for listener in group:
                listener.queue.put_nowait(delivery)

    @contextlib.asynccontextmanager
    async def listen(self, course_id: str, after_id: str | None) -> AsyncIterator[Listener]:
        listener = Listener(self, course_id, after_id)
        group = self._listeners.setdefault(course_id, set())
        group.add(listener)
        if isinstance(self.bus, RedisProgressBus):
            self._cursors.setdefault(course_id, after_id or "0-0")
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._pull(self.bus), name="progress-hub")
        try:
            yield listener
        finally:
            group.discard(listener)
            if not group:
                self._listeners.pop(course_id, None)
                self._cursors.pop(course_id, None)

    async def _pull(self, bus: RedisProgressBus) -> None:
        """One XREAD BLOCK for every watched course; ends when nobody listens any more."""
        delay = 0.1
        while self._cursors:
            try:
                found = await bus.read_many(dict(self._cursors), block_ms=self.block_ms)
                delay = 0.1
            except (RedisError, OSError) as exc:
                log.warning("progress hub lost Redis (%s); retrying", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            for course_id, events in found.items():
                if course_id in self._cursors and events:
                    self._cursors[course_id] = events[-1].id or self._cursors[course_id]
                for event in events:
                    self._deliver(event)


_hubs: weakref.WeakKeyDictionary[Any, ProgressHub] = weakref.WeakKeyDictionary()


def hub_for(bus: ProgressBus) -> ProgressHub:
    """The process's hub for this bus (created on first use)."""
    hub = _hubs.get(bus)
    if hub is None:
        hub = _hubs[bus] = ProgressHub(bus)
    return hub
