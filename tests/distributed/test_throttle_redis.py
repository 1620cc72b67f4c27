"""The Redis sign-in throttle behaves like the in-memory one, and is shared by its instances."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aredis

from api.auth.throttle_redis import RedisSigninThrottle
from testkit import services
from tests.distributed.conftest import REDIS_DB


@pytest.fixture
async def client() -> AsyncIterator[aredis.Redis]:
    services.need_redis()
    c = aredis.Redis.from_url(services.redis_db_url(REDIS_DB))
    yield c
    await c.aclose()


async def test_blocks_after_max_failures_across_instances_until_reset(client) -> None:
    prefix = f"test-signin:{uuid.uuid4().hex[:8]}"
    one, two = (RedisSigninThrottle(client, max_attempts=3, window_seconds=60, prefix=prefix)
                for _ in range(2))
    key = "a@example.com|127.0.0.1"
    assert await one.retry_after(key) is None
    await one.record_failure(key)
    await two.record_failure(key)
    assert await two.retry_after(key) is None
    await one.record_failure(key)
    wait = await two.retry_after(key)
    assert wait is not None and 1 <= wait <= 60
    assert await one.retry_after("other@example.com|127.0.0.1") is None
    for _ in range(20):  # a spray keeps the set bounded
        await two.record_failure(key)
    assert await client.zcard(one._key(key)) == 3
    assert await client.pttl(one._key(key)) > 0  # forgotten after the window
    await two.reset(key)
    assert await one.retry_after(key) is None


async def test_window_expiry_unblocks(client) -> None:
    throttle = RedisSigninThrottle(client, max_attempts=2, window_seconds=1,
                                   prefix=f"test-signin:{uuid.uuid4().hex[:8]}")
    for _ in range(2):
        await throttle.record_failure("k")
    assert await throttle.retry_after("k") == 1
    await asyncio.sleep(1.1)
    assert await throttle.retry_after("k") is None
