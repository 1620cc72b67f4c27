"""Sign-in throttling shared by every API process, on Redis (same contract as the in-memory
`SigninThrottle`): after `max_attempts` failures within `window_seconds`, a key is blocked until
its oldest failure leaves the window.

A sorted set of failure times per key, read and written by Lua scripts on the server clock (like
infra/ratelimit.py), so a burst spread over several API processes is counted once, atomically.
Keys hold a hash of (email, IP), not the e-mail address itself.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from typing import Any

import redis.asyncio as aredis

from api.auth.throttle import InMemorySigninThrottle, SigninThrottle
from core.config import Settings

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

# KEYS[1] failures zset; ARGV: max attempts, window seconds. Returns retry-after as a string
# ('' when the key may try now; Lua numbers would become integer replies).
_RETRY_AFTER = _NOW + """
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  return ''
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window - now)
"""

# KEYS[1] failures zset; ARGV: window seconds, unique member, max entries kept.
_RECORD = _NOW + """
local window, keep = tonumber(ARGV[1]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -keep - 1)
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return 1
"""


class RedisSigninThrottle:
    def __init__(self, client: aredis.Redis, *, max_attempts: int, window_seconds: float,
                 prefix: str = "coursegen:signin") -> None:
        self.client, self.prefix = client, prefix
        self.max_attempts, self.window = max_attempts, window_seconds

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisSigninThrottle:
        return cls(aredis.Redis.from_url(url), **kwargs)

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"

    async def retry_after(self, key: str) -> int | None:
        reply = await self.client.eval(_RETRY_AFTER, 1, self._key(key), self.max_attempts,
                                       self.window)
        text = reply.decode() if isinstance(reply, bytes) else str(reply)
        return max(1, math.ceil(float(text))) if text else None

    async def record_failure(self, key: str) -> None:
        # only the newest max_attempts failures matter, so a spray cannot grow the set
        await self.client.eval(_RECORD, 1, self._key(key), self.window, uuid.uuid4().hex,
                               self.max_attempts)

    async def reset(self, key: str) -> None:
        await self.client.delete(self._key(key))

    async def aclose(self) -> None:
        await self.client.aclose()


def make_signin_throttle(settings: Settings) -> SigninThrottle:
    """Redis when REDIS_URL is set (the limit holds across API processes), else in-process."""
    if settings.redis_url:
        return RedisSigninThrottle.from_url(settings.redis_url,
                                            max_attempts=settings.signin_max_attempts,
                                            window_seconds=settings.signin_window_seconds)
    return InMemorySigninThrottle(max_attempts=settings.signin_max_attempts,
                                  window_seconds=settings.signin_window_seconds)


async def close_signin_throttle(throttle: SigninThrottle) -> None:
    close = getattr(throttle, "aclose", None)
    if close is not None:
        await close()
