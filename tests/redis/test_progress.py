"""One suite for both progress buses, plus cross-client replay on Redis."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
import redis.asyncio as aredis

from core.config import Settings
from infra.progress_bus import (
    MemoryProgressBus,
    ProgressEvent,
    RedisProgressBus,
    make_progress_bus,
    parse_id,
)
from testkit import services

from .conftest import REDIS_URL


@pytest.fixture(params=["memory", "redis"])
async def bus(request):
    maxlen = 50
    if request.param == "memory":
        yield MemoryProgressBus(maxlen=maxlen)
        return
    services.need_redis()
    prefix = f"test:{uuid.uuid4().hex[:12]}:progress"
    b = RedisProgressBus(aredis.Redis.from_url(REDIS_URL), maxlen=maxlen, prefix=prefix)
    yield b
    keys = [k async for k in b.client.scan_iter(match=f"{prefix}*")]
    if keys:
        await b.client.delete(*keys)
    await b.aclose()


def ev(course: str, i: int, type_: str = "step") -> ProgressEvent:
    return ProgressEvent(course_id=course, type=type_, step=f"n{i}", progress=min(1, i / 100))


async def test_ordering_and_ids(bus) -> None:
    ids = [await bus.publish(ev("c1", i)) for i in range(20)]
    assert [parse_id(i) for i in ids] == sorted(parse_id(i) for i in ids)
    assert len(set(ids)) == 20
    got = await bus.read("c1")
    assert [e.step for e in got] == [f"n{i}" for i in range(20)]
    assert [e.id for e in got] == ids
    assert await bus.read("other") == []


async def test_replay_after_id_and_count(bus) -> None:
    ids = [await bus.publish(ev("c2", i)) for i in range(10)]
    after = await bus.read("c2", ids[3])
    assert [e.id for e in after] == ids[4:]
    assert [e.id for e in await bus.read("c2", ids[3], count=2)] == ids[4:6]
    assert await bus.read("c2", ids[-1]) == []


async def test_blocking_read_wakes_on_publish(bus) -> None:
    first = await bus.publish(ev("c3", 0))

    async def later() -> str:
        await asyncio.sleep(0.15)
        return await bus.publish(ev("c3", 1, "completed"))

    started = time.monotonic()
    task = asyncio.create_task(later())
    got = await bus.read("c3", first, block_ms=3000)
    waited = time.monotonic() - started
    assert [e.type for e in got] == ["completed"] and got[0].id == await task
    assert 0.1 < waited < 2.0  # woke on the publish, not at the timeout


async def test_blocking_read_times_out_empty(bus) -> None:
    last = await bus.publish(ev("c4", 0))
    started = time.monotonic()
    assert await bus.read("c4", last, block_ms=200) == []
    assert 0.15 < time.monotonic() - started < 1.5


async def test_last_and_delete(bus) -> None:
    assert await bus.last("c5") is None
    await bus.publish(ev("c5", 1))
    last_id = await bus.publish(ev("c5", 2, "failed"))
    last = await bus.last("c5")
    assert last is not None and last.id == last_id and last.type == "failed" and last.terminal
    await bus.delete("c5")
    assert await bus.last("c5") is None and await bus.read("c5") == []


async def test_maxlen_trims_oldest(bus) -> None:
    total = 400
    ids = [await bus.publish(ev("c6", i)) for i in range(total)]
    kept = await bus.read("c6", count=10_000)
    # Redis trims approximately (whole stream nodes), the memory bus exactly
    assert bus.maxlen <= len(kept) < total
    assert [e.id for e in kept] == ids[-len(kept) :]
    # replay from an id that was trimmed away still returns what is left, in order
    assert [e.id for e in await bus.read("c6", ids[0], count=10_000)] == ids[-len(kept) :]


async def test_roundtrip_preserves_fields(bus) -> None:
    e = ProgressEvent(
        course_id="c7",
        type="section",
        step="write_section",
        progress=0.5,
        sections_done=3,
        sections_total=6,
        eta=12.5,
        message="Section 3 written",
        data={"sectionId": "s3"},
    )
    eid = await bus.publish(e)
    (got,) = await bus.read("c7")
    assert got == e.model_copy(update={"id": eid})


def test_to_sse_is_camel_case() -> None:
    e = ProgressEvent(id="1-0", course_id="c", type="step", sections_done=2, ts=1.0)
    sse = e.to_sse()
    assert sse["id"] == "1-0" and sse["event"] == "step"
    data = json.loads(sse["data"])
    assert data["courseId"] == "c" and data["sectionsDone"] == 2 and "course_id" not in data


@pytest.mark.redis
async def test_replay_across_two_bus_instances() -> None:
    """An SSE client reconnecting to another API process replays from its Last-Event-ID."""
    prefix = f"test:{uuid.uuid4().hex[:12]}:progress"
    a = RedisProgressBus(aredis.Redis.from_url(REDIS_URL), prefix=prefix)
    b = RedisProgressBus(aredis.Redis.from_url(REDIS_URL), prefix=prefix)
    try:
        ids = [await a.publish(ev("x", i)) for i in range(5)]
        seen = await b.read("x", count=2)  # client read two events from process B, then dropped
        waiter = asyncio.create_task(b.read("x", ids[-1], block_ms=3000))
        await asyncio.sleep(0.05)
        done_id = await a.publish(ev("x", 99, "completed"))
        assert [e.id for e in await waiter] == [done_id]
        replay = await a.read("x", seen[-1].id)  # reconnects to process A
        assert [e.id for e in replay] == ids[2:] + [done_id]
    finally:
        await a.delete("x")
        await a.aclose()
        await b.aclose()


def test_make_progress_bus(tmp_path) -> None:
    memory = make_progress_bus(Settings(COURSEGEN_DATA_DIR=tmp_path, REDIS_URL=None))
    assert isinstance(memory, MemoryProgressBus)
    on_redis = make_progress_bus(
        Settings(COURSEGEN_DATA_DIR=tmp_path, REDIS_URL=REDIS_URL, PROGRESS_STREAM_MAXLEN=77)
    )
    assert isinstance(on_redis, RedisProgressBus) and on_redis.maxlen == 77
