"""Pick the LangGraph checkpointer from settings (`CHECKPOINTER`).

sqlite (embedded default) | memory | redis (plain Redis >= 6.2, `PlainRedisSaver`) |
redis-stack (`langgraph-checkpoint-redis`, needs RedisJSON + RediSearch, e.g. Redis 8) | postgres.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langgraph.checkpoint.base import BaseCheckpointSaver

from core.config import Settings


class CheckpointerConfigError(RuntimeError):
    """The configured checkpointer cannot be opened (missing URL or package)."""


def plain_postgres_url(url: str) -> str:
    """psycopg wants `postgresql://`; settings may hold `postgres://` or `postgresql+psycopg://`."""
    return re.sub(r"^postgres(ql)?(\+[a-z0-9_]+)?://", "postgresql://", url)


@asynccontextmanager
async def open_checkpointer(settings: Settings) -> AsyncIterator[BaseCheckpointSaver]:
    """Open the configured saver for the lifetime of the context (app lifespan or a worker)."""
    kind = settings.checkpointer
    if kind == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
    elif kind == "sqlite":
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = settings.ensure_data_dir() / "checkpoints.sqlite"
        async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
            await saver.setup()
            yield saver
    elif kind == "redis":
        from infra.checkpoint_redis import PlainRedisSaver

        url = _require(settings.redis_url, "REDIS_URL", kind)
        async with PlainRedisSaver.from_url(
            url, ttl_seconds=settings.checkpoint_ttl_seconds or None
        ) as saver:
            yield saver
    elif kind == "redis-stack":
        url = _require(settings.redis_url, "REDIS_URL", kind)
        try:  # optional: pulls redisvl and needs Redis modules, so it is not a base dependency
            from langgraph.checkpoint.redis.aio import AsyncRedisSaver
        except ImportError as exc:
            raise CheckpointerConfigError(
                "CHECKPOINTER=redis-stack needs the optional package: "
                "pip install langgraph-checkpoint-redis (and Redis 8 or Redis Stack); "
                "use CHECKPOINTER=redis for plain Redis"
            ) from exc
        # its TTL is in minutes
        ttl = {
            "default_ttl": max(1, settings.checkpoint_ttl_seconds // 60),
            "refresh_on_read": True,
        }
        async with AsyncRedisSaver.from_conn_string(url, ttl=ttl) as saver:
            await saver.asetup()
            yield saver
    elif kind == "postgres":
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        url = plain_postgres_url(_require(settings.database_url, "DATABASE_URL", kind))
        async with AsyncPostgresSaver.from_conn_string(url) as saver:
            await saver.setup()
            yield saver
    else:  # pragma: no cover - Settings validates the literal
        raise CheckpointerConfigError(f"unknown CHECKPOINTER {kind!r}")


def _require(value: str | None, env: str, kind: str) -> str:
    if not value:
        raise CheckpointerConfigError(f"CHECKPOINTER={kind} needs {env} to be set")
    return value
