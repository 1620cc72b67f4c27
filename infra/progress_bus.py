"""The progress bus: graph nodes publish, the API (SSE, /status) and the CLI read.

Event ids are Redis stream ids ("<ms>-<seq>"), monotonic per course, so a client's
`Last-Event-ID` replays from any API process. The in-process bus mimics the same id format.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Literal, Protocol, get_args

import redis.asyncio as aredis
from pydantic import Field
from sse_starlette import ServerSentEvent

from core.config import Settings
from core.domain import CamelModel
from infra.redis_conn import redis_client

EventType = Literal["started", "step", "section", "error", "completed", "failed", "cancelled"]
# What an event's `step` names: a graph node (or the video's metadata arriving), "queued", the
# job's own events by their type, or a course status (the status poll's currentStep).
Step = Literal[
    "", "queued", "fetch_transcript", "video_metadata", "analyze", "outline", "review_outline",
    "write_section", "supplement", "validate", "persist", "assess_impact",
    "started", "step", "section", "error", "completed", "failed", "cancelled",
    "draft", "processing",
]
TERMINAL_TYPES: frozenset[str] = frozenset({"completed", "failed", "cancelled"})


class ProgressEvent(CamelModel):
    id: str | None = None  # assigned by the bus on publish
    course_id: str
    type: EventType
    # node name, e.g. "analyze", "write_section". The emitters are typed Step (mypy checks them);
    # the field stays a str so an event of another version still reads back from Redis.
    step: str = Field(default="", json_schema_extra={"enum": list(get_args(Step))})
    progress: float = Field(default=0.0, ge=0.0, le=1.0)
    sections_done: int = 0
    sections_total: int = 0
    eta: float | None = None  # seconds
    message: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    ts: float = Field(default_factory=time.time)

    @property
    def terminal(self) -> bool:
        return self.type in TERMINAL_TYPES

    def to_sse(self) -> dict[str, Any]:
        """The dict sse-starlette's EventSourceResponse takes (id, event, data as camelCase)."""
        return {"id": self.id, "event": self.type, "data": self.model_dump_json(by_alias=True)}

    def sse_bytes(self) -> bytes:
        """The same frame on the wire: EventSourceResponse sends bytes as they are, so a hub
        encodes an event once for all its listeners instead of once per listener."""
        return ServerSentEvent(**self.to_sse()).encode()


class ProgressBus(Protocol):
    async def publish(self, event: ProgressEvent) -> str: ...

    async def read(
        self, course_id: str, after_id: str | None = None, *, block_ms: int = 0, count: int = 100
    ) -> list[ProgressEvent]:
        """Events strictly after `after_id` (None: from the start), waiting up to `block_ms`."""
        ...

    async def last(self, course_id: str) -> ProgressEvent | None: ...

    async def delete(self, course_id: str) -> None: ...


def parse_id(event_id: str | None) -> tuple[int, int]:
    """'1700000000000-3' -> (1700000000000, 3); None or garbage -> before everything."""
    if not event_id:
        return (0, 0)
    ms, _, seq = event_id.partition("-")
    try:
        return (int(ms), int(seq or 0))
    except ValueError:
        return (0, 0)


class MemoryProgressBus:
    """In-process bus for the embedded default: a bounded deque per course + one Condition."""

    def __init__(self, maxlen: int = 2000) -> None:
        self.maxlen = maxlen
        self._events: dict[str, deque[ProgressEvent]] = {}
        self._last_id = (0, 0)
        self._cond: asyncio.Condition | None = None
        self._watchers: list[Callable[[ProgressEvent], None]] = []

    def add_watcher(self, watcher: Callable[[ProgressEvent], None]) -> None:
        """Called with every published event (the ProgressHub's fan-out)."""
        self._watchers.append(watcher)

    @property
    def _condition(self) -> asyncio.Condition:
        if self._cond is None:  # created lazily so the bus can be built outside a loop
            self._cond = asyncio.Condition()
        return self._cond

    def _next_id(self) -> str:
        ms, seq = int(time.time() * 1000), 0
        if ms <= self._last_id[0]:  # same millisecond (or clock went back): bump the sequence
            ms, seq = self._last_id[0], self._last_id[1] + 1
        self._last_id = (ms, seq)
        return f"{ms}-{seq}"

    async def publish(self, event: ProgressEvent) -> str:
        stored = event.model_copy(update={"id": self._next_id()})
        queue = self._events.setdefault(event.course_id, deque(maxlen=self.maxlen))
        async with self._condition:
            queue.append(stored)
            self._condition.notify_all()
        for watcher in self._watchers:
            watcher(stored)
        return stored.id  # type: ignore[return-value]

    def _after(self, course_id: str, after_id: str | None, count: int) -> list[ProgressEvent]:
        cursor = parse_id(after_id)
        queue = self._events.get(course_id, ())
        return [e for e in queue if parse_id(e.id) > cursor][:count]

    async def read(
        self, course_id: str, after_id: str | None = None, *, block_ms: int = 0, count: int = 100
    ) -> list[ProgressEvent]:
        found = self._after(course_id, after_id, count)
        if found or block_ms <= 0:
            return found
        async with self._condition:
            try:
                await asyncio.wait_for(
                    self._condition.wait_for(lambda: bool(self._after(course_id, after_id, 1))),
                    timeout=block_ms / 1000,
                )
            except TimeoutError:
                return []
        return self._after(course_id, after_id, count)

    async def last(self, course_id: str) -> ProgressEvent | None:
        queue = self._events.get(course_id)
        return queue[-1] if queue else None

    async def delete(self, course_id: str) -> None:
        self._events.pop(course_id, None)


class RedisProgressBus:
    """Redis Streams, one stream per course: XADD MAXLEN ~, XREAD BLOCK, XREVRANGE COUNT 1."""

    def __init__(
        self,
        client: aredis.Redis,
        *,
        maxlen: int = 2000,
        ttl_seconds: int = 3 * 24 * 3600,
        prefix: str = "coursegen:progress",
    ) -> None:
        self.client, self.maxlen, self.ttl_seconds, self.prefix = (
            client,
            maxlen,
            ttl_seconds,
            prefix,
        )

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisProgressBus:
        return cls(redis_client(url), **kwargs)

    def _key(self, course_id: str) -> str:
        return f"{self.prefix}:{course_id}"

    async def publish(self, event: ProgressEvent) -> str:
        body = event.model_dump_json(exclude={"id"})
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.xadd(self._key(event.course_id), {"e": body}, maxlen=self.maxlen, approximate=True)
            pipe.expire(self._key(event.course_id), self.ttl_seconds)
            event_id, _ = await pipe.execute()
        return _text(event_id)

    def _decode(self, entry_id: Any, fields: Any) -> ProgressEvent:
        raw = fields.get(b"e", fields.get("e"))
        if raw is None:
            raise ValueError(f"progress stream entry {entry_id!r} has no event body")
        return ProgressEvent.model_validate_json(raw).model_copy(update={"id": _text(entry_id)})

    async def read(
        self, course_id: str, after_id: str | None = None, *, block_ms: int = 0, count: int = 100
    ) -> list[ProgressEvent]:
        streams: dict[Any, Any] = {self._key(course_id): after_id or "0-0"}
        reply = await self.client.xread(streams, count=count, block=block_ms or None)
        pairs = reply.items() if isinstance(reply, dict) else reply  # RESP3 vs RESP2 shape
        return [self._decode(eid, fields) for _, entries in pairs for eid, fields in entries]

    async def read_many(self, cursors: dict[str, str], *, block_ms: int, count: int = 1000
                        ) -> dict[str, list[ProgressEvent]]:
        """One XREAD over several courses' streams ({course id: after id}), for the hub."""
        keys = {self._key(course_id): course_id for course_id in cursors}
        streams: dict[Any, Any] = {self._key(c): after for c, after in cursors.items()}
        reply = await self.client.xread(streams, count=count, block=block_ms or None)
        pairs = reply.items() if isinstance(reply, dict) else (reply or [])
        return {keys[_text(key)]: [self._decode(eid, fields) for eid, fields in entries]
                for key, entries in pairs}

    async def last(self, course_id: str) -> ProgressEvent | None:
        entries = await self.client.xrevrange(self._key(course_id), count=1)
        return self._decode(*entries[0]) if entries else None

    async def delete(self, course_id: str) -> None:
        await self.client.delete(self._key(course_id))

    async def aclose(self) -> None:
        await self.client.aclose()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def make_progress_bus(settings: Settings) -> ProgressBus:
    """Redis Streams when REDIS_URL is set (any process can replay), else in-process."""
    if settings.redis_url:
        return RedisProgressBus.from_url(settings.redis_url, maxlen=settings.progress_stream_maxlen)
    return MemoryProgressBus(maxlen=settings.progress_stream_maxlen)
