"""PlainRedisSaver against langgraph-checkpoint-conformance, with AsyncSqliteSaver as control."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import redis
import redis.asyncio as aredis
from langgraph.checkpoint.conformance import checkpointer_test, validate
from langgraph.checkpoint.conformance.report import ProgressCallbacks
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from infra.checkpoint_redis import PlainRedisSaver


def _assert_full(report) -> None:
    report.print_report()
    failures = {k: r.failures for k, r in report.results.items() if r.failures}
    assert report.passed_all_base(), failures
    assert report.conformance_level() == "FULL", failures


async def test_conformance_plain_redis(redis_url: str, key_prefix: str) -> None:
    @checkpointer_test(name="PlainRedisSaver")
    async def factory():
        # a fresh prefix per capability suite, all under the test's prefix (cleaned up after)
        async with PlainRedisSaver.from_url(
            redis_url, ttl_seconds=600, prefix=f"{key_prefix}:{uuid.uuid4().hex[:6]}"
        ) as saver:
            yield saver

    report = await validate(factory, progress=ProgressCallbacks.verbose())
    _assert_full(report)
    detected = {k for k, r in report.results.items() if r.detected}
    assert {"put", "put_writes", "get_tuple", "list", "delete_thread"} <= detected


async def test_conformance_sqlite_control(tmp_path: Path) -> None:
    @checkpointer_test(name="AsyncSqliteSaver")
    async def factory():
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / f"{uuid.uuid4()}.db")) as s:
            yield s

    _assert_full(await validate(factory, progress=ProgressCallbacks.verbose()))


def test_rejects_decoding_clients(redis_url: str) -> None:
    with pytest.raises(ValueError, match="decode_responses"):
        PlainRedisSaver(aredis.Redis.from_url(redis_url, decode_responses=True))
    with pytest.raises(ValueError, match="decode_responses"):
        PlainRedisSaver(None, redis.Redis.from_url(redis_url, decode_responses=True))
