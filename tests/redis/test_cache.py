"""ResponseCache on both backends: TTL, stale-while-revalidate, tags, sharing across clients."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from core.config import Settings
from infra.cache import (
    CacheConfig,
    MemoryResponseCache,
    RedisResponseCache,
    make_cache_key,
    make_response_cache,
)
from testkit import services

from .conftest import REDIS_URL
from .conftest import delete_keys as _cleanup


@pytest.fixture(params=["memory", "redis"])
async def cache(request):
    if request.param == "memory":
        c = MemoryResponseCache()
        yield c
        await c.aclose()
        return
    services.need_redis()
    prefix = f"test:{uuid.uuid4().hex[:12]}:cache"
    c = RedisResponseCache.from_url(REDIS_URL, prefix=prefix)
    yield c
    await c.aclose()
    await _cleanup(prefix)


class CountingProducer:
    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.delay = delay

    async def __call__(self) -> dict:
        self.calls += 1
        await asyncio.sleep(self.delay)
        return {"outline": {"title": f"v{self.calls}"}, "n": self.calls}


async def test_set_get_roundtrip_json(cache) -> None:
    value = {"title": "Intro", "sections": [{"id": "s1", "minutes": 4.5}], "ok": True, "x": None}
    await cache.set("k", value, CacheConfig(ttl=60))
    hit = await cache.get("k")
    assert hit is not None and hit.value == value and not hit.is_stale
    assert await cache.get("missing") is None
    with pytest.raises(TypeError):
        await cache.set("bad", {"x": object()}, CacheConfig(ttl=60))


async def test_ttl_expiry(cache) -> None:
    await cache.set("short", [1, 2], CacheConfig(ttl=1))
    assert (await cache.get("short")).value == [1, 2]
    await asyncio.sleep(1.3)
    assert await cache.get("short") is None


async def test_get_or_set_miss_then_hit(cache) -> None:
    produce = CountingProducer()
    cfg = CacheConfig(ttl=60, stale_after=30)
    first = await cache.get_or_set("course", produce, cfg)
    second = await cache.get_or_set("course", produce, cfg)
    assert first == second and produce.calls == 1


async def test_stale_served_at_once_and_refreshed_once_under_concurrency(cache) -> None:
    produce = CountingProducer(delay=1.0)
    cfg = CacheConfig(ttl=60, stale_after=0.2)
    await cache.set("swr", {"n": 0}, cfg)
    await asyncio.sleep(0.25)
    assert (await cache.get("swr")).is_stale

    started = asyncio.get_running_loop().time()
    results = await asyncio.gather(*(cache.get_or_set("swr", produce, cfg) for _ in range(20)))
    elapsed = asyncio.get_running_loop().time() - started
    assert all(r == {"n": 0} for r in results)  # the stale value, without waiting
    assert elapsed < 0.8  # the 1 s producer did not block anyone
    await cache.drain()
    assert produce.calls == 1  # exactly one background refresh
    hit = await cache.get("swr")
    assert hit.value["n"] == 1 and not hit.is_stale
    # stale again later -> one more refresh (the lock was released)
    await asyncio.sleep(0.25)
    await asyncio.gather(*(cache.get_or_set("swr", produce, cfg) for _ in range(5)))
    await cache.drain()
    assert produce.calls == 2


async def test_failed_refresh_keeps_stale_value_and_retries(cache) -> None:
    cfg = CacheConfig(ttl=60, stale_after=0)
    await cache.set("f", "old", cfg)

    async def boom() -> str:
        raise RuntimeError("LLM down")

    assert await cache.get_or_set("f", boom, cfg) == "old"
    await cache.drain()
    assert (await cache.get("f")).value == "old"
    produce = CountingProducer()
    assert await cache.get_or_set("f", produce, cfg) == "old"  # lock was released on failure
    await cache.drain()
    assert produce.calls == 1


async def test_tag_invalidation(cache) -> None:
    await cache.set("a", 1, CacheConfig(ttl=60, tags=["prompt:outliner@v3", "video:abc"]))
    await cache.set("b", 2, CacheConfig(ttl=60, tags=["prompt:outliner@v3"]))
    await cache.set("c", 3, CacheConfig(ttl=60, tags=["video:abc"]))
    await cache.set("d", 4, CacheConfig(ttl=60))
    assert await cache.invalidate_tag("prompt:outliner@v3") == 2
    assert await cache.get("a") is None and await cache.get("b") is None
    assert (await cache.get("c")).value == 3 and (await cache.get("d")).value == 4
    assert await cache.invalidate_tag("prompt:outliner@v3") == 0
    assert await cache.invalidate_tag("video:abc") == 1  # "a" already gone, counts "c" only
    await cache.delete("d")
    assert await cache.get("d") is None


@pytest.mark.redis
async def test_two_clients_share_entries_and_the_refresh_lock() -> None:
    prefix = f"test:{uuid.uuid4().hex[:12]}:cache"
    one = RedisResponseCache.from_url(REDIS_URL, prefix=prefix)
    two = RedisResponseCache.from_url(REDIS_URL, prefix=prefix)
    try:
        cfg = CacheConfig(ttl=60, stale_after=0.2, tags=["t"])
        produce = CountingProducer(delay=0.2)
        assert (await one.get_or_set("k", produce, cfg))["n"] == 1
        assert (await two.get_or_set("k", produce, cfg))["n"] == 1  # hit written by the other
        await asyncio.sleep(0.25)
        await asyncio.gather(
            *(c.get_or_set("k", produce, cfg) for c in (one, two) for _ in range(10))
        )
        await asyncio.gather(one.drain(), two.drain())
        assert produce.calls == 2  # one refresh across both "processes"
        assert await two.invalidate_tag("t") == 1
        assert await one.get("k") is None
    finally:
        await one.aclose()
        await two.aclose()
        await _cleanup(prefix)


def test_cache_key_is_stable_and_order_independent() -> None:
    a = make_cache_key("course", video="abc", prefs={"difficulty": "beginner", "duration": 30})
    b = make_cache_key("course", prefs={"duration": 30, "difficulty": "beginner"}, video="abc")
    assert a == b and a.startswith("course:")
    assert a != make_cache_key("course", video="abd", prefs={"difficulty": "beginner"})


def test_make_response_cache(tmp_path) -> None:
    s = Settings(COURSEGEN_DATA_DIR=tmp_path, REDIS_URL=None)
    assert isinstance(make_response_cache(s), MemoryResponseCache)
    cfg = CacheConfig.from_settings(s, tags=["x"])
    assert cfg.ttl == s.cache_ttl_seconds and cfg.stale_after == s.cache_stale_seconds
    r = make_response_cache(Settings(COURSEGEN_DATA_DIR=tmp_path, REDIS_URL=REDIS_URL))
    assert isinstance(r, RedisResponseCache)
