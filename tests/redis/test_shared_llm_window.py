"""The AIMD window shared by worker processes through Redis (llm/shared_window.py): two
limiters on one Redis key stand for two workers calling the same model."""

from __future__ import annotations

import asyncio

import httpx2
import openai
import pytest
import redis.asyncio as aredis

from llm.client import LLMClient, ModelRegistry
from llm.concurrency import AdaptiveLimiter
from llm.shared_window import SharedWindow
from testkit.scripted import FakeChatModel
from tests.llm.conftest import Lesson, spec


def _rate_limited(headers: dict[str, str]) -> openai.RateLimitError:
    req = httpx2.Request("POST", "http://x/v1/chat/completions")
    return openai.RateLimitError("limited", body=None,
                                 response=httpx2.Response(429, headers=headers, request=req))


async def _refused(limiter: AdaptiveLimiter, headers: dict[str, str]) -> None:
    with pytest.raises(openai.RateLimitError):
        async with limiter.slot():
            raise _rate_limited(headers)


async def _ok(limiter: AdaptiveLimiter) -> None:
    async with limiter.slot():
        pass


@pytest.fixture
async def worker_pair(redis_url: str, key_prefix: str):
    clients = [aredis.Redis.from_url(redis_url) for _ in range(2)]
    pair = [AdaptiveLimiter(8, 32, max_pause=30,
                            shared=SharedWindow(c, "gpt-x", prefix=key_prefix, interval=0.0))
            for c in clients]
    yield pair
    for c in clients:
        await c.aclose()


async def test_a_429_in_one_worker_halves_the_others_window_once(worker_pair) -> None:
    a, b = worker_pair
    await _ok(a)
    await _ok(b)  # both joined the shared window at 8
    await _refused(a, {})
    await _refused(b, {})  # same episode: b had not heard of a's halving yet
    await asyncio.sleep(0.05)  # the merge a 429 schedules at once
    await _ok(a)
    await _ok(b)
    assert a.window == b.window == 4  # one halving for the pair, not 8 -> 4 -> 2


async def test_retry_after_in_one_worker_pauses_the_other(worker_pair) -> None:
    a, b = worker_pair
    await _ok(b)
    await _refused(a, {"retry-after": "5"})
    await asyncio.sleep(0.05)
    await b.merge_shared()
    assert 4 < b.paused_for() <= 5  # b admits no call until the provider's quota resets


async def test_without_redis_each_worker_goes_on_alone(key_prefix: str) -> None:
    dead = aredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    shared = SharedWindow(dead, "gpt-x", prefix=key_prefix, interval=0.0)
    limiter = AdaptiveLimiter(4, 32, shared=shared)
    await _refused(limiter, {})
    await _ok(limiter)
    assert limiter.window == 2 and shared.failures >= 1 and shared.merges == 0
    await dead.aclose()


async def test_client_workers_share_the_window_through_redis_url(redis_url: str) -> None:
    """Through LLMClient (REDIS_URL -> shared_window_url): a second client, as a second worker
    would, starts from the window the first one learnt, not from its initial value."""
    fake = FakeChatModel(latency_per_call=0.01)
    model = spec(max_concurrency=6)
    registry = ModelRegistry([model])
    first = LLMClient(registry, chat_factory=lambda _s: fake, initial_concurrency=2,
                      shared_window_url=redis_url)
    second = LLMClient(registry, chat_factory=lambda _s: fake, initial_concurrency=2,
                       shared_window_url=redis_url)
    key = f"coursegen:llm:window:{model.name}"
    r = aredis.Redis.from_url(redis_url)
    await r.delete(key)
    try:
        await asyncio.gather(*(first.structured(Lesson, system="s", user=f"cells {i}", node="w")
                               for i in range(30)))
        await first.limiter(model).merge_shared()
        assert first.limiter(model).window == 6
        await second.limiter(model).merge_shared()
        assert second.limiter(model).window == 6
    finally:
        await r.delete(key)
        await r.aclose()
