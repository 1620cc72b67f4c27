"""Brute-force throttling of sign-in attempts, per (email, client IP).

Written against a tiny interface so a shared store (Redis, infra/ratelimit.py) can replace the
in-memory one when several API processes serve the same users.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol


class SigninThrottle(Protocol):
    async def retry_after(self, key: str) -> int | None:
        """Seconds until `key` may try again, or None when it may try now."""
        ...

    async def record_failure(self, key: str) -> None: ...

    async def reset(self, key: str) -> None: ...


def throttle_key(email: str, client_ip: str | None) -> str:
    return f"{email}|{client_ip or '-'}"


class InMemorySigninThrottle:
    """Sliding window: after `max_attempts` failures within `window_seconds`, block until the
    oldest failure leaves the window."""

    def __init__(
        self,
        *,
        max_attempts: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.max_attempts = max_attempts
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    def _live(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    async def retry_after(self, key: str) -> int | None:
        async with self._lock:
            now = self._clock()
            times = self._live(key, now)
            if not times:
                self._failures.pop(key, None)
                return None
            if len(times) < self.max_attempts:
                return None
            return max(1, math.ceil(times[0] + self.window - now))

    async def record_failure(self, key: str) -> None:
        async with self._lock:
            now = self._clock()
            if key not in self._failures and len(self._failures) >= self._max_keys:
                self._evict(now)
            times = self._live(key, now)
            times.append(now)
            self._failures[key] = times

    async def reset(self, key: str) -> None:
        async with self._lock:
            self._failures.pop(key, None)

    def _evict(self, now: float) -> None:
        # Bound memory under a spray of distinct keys: drop expired entries, then the oldest.
        for k in [k for k, t in self._failures.items() if not t or t[-1] <= now - self.window]:
            del self._failures[k]
        while len(self._failures) >= self._max_keys:
            del self._failures[next(iter(self._failures))]
