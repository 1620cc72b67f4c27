"""A LangGraph checkpointer for plain Redis >= 6.2 (no RedisJSON / RediSearch modules).

`langgraph-checkpoint-redis` needs Redis 8 / Redis Stack (`FT.INFO`); Debian's Redis 7.0 has
neither, so this saver mirrors `InMemorySaver`'s storage model on core data types:

    {p}:{<thread>}:ns              SET   namespaces of the thread
    {p}:{<thread>}:keys            SET   every data key of the thread (TTL refresh, delete)
    {p}:{<thread>}:<nshash>:idx    ZSET  checkpoint ids, all score 0 -> lexicographic order
    {p}:{<thread>}:<nshash>:cps    HASH  checkpoint id -> (parent, checkpoint, metadata)
    {p}:{<thread>}:<nshash>:blobs  HASH  "channel\\0version" -> serialised channel value
    {p}:{<thread>}:<nshash>:w:<id> HASH  "task\\0idx" -> (task_path, channel, value)

Channel values are stored once per version (as InMemorySaver/Postgres do), so a checkpoint only
rewrites the channels that changed. The `{thread}` hash tag keeps one thread in one cluster slot.
Every operation is written once as a "plan" (a generator yielding batches of pipelined commands)
and driven by either the sync or the asyncio client, so the two APIs cannot drift apart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import redis
import redis.asyncio as aredis
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
)
from langgraph.checkpoint.memory import InMemorySaver
from redis.backoff import ExponentialBackoff
from redis.retry import Retry as SyncRetry

from infra.checkpoint_redis_plans import Plan, RedisCheckpointPlans
from infra.redis_conn import redis_client


class PlainRedisSaver(RedisCheckpointPlans, BaseCheckpointSaver[str]):
    """Checkpoint saver on core Redis types; sync and async; optional per-thread TTL."""

    def __init__(
        self,
        aclient: aredis.Redis | None,
        client: redis.Redis | None = None,
        *,
        ttl_seconds: int | None = None,
        prefix: str = "coursegen:ckpt",
        serde: SerializerProtocol | None = None,
    ) -> None:
        super().__init__(serde=serde)
        for c in (aclient, client):
            if c is not None and c.get_connection_kwargs().get("decode_responses"):
                raise ValueError("PlainRedisSaver needs clients with decode_responses=False")
        self.aclient, self.client = aclient, client
        self.ttl_seconds = ttl_seconds
        self.prefix = prefix

    @classmethod
    @asynccontextmanager
    async def from_url(
        cls, url: str, *, ttl_seconds: int | None = None, prefix: str = "coursegen:ckpt"
    ) -> AsyncIterator[PlainRedisSaver]:
        """Open async + sync clients on `url`, yield a saver, close both on exit."""
        # Retrying clients: after a Redis restart every pooled connection is dead, and a plain
        # client fails the first command on each (a retried job would then fail again).
        aclient = redis_client(url)
        client = redis.Redis.from_url(
            url, retry=SyncRetry(ExponentialBackoff(cap=1.0, base=0.05), 5),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError], health_check_interval=15)
        try:
            await aclient.ping()
            yield cls(aclient, client, ttl_seconds=ttl_seconds, prefix=prefix)
        finally:
            await aclient.aclose()
            client.close()

    # --- drivers ----------------------------------------------------------------------------
    def _run(self, plan: Plan) -> Any:
        if self.client is None:
            raise RuntimeError("PlainRedisSaver was built without a sync redis.Redis client")
        try:
            transactional, cmds = next(plan)
            while True:
                pipe = self.client.pipeline(transaction=transactional)
                for name, args in cmds:
                    getattr(pipe, name)(*args)
                transactional, cmds = plan.send(pipe.execute())
        except StopIteration as done:
            return done.value

    async def _arun(self, plan: Plan) -> Any:
        if self.aclient is None:
            raise RuntimeError("PlainRedisSaver was built without a redis.asyncio client")
        try:
            transactional, cmds = next(plan)
            while True:
                pipe = self.aclient.pipeline(transaction=transactional)
                for name, args in cmds:
                    getattr(pipe, name)(*args)
                transactional, cmds = plan.send(await pipe.execute())
        except StopIteration as done:
            return done.value

    # --- BaseCheckpointSaver API ------------------------------------------------------------
    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self._run(self._get_plan(config))

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return await self._arun(self._get_plan(config))

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        yield from self._run(self._list_plan(config, filter, before, limit))

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        for tup in await self._arun(self._list_plan(config, filter, before, limit)):
            yield tup

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self._run(self._put_plan(config, checkpoint, metadata, new_versions))

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return await self._arun(self._put_plan(config, checkpoint, metadata, new_versions))

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self._run(self._put_writes_plan(config, writes, task_id, task_path))

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await self._arun(self._put_writes_plan(config, writes, task_id, task_path))

    def delete_thread(self, thread_id: str) -> None:
        self._run(self._delete_plan(str(thread_id)))

    async def adelete_thread(self, thread_id: str) -> None:
        await self._arun(self._delete_plan(str(thread_id)))

    # string versions "<counter>.<random>", as InMemorySaver and the SQL savers use
    get_next_version = InMemorySaver.get_next_version  # type: ignore[assignment]
