"""Fixtures for the Redis-backed pieces: this run's real Redis (testkit/services.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aredis

from testkit import services

REDIS_URL = services.REDIS_URL


async def delete_keys(prefix: str, url: str = REDIS_URL) -> None:
    """Delete every key under `prefix` on this run's Redis."""
    client = aredis.Redis.from_url(url)
    try:
        keys = [k async for k in client.scan_iter(match=f"{prefix}*", count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
def redis_url() -> str:
    return services.need_redis()


@pytest.fixture
async def key_prefix(redis_url: str) -> AsyncIterator[str]:
    """A unique key prefix per test; every key under it is deleted afterwards."""
    prefix = f"test:{uuid.uuid4().hex[:12]}"
    yield prefix
    await delete_keys(prefix, redis_url)


@pytest.fixture
async def aclient(redis_url: str) -> AsyncIterator[aredis.Redis]:
    client = aredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()
