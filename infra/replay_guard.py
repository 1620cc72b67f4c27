"""The webhook replay guard: a seen-set of signatures, shared through Redis when REDIS_URL is set
(every API process refuses a signature any of them accepted), else in this process only."""

from __future__ import annotations

import redis

from core.config import Settings
from core.signing import MemoryReplayGuard, ReplayGuard, SignatureError


class RedisReplayGuard:
    """SET NX with an expiry at the end of the signature's window: atomic across processes."""

    def __init__(self, client: redis.Redis, prefix: str = "coursegen:webhook-seen:") -> None:
        self.client, self.prefix = client, prefix

    def check_and_remember(self, key: str, expires_at: float, now: float) -> bool:
        ttl_ms = max(1, int((expires_at - now) * 1000))
        try:
            return bool(self.client.set(self.prefix + key, b"1", nx=True, px=ttl_ms))
        except redis.RedisError as exc:
            # Accepting unchecked would let a replay through: refuse, and say it's temporary.
            raise SignatureError("replay_check_unavailable",
                                 "the replay check is unavailable; retry later") from exc


def make_replay_guard(settings: Settings) -> ReplayGuard:
    if settings.redis_url:
        return RedisReplayGuard(redis.Redis.from_url(settings.redis_url, socket_timeout=2,
                                                     socket_connect_timeout=2))
    return MemoryReplayGuard()
