"""Adaptive LLM concurrency: how many calls one model may have in flight, learnt from its 429s.

A fixed semaphore is either too timid for a provider with headroom or too eager for one with a
tight quota (every call beyond the quota costs a 429 and a backoff). `AdaptiveLimiter` is AIMD,
as TCP congestion control: the window of permitted in-flight calls grows while calls succeed and
demand fills it (by one per success up to the first 429, "slow start", then by one per window of
successes), and halves on a 429 (floor 1) — once per congestion episode, not once per call of a
burst that all hit the same limit. The provider's own hints are honoured: `Retry-After` and
`x-ratelimit-remaining-requests: 0` with `x-ratelimit-reset-requests` close the gate for every
caller until the quota resets, not only for the call that was refused.

One limiter per (event loop, model): asyncio futures are bound to their loop. With REDIS_URL
the window is shared by every worker through a small Redis hash per model
(llm/shared_window.py); without it each process learns its own.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import openai

from llm.errors import retry_after_seconds
from llm.shared_window import SharedWindow, wall_to_monotonic

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_reset(value: str | None) -> float | None:
    """OpenAI's `x-ratelimit-reset-requests` ("1s", "6m0s", "20ms", "1h2m3.5s") in seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))  # some compatible servers send plain seconds
    except ValueError:
        pass
    parts = _DURATION_PART.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        return None
    return sum(float(n) * _UNIT_S[u] for n, u in parts)


def _headers(exc: BaseException) -> Mapping[str, str] | None:
    response: Any = getattr(exc, "response", None)
    return getattr(response, "headers", None)


def is_rate_limited(exc: BaseException | None) -> bool:
    if isinstance(exc, openai.RateLimitError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code == 429


def quota_wait(headers: Mapping[str, str] | None) -> float | None:
    """Seconds until the request quota resets when the provider says none is left, else None."""
    if not headers:
        return None
    remaining = headers.get("x-ratelimit-remaining-requests")
    try:
        exhausted = remaining is not None and int(float(remaining)) <= 0
    except ValueError:
        exhausted = False
    return parse_reset(headers.get("x-ratelimit-reset-requests")) if exhausted else None


class AdaptiveLimiter:
    """`async with limiter.slot() as slot:` around one provider call (see the module docstring).

    The slot reads the call's outcome from the exception leaving the block: a 429 shrinks the
    window, no exception counts as a success. Call `slot.observe(headers)` with a successful
    response's headers to honour an exhausted quota before the next call hits it.
    """

    def __init__(self, initial: int, ceiling: int, *, max_pause: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 shared: SharedWindow | None = None) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = float(min(max(1, initial), self.ceiling))
        self.ssthresh = float(self.ceiling)  # below it: slow start (+1 per success)
        self.max_pause = max_pause
        self.in_flight = 0
        self.max_in_flight = 0
        self.decreases = 0
        self._epoch = 0  # bumped on each decrease: 429s of calls started before it are stale
        self._paused_until = 0.0
        self._calm_until = 0.0  # until then a quota 429 pauses but does not halve again
        self._clock = clock
        self._waiters: deque[asyncio.Future[None]] = deque()
        # news for the shared window since the last merge
        self.shared = shared
        self._shared_epoch = 0
        self._halved = False
        self._growth = 0.0
        self._last_merge = -float("inf")
        self._merging: asyncio.Task[None] | None = None

    @property
    def window(self) -> int:
        return int(self.limit)

    def slot(self) -> _Slot:
        return _Slot(self)

    def paused_for(self) -> float:
        """Seconds until new calls are admitted again (0 when the gate is open)."""
        return max(0.0, self._paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        """Admit no new call for `seconds` (capped at max_pause); in-flight calls run on."""
        until = self._clock() + min(max(0.0, seconds), self.max_pause)
        self._paused_until = max(self._paused_until, until)

    async def merge_shared(self) -> None:
        """Send this process's news to the shared window and adopt the merged one."""
        if self.shared is None:
            return
        self._last_merge = self._clock()
        halved, growth = self._halved, self._growth
        self._halved, self._growth = False, 0.0
        pause_wall = time.time() + self.paused_for() if self.paused_for() > 0 else 0.0
        merged = await self.shared.merge(
            limit=self.limit, epoch=self._shared_epoch, halved=halved, growth=growth,
            paused_until=pause_wall, ceiling=self.ceiling)
        if merged is None:
            return
        limit, self._shared_epoch, paused_wall = merged
        self.limit = min(float(self.ceiling), max(1.0, limit))
        if halved:
            self.ssthresh = self.limit
        if paused_wall > time.time():
            self._paused_until = max(self._paused_until,
                                     wall_to_monotonic(paused_wall, self._clock()))
        self._wake()

    def _merge_soon(self) -> None:
        if self.shared is not None and (self._merging is None or self._merging.done()):
            self._merging = asyncio.get_running_loop().create_task(self.merge_shared())

    async def _acquire(self) -> tuple[int, bool]:
        if self.shared is not None and self._clock() - self._last_merge >= self.shared.interval:
            await self.merge_shared()
        while True:
            wait = self._paused_until - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            if self.in_flight < self.window:
                break
            fut = asyncio.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
            except asyncio.CancelledError:
                if fut.done() and not fut.cancelled():
                    self._wake()  # woken, then cancelled: pass the wake-up on
                raise
            finally:
                if fut in self._waiters:
                    self._waiters.remove(fut)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        # Only a full window says anything about the provider's capacity: growing it on
        # sequential calls would let it reach the ceiling untested and then burst.
        return self._epoch, self.in_flight >= self.window

    def _release(self, epoch: int, saturated: bool, exc: BaseException | None) -> None:
        self.in_flight -= 1
        if exc is None:
            if saturated or self._waiters:
                step = 1.0 if self.limit < self.ssthresh else 1.0 / self.limit
                grown = min(float(self.ceiling), self.limit + step)
                self._growth += grown - self.limit
                self.limit = grown
        elif is_rate_limited(exc):
            headers = _headers(exc)
            hinted = retry_after_seconds(exc)
            wait = hinted if hinted is not None else quota_wait(headers)
            now = self._clock()
            # A 429 with a reset time is a request quota: the pause paces the retries, and the
            # refusals while the quota refills (a sliding window frees slot by slot) say nothing
            # new about concurrency, so they do not halve the window again.
            if epoch == self._epoch and now >= self._calm_until:
                self.limit = max(1.0, self.limit / 2)
                self.ssthresh = self.limit
                self._epoch += 1
                self.decreases += 1
                self._halved = True
                if wait:
                    self._calm_until = now + 2 * min(wait, self.max_pause)
            if wait:
                self.pause(wait)
            self._merge_soon()  # the other workers hear of a 429 now, not at the interval
        self._wake()

    def observe(self, headers: Mapping[str, str] | None) -> None:
        wait = quota_wait(headers)
        if wait:
            self.pause(wait)

    def _wake(self) -> None:
        free = self.window - self.in_flight
        for fut in list(self._waiters)[: max(free, 0)]:
            if not fut.done():
                fut.set_result(None)


class _Slot:
    def __init__(self, limiter: AdaptiveLimiter) -> None:
        self._limiter = limiter
        self._epoch = 0
        self._saturated = False

    async def __aenter__(self) -> _Slot:
        self._epoch, self._saturated = await self._limiter._acquire()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        # Cancellation is neither a success nor a refusal: only free the slot.
        if isinstance(exc, asyncio.CancelledError):
            self._limiter.in_flight -= 1
            self._limiter._wake()
            return
        self._limiter._release(self._epoch, self._saturated, exc)

    def observe(self, headers: Mapping[str, str] | None) -> None:
        self._limiter.observe(headers)
