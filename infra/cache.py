"""The seed's ResponseCache: JSON values with a TTL, stale-while-revalidate, tag invalidation.

`get_or_set` serves a stale value at once and refreshes it in the background exactly once, even
when many callers (or processes, on Redis) see it stale together: a refresh lock (`SET NX`)
decides who refreshes. Values round-trip through JSON on both backends, so the embedded cache
behaves exactly like the shared one (and callers never alias a cached mutable object).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as aredis
from pydantic import BaseModel, Field

from core.config import Settings
from infra.redis_conn import redis_client

log = logging.getLogger(__name__)

Producer = Callable[[], Awaitable[Any]]


class CacheConfig(BaseModel):
    ttl: int = Field(ge=1, description="Seconds until the entry is gone")
    stale_after: float | None = Field(
        default=None, ge=0, description="Seconds until the entry is served stale and refreshed"
    )
    tags: list[str] = Field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings, tags: list[str] | None = None) -> CacheConfig:
        return cls(
            ttl=settings.cache_ttl_seconds,
            stale_after=settings.cache_stale_seconds,
            tags=tags or [],
        )


class CacheHit(BaseModel):
    value: Any
    stored_at: float
    is_stale: bool


def make_cache_key(namespace: str, **parts: Any) -> str:
    """A stable key from parts, e.g. (video, preferences, prompt versions, model)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return f"{namespace}:{hashlib.sha256(canonical.encode()).hexdigest()[:32]}"


def _encode(value: Any, config: CacheConfig) -> str:
    record = {"v": value, "t": time.time(), "s": config.stale_after}
    return json.dumps(record, separators=(",", ":"))  # raises TypeError if not JSON-able


def _decode(raw: str | bytes) -> CacheHit:
    record = json.loads(raw)
    stale = record["s"] is not None and time.time() - record["t"] >= record["s"]
    return CacheHit(value=record["v"], stored_at=record["t"], is_stale=stale)


class ResponseCache(ABC):
    """Backend-independent stale-while-revalidate on top of five primitives."""

    refresh_lock_seconds = 300  # a crashed refresher frees the key after this

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    @abstractmethod
    async def get(self, key: str) -> CacheHit | None: ...

    @abstractmethod
    async def set(self, key: str, value: Any, config: CacheConfig) -> None: ...

    @abstractmethod
    async def delete(self, key: str) -> None: ...

    @abstractmethod
    async def invalidate_tag(self, tag: str) -> int:
        """Delete every entry carrying `tag`; returns how many entries were deleted."""

    @abstractmethod
    async def _try_lock(self, key: str, token: str) -> bool: ...

    @abstractmethod
    async def _unlock(self, key: str, token: str) -> None: ...

    async def get_or_set(self, key: str, producer: Producer, config: CacheConfig) -> Any:
        hit = await self.get(key)
        if hit is None:
            value = await producer()
            await self.set(key, value, config)
            return value
        if hit.is_stale:
            await self._refresh_in_background(key, producer, config)
        return hit.value

    async def _refresh_in_background(self, key: str, producer: Producer, cfg: CacheConfig) -> None:
        token = uuid.uuid4().hex
        if not await self._try_lock(key, token):
            return  # someone (maybe another process) is already refreshing this key

        async def refresh() -> None:
            try:
                await self.set(key, await producer(), cfg)
            except Exception:  # the stale value keeps being served; the next get retries
                log.exception("cache refresh failed for %s", key)
            finally:
                await self._unlock(key, token)

        task = asyncio.create_task(refresh())
        self._tasks.add(task)  # keep a reference: the loop only holds weak ones
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for background refreshes (tests, graceful shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        await self.drain()


class MemoryResponseCache(ResponseCache):
    """Per-process cache for the embedded default."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: dict[str, tuple[str, float]] = {}  # key -> (json record, expires at)
        self._tags: dict[str, set[str]] = {}
        self._locks: dict[str, tuple[str, float]] = {}

    async def get(self, key: str) -> CacheHit | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] <= time.time():
            del self._entries[key]
            return None
        return _decode(entry[0])

    async def set(self, key: str, value: Any, config: CacheConfig) -> None:
        self._entries[key] = (_encode(value, config), time.time() + config.ttl)
        for tag in config.tags:
            self._tags.setdefault(tag, set()).add(key)

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    async def invalidate_tag(self, tag: str) -> int:
        now = time.time()
        deleted = 0
        for key in self._tags.pop(tag, set()):
            entry = self._entries.pop(key, None)
            deleted += entry is not None and entry[1] > now
        return deleted

    async def _try_lock(self, key: str, token: str) -> bool:
        held = self._locks.get(key)
        if held is not None and held[1] > time.time():
            return False
        self._locks[key] = (token, time.time() + self.refresh_lock_seconds)
        return True

    async def _unlock(self, key: str, token: str) -> None:
        if self._locks.get(key, ("",))[0] == token:
            del self._locks[key]


# SET the value and add the key to each tag set, extending a tag's TTL to cover the entry.
_SET = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('TTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[i], ARGV[2]) end
end
return 1
"""
_INVALIDATE = """
local members = redis.call('SMEMBERS', KEYS[1])
local n = 0
for i = 1, #members, 500 do
  n = n + redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('DEL', KEYS[1])
return n
"""
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisResponseCache(ResponseCache):
    """Shared by every API process and worker: `SET key json EX ttl`, tag sets, SET NX locks."""

    def __init__(self, client: aredis.Redis, *, prefix: str = "coursegen:cache") -> None:
        super().__init__()
        self.client, self.prefix = client, prefix

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisResponseCache:
        return cls(redis_client(url), **kwargs)

    def _k(self, key: str) -> str:
        return f"{self.prefix}:v:{key}"

    def _tag(self, tag: str) -> str:
        return f"{self.prefix}:tag:{tag}"

    async def get(self, key: str) -> CacheHit | None:
        raw = await self.client.get(self._k(key))
        return None if raw is None else _decode(raw)

    async def set(self, key: str, value: Any, config: CacheConfig) -> None:
        keys = [self._k(key), *(self._tag(t) for t in config.tags)]
        await self.client.eval(_SET, len(keys), *keys, _encode(value, config), config.ttl)

    async def delete(self, key: str) -> None:
        await self.client.delete(self._k(key))

    async def invalidate_tag(self, tag: str) -> int:
        return int(await self.client.eval(_INVALIDATE, 1, self._tag(tag)))

    async def _try_lock(self, key: str, token: str) -> bool:
        lock = f"{self.prefix}:lock:{key}"
        return bool(await self.client.set(lock, token, nx=True, ex=self.refresh_lock_seconds))

    async def _unlock(self, key: str, token: str) -> None:
        await self.client.eval(_UNLOCK, 1, f"{self.prefix}:lock:{key}", token)

    async def aclose(self) -> None:
        await super().aclose()
        await self.client.aclose()


def make_response_cache(settings: Settings) -> ResponseCache:
    """Redis when REDIS_URL is set (shared by all processes), else in-process."""
    if settings.redis_url:
        return RedisResponseCache.from_url(settings.redis_url)
    return MemoryResponseCache()
