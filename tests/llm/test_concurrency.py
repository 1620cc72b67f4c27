"""Adaptive LLM concurrency (llm/concurrency.py): an AIMD window driven by scripted 429s."""

from __future__ import annotations

import asyncio

import httpx2
import openai
import pytest

from llm.client import LLMClient, ModelRegistry
from llm.concurrency import AdaptiveLimiter, parse_reset
from testkit.scripted import FakeChatModel

from .conftest import Lesson, spec

USER = "Mitochondria produce ATP through cellular respiration"


def _client(fake: FakeChatModel, *, initial: int, ceiling: int) -> LLMClient:
    # the model's ceiling bounds the window (LLM_MAX_CONCURRENCY stays at its default 32)
    return LLMClient(ModelRegistry([spec(max_concurrency=ceiling)]), chat_factory=lambda _s: fake,
                     initial_concurrency=initial, backoff_base=0.001, backoff_max=0.01)


async def _burst(client: LLMClient, n: int) -> None:
    await asyncio.gather(*(client.structured(Lesson, system="s", user=f"{USER} {i}", node="w")
                           for i in range(n)))


async def test_window_grows_on_success_up_to_the_model_ceiling() -> None:
    fake = FakeChatModel(latency_per_call=0.01)
    client = _client(fake, initial=2, ceiling=6)
    await _burst(client, 30)
    assert fake.max_in_flight == 6  # grew past the initial 2, never past the ceiling
    assert client.limiter(client.registry.models[0]).window == 6


async def test_sequential_calls_do_not_grow_the_window() -> None:
    # an unfilled window says nothing about the provider's capacity
    fake = FakeChatModel()
    client = _client(fake, initial=2, ceiling=32)
    for i in range(10):
        await client.structured(Lesson, system="s", user=f"{USER} {i}", node="w")
    assert client.limiter(client.registry.models[0]).window == 2


async def test_a_burst_of_429s_halves_the_window_once() -> None:
    # 8 calls in flight all refused by the same limit: one congestion episode, one halving
    fake = FakeChatModel(script=["429"] * 8, retry_after=0, latency_per_call=0.01)
    client = _client(fake, initial=8, ceiling=8)
    await _burst(client, 8)
    limiter = client.limiter(client.registry.models[0])
    assert limiter.decreases == 1 and limiter.ssthresh == 4
    assert client.usage.totals().failed_calls == 0
    assert fake.count(ok_only=True) == 8


def _rate_limited(headers: dict[str, str]) -> openai.RateLimitError:
    req = httpx2.Request("POST", "http://x/v1/chat/completions")
    resp = httpx2.Response(429, headers=headers, request=req)
    return openai.RateLimitError("limited", response=resp, body=None)


class _Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_retry_after_and_exhausted_quota_close_the_gate_for_everyone() -> None:
    clock = _Clock()
    limiter = AdaptiveLimiter(4, 32, max_pause=120, clock=clock)
    with pytest.raises(openai.RateLimitError):
        async with limiter.slot():
            raise _rate_limited({"retry-after": "7"})
    assert limiter.paused_for() == 7 and limiter.window == 2
    clock.now += 7
    # the quota refills: a refusal in the next reset period pauses again but does not halve
    with pytest.raises(openai.RateLimitError):
        async with limiter.slot():
            raise _rate_limited({"retry-after": "0.5"})
    assert limiter.paused_for() == 0.5 and limiter.window == 2
    clock.now += 7
    with pytest.raises(openai.RateLimitError):  # no Retry-After: the quota headers decide
        async with limiter.slot():
            raise _rate_limited({"x-ratelimit-remaining-requests": "0",
                                 "x-ratelimit-reset-requests": "1m30s"})
    assert limiter.paused_for() == 90 and limiter.window == 1  # floor 1
    clock.now += 90
    async with limiter.slot() as slot:  # a success that used the last request of the quota
        slot.observe({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "20ms"})
    assert limiter.paused_for() == pytest.approx(0.02)
    clock.now += 1
    async with limiter.slot() as slot:
        slot.observe({"x-ratelimit-remaining-requests": "12", "x-ratelimit-reset-requests": "5s"})
    assert limiter.paused_for() == 0 and limiter.in_flight == 0


async def test_pause_is_capped() -> None:
    limiter = AdaptiveLimiter(4, 32, max_pause=2, clock=_Clock())
    with pytest.raises(openai.RateLimitError):
        async with limiter.slot():
            raise _rate_limited({"retry-after": "3600"})
    assert limiter.paused_for() == 2


async def test_other_failures_and_cancellation_only_free_the_slot() -> None:
    limiter = AdaptiveLimiter(2, 32)
    with pytest.raises(openai.APITimeoutError):
        async with limiter.slot():
            raise openai.APITimeoutError(request=httpx2.Request("POST", "http://x"))
    task = asyncio.create_task(_hold(limiter))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert limiter.in_flight == 0 and limiter.window == 2 and limiter.decreases == 0


async def _hold(limiter: AdaptiveLimiter) -> None:
    async with limiter.slot():
        await asyncio.sleep(10)


def test_parse_reset_forms() -> None:
    assert parse_reset("1s") == 1 and parse_reset("6m0s") == 360
    assert parse_reset("20ms") == pytest.approx(0.02)
    assert parse_reset("1h2m3.5s") == pytest.approx(3723.5)
    assert parse_reset("2.5") == 2.5
    assert parse_reset("soon") is None and parse_reset(None) is None
