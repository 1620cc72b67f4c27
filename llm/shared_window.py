"""The AIMD window of one model shared through Redis by every worker process.

Each process runs its own `AdaptiveLimiter`; without sharing, each learns the provider's limit
alone, so N workers start N× too eager and a 429 seen by one leaves the others bursting. Here a
small Redis hash per model (`coursegen:llm:window:<model>`: limit, epoch, paused_until) is the
window every worker adopts. A limiter merges its local news into it at most every
SYNC_SECONDS (and at once after a 429), atomically in one Lua call:

- a halving counts once per congestion episode across all workers: only a worker that knew
  the current `epoch` halves the shared limit (and bumps the epoch); others of the same burst
  saw a stale epoch and change nothing;
- growth since the last merge is added only by a worker on the current epoch (growth learnt
  before someone's 429 is dropped);
- a pause (Retry-After, exhausted quota) is the latest `paused_until` (wall clock) anyone set.

Failing open: any Redis error leaves the limiter on its own per-process window, as without
REDIS_URL; it merges again at the next interval.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis import asyncio as aredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PREFIX = "coursegen:llm:window"
SYNC_SECONDS = 0.5
TTL_SECONDS = 3600  # a model nobody called for an hour starts afresh

# KEYS[1]; ARGV: local limit, known epoch, halved (0/1), growth, paused_until, ceiling, ttl
_MERGE = """
local cur = redis.call('HMGET', KEYS[1], 'limit', 'epoch', 'paused_until')
local limit = tonumber(cur[1])
local epoch = tonumber(cur[2]) or 0
local paused = tonumber(cur[3]) or 0
local known = tonumber(ARGV[2])
local ceiling = tonumber(ARGV[6])
if limit == nil then
  limit = tonumber(ARGV[1])
elseif known == epoch then
  if ARGV[3] == '1' then
    limit = math.max(1, limit / 2)
    epoch = epoch + 1
  else
    limit = math.min(ceiling, limit + tonumber(ARGV[4]))
  end
end
paused = math.max(paused, tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], 'limit', tostring(limit), 'epoch', epoch,
           'paused_until', tostring(paused))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[7]))
return {tostring(limit), epoch, tostring(paused)}
"""


class SharedWindow:
    """One model's shared window; `AdaptiveLimiter(shared=...)` calls `merge`."""

    def __init__(self, client: aredis.Redis, model: str, *, prefix: str = PREFIX,
                 interval: float = SYNC_SECONDS) -> None:
        self.client, self.key, self.interval = client, f"{prefix}:{model}", interval
        self._script: Any = client.register_script(_MERGE)
        self.merges = 0
        self.failures = 0

    async def merge(self, *, limit: float, epoch: int, halved: bool, growth: float,
                    paused_until: float, ceiling: int) -> tuple[float, int, float] | None:
        """(shared limit, epoch, paused_until as wall-clock time), None when Redis failed."""
        try:
            reply = await self._script(keys=[self.key], args=[
                repr(limit), epoch, 1 if halved else 0, repr(growth), repr(paused_until),
                ceiling, TTL_SECONDS])
        except (RedisError, OSError) as exc:
            self.failures += 1
            log.warning("shared LLM window unavailable (%s); this process goes on alone", exc)
            return None
        self.merges += 1
        return float(reply[0]), int(reply[1]), float(reply[2])


def wall_to_monotonic(wall: float, clock_now: float) -> float:
    """A wall-clock deadline shared between hosts, on this process's monotonic clock."""
    return clock_now + (wall - time.time())
