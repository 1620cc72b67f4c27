"""Rate limits and concurrency slots on both backends; Redis shared by two clients."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from core.config import Settings
from infra.ratelimit import MemoryRateLimiter, RedisRateLimiter, make_rate_limiter
from testkit import services

from .conftest import REDIS_URL
from .conftest import delete_keys as _cleanup


@pytest.fixture
def rl_prefix() -> str:
    return f"test:{uuid.uuid4().hex[:12]}:rl"


@pytest.fixture(params=["memory", "redis"])
async def limiter(request, rl_prefix):
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    services.need_redis()
    lim = RedisRateLimiter.from_url(REDIS_URL, prefix=rl_prefix)
    yield lim
    await lim.aclose()
    await _cleanup(rl_prefix)


async def test_hits_until_limit_then_retry_after(limiter) -> None:
    decisions = [await limiter.hit("user:1", 3, 10) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0, 0]
    assert decisions[0].retry_after == 0
    assert 9 < decisions[-1].retry_after <= 10
    assert (await limiter.hit("user:2", 3, 10)).allowed  # keys are independent


async def test_sliding_window_frees_capacity(limiter) -> None:
    assert (await limiter.hit("u", 2, 1)).allowed
    await asyncio.sleep(0.5)
    assert (await limiter.hit("u", 2, 1)).allowed
    denied = await limiter.hit("u", 2, 1)
    assert not denied.allowed and 0.3 < denied.retry_after < 0.6
    await asyncio.sleep(denied.retry_after + 0.05)
    assert (await limiter.hit("u", 2, 1)).allowed  # the first hit left the window
    assert not (await limiter.hit("u", 2, 1)).allowed  # the second one has not


async def test_burst_with_gather_never_exceeds_limit(limiter) -> None:
    decisions = await asyncio.gather(*(limiter.hit("burst", 7, 30) for _ in range(50)))
    assert sum(d.allowed for d in decisions) == 7
    assert sorted(d.remaining for d in decisions if d.allowed) == list(range(7))


async def test_slots_limit_release_and_reentry(limiter) -> None:
    assert await limiter.acquire_slot("gen:u1", 2, 60, holder="course-a")
    assert await limiter.acquire_slot("gen:u1", 2, 60, holder="course-b")
    assert not await limiter.acquire_slot("gen:u1", 2, 60, holder="course-c")
    assert await limiter.acquire_slot("gen:u1", 2, 60, holder="course-a")  # refresh, not a 3rd
    await limiter.release_slot("gen:u1", holder="course-a")
    await limiter.release_slot("gen:u1", holder="course-a")  # idempotent
    assert await limiter.acquire_slot("gen:u1", 2, 60, holder="course-c")
    assert not await limiter.acquire_slot("gen:u1", 2, 60)
    await limiter.release_slot("gen:u1")  # anonymous release frees the oldest
    assert await limiter.acquire_slot("gen:u1", 2, 60)


async def test_slots_expire_so_a_crash_does_not_leak(limiter) -> None:
    assert await limiter.acquire_slot("gen:u2", 1, 1, holder="crashed")
    assert not await limiter.acquire_slot("gen:u2", 1, 1, holder="next")
    await asyncio.sleep(1.2)
    assert await limiter.acquire_slot("gen:u2", 1, 1, holder="next")


async def test_slot_burst_with_gather(limiter) -> None:
    got = await asyncio.gather(
        *(limiter.acquire_slot("gen:u3", 3, 60, holder=f"c{i}") for i in range(20))
    )
    assert sum(got) == 3


@pytest.mark.redis
async def test_two_clients_hold_the_limit_together(rl_prefix) -> None:
    one = RedisRateLimiter.from_url(REDIS_URL, prefix=rl_prefix)
    two = RedisRateLimiter.from_url(REDIS_URL, prefix=rl_prefix)
    try:
        decisions = await asyncio.gather(
            *(lim.hit("shared", 10, 60) for lim in (one, two) for _ in range(15))
        )
        assert sum(d.allowed for d in decisions) == 10
        holders = [(lim, f"{name}{i}") for name, lim in (("a", one), ("b", two)) for i in range(6)]
        slots = await asyncio.gather(
            *(lim.acquire_slot("gen:shared", 4, 60, holder) for lim, holder in holders)
        )
        assert sum(slots) == 4
        holder = next(h for (_, h), ok in zip(holders, slots, strict=True) if ok)
        await two.release_slot("gen:shared", holder)  # released through the other client
        assert await one.acquire_slot("gen:shared", 4, 60, "late")
    finally:
        await one.aclose()
        await two.aclose()
        await _cleanup(rl_prefix)


def test_make_rate_limiter(tmp_path) -> None:
    assert isinstance(
        make_rate_limiter(Settings(COURSEGEN_DATA_DIR=tmp_path, REDIS_URL=None)), MemoryRateLimiter
    )
    assert isinstance(
        make_rate_limiter(Settings(COURSEGEN_DATA_DIR=tmp_path, REDIS_URL=REDIS_URL)),
        RedisRateLimiter,
    )
