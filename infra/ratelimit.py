"""Per-user rate limits and concurrency slots, in-process or shared through Redis.

`hit` is a sliding-window log: a sorted set of hit times per key, so a burst at a window edge
cannot get 2x the limit as a fixed window allows. `acquire_slot` holds one of `limit` slots
(e.g. concurrent generations per user); each slot expires on its own after `ttl`, so a crashed
worker cannot leak a slot forever. On Redis both are one Lua script each (atomic across every
process) and use the server clock, so API hosts with skewed clocks agree.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Protocol

import redis.asyncio as aredis
from pydantic import BaseModel

from core.config import Settings
from infra.redis_conn import redis_client


class RateDecision(BaseModel):
    allowed: bool
    remaining: int
    retry_after: float  # seconds until a hit would be allowed (0 when allowed)


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision: ...

    async def acquire_slot(self, key: str, limit: int, ttl: int, holder: str | None = None) -> bool:
        """Take one of `limit` slots for `ttl` seconds. Re-acquiring by the same holder refreshes
        its slot. Without a holder an anonymous slot is taken."""
        ...

    async def release_slot(self, key: str, holder: str | None = None) -> None:
        """Free `holder`'s slot (idempotent); without a holder, the oldest slot."""
        ...


class MemoryRateLimiter:
    """Single-process limiter; no awaits inside the critical sections, so no lock is needed."""

    def __init__(self) -> None:
        self._hits: dict[str, list[float]] = {}
        self._slots: dict[str, dict[str, float]] = {}  # key -> holder -> expires at

    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision:
        now = time.time()
        hits = [t for t in self._hits.get(key, []) if t > now - window_seconds]
        self._hits[key] = hits
        if len(hits) < limit:
            hits.append(now)
            return RateDecision(allowed=True, remaining=limit - len(hits), retry_after=0.0)
        retry = hits[0] + window_seconds - now
        return RateDecision(allowed=False, remaining=0, retry_after=max(retry, 0.0))

    async def acquire_slot(self, key: str, limit: int, ttl: int, holder: str | None = None) -> bool:
        now = time.time()
        slots = {h: exp for h, exp in self._slots.get(key, {}).items() if exp > now}
        self._slots[key] = slots
        holder = holder or uuid.uuid4().hex
        if holder in slots or len(slots) < limit:
            slots[holder] = now + ttl
            return True
        return False

    async def release_slot(self, key: str, holder: str | None = None) -> None:
        slots = self._slots.get(key, {})
        if holder is None and slots:
            holder = min(slots, key=slots.__getitem__)
        slots.pop(holder, None)  # type: ignore[arg-type]


_SERVER_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""


# KEYS[1] hits zset; ARGV: limit, window seconds, unique member. Returns {allowed, remaining,
# retry_after as a string (Lua numbers become integer replies)}.
_HIT = (
    _SERVER_NOW
    + """
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
  return {1, limit - n - 1, '0'}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, 0, tostring(tonumber(oldest[2]) + window - now)}
"""
)

# KEYS[1] slots zset (score = expiry); ARGV: limit, ttl seconds, holder. Returns 1 or 0.
_ACQUIRE = (
    _SERVER_NOW
    + """
local limit, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(last[2]) - now) * 1000))
  return 1
end
return 0
"""
)


class RedisRateLimiter:
    """Shared limiter: every API process and worker sees the same counts."""

    def __init__(self, client: aredis.Redis, *, prefix: str = "coursegen:rl") -> None:
        self.client, self.prefix = client, prefix

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisRateLimiter:
        return cls(redis_client(url), **kwargs)

    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision:
        member = uuid.uuid4().hex
        allowed, remaining, retry = await self.client.eval(
            _HIT, 1, f"{self.prefix}:hit:{key}", limit, window_seconds, member
        )
        return RateDecision(
            allowed=bool(allowed), remaining=int(remaining), retry_after=max(float(retry), 0.0)
        )

    async def acquire_slot(self, key: str, limit: int, ttl: int, holder: str | None = None) -> bool:
        holder = holder or uuid.uuid4().hex
        return bool(
            await self.client.eval(_ACQUIRE, 1, f"{self.prefix}:slot:{key}", limit, ttl, holder)
        )

    async def release_slot(self, key: str, holder: str | None = None) -> None:
        slot_key = f"{self.prefix}:slot:{key}"
        if holder is None:
            await self.client.zpopmin(slot_key)
        else:
            await self.client.zrem(slot_key, holder)

    async def aclose(self) -> None:
        await self.client.aclose()


def make_rate_limiter(settings: Settings) -> RateLimiter:
    """Redis when REDIS_URL is set (limits hold across processes), else in-process."""
    if settings.redis_url:
        return RedisRateLimiter.from_url(settings.redis_url)
    return MemoryRateLimiter()
