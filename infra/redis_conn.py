"""One way to open Redis clients, so every one of them rides through a Redis restart."""

from __future__ import annotations

from typing import Any

from redis import asyncio as aredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def redis_client(url: str, **kwargs: Any) -> aredis.Redis:
    """An asyncio client that retries a command on a dropped connection: after a restart the
    first command on each pooled connection would otherwise fail."""
    return aredis.Redis.from_url(
        url, retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 5),
        retry_on_error=[RedisConnectionError, RedisTimeoutError], health_check_interval=15,
        **kwargs)
