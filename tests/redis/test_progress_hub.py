"""The progress fan-out: many listeners in one process share one bus subscription."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aredis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.sse import StatusBatcher, progress_stream
from db import migrate
from db.models import Course
from db.session import make_engine, make_sessionmaker
from infra.progress_bus import MemoryProgressBus, ProgressBus, ProgressEvent, RedisProgressBus
from infra.progress_hub import hub_for
from testkit import services

LISTENERS = 200


@pytest.fixture(params=["memory", "redis"])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[ProgressBus]:
    if request.param == "memory":
        yield MemoryProgressBus()
        return
    b = RedisProgressBus(aredis.Redis.from_url(services.need_redis()),
                         prefix=f"test:{uuid.uuid4().hex}")
    yield b
    await b.aclose()


def step(course_id: str, n: int) -> ProgressEvent:
    return ProgressEvent(course_id=course_id, type="step", step=f"s{n}", progress=n / 10)


async def no_status() -> str | None:
    return "processing"


async def collect(bus: ProgressBus, course_id: str, after: str | None, out: list[str]) -> None:
    async for frame in progress_stream(bus, course_id, after, course_status=no_status,
                                       block_ms=10_000):
        if isinstance(frame, bytes):  # the wire frame: "id: …\r\nevent: …\r\ndata: …"
            fields = dict(line.split(": ", 1) for line in frame.decode().split("\r\n") if line)
            frame = {"event": fields["event"], "id": fields.get("id")}
        out.append(frame["event"] + ":" + str(frame.get("id")))


async def test_every_listener_gets_every_event_once_in_order(bus: ProgressBus) -> None:
    course = str(uuid.uuid4())
    first = await bus.publish(step(course, 0))  # before anyone listens: replayed
    results: list[list[str]] = [[] for _ in range(LISTENERS)]
    tasks = [asyncio.create_task(collect(bus, course, None, r)) for r in results]
    late: list[str] = []  # resumes after the first event (Last-Event-ID)
    tasks.append(asyncio.create_task(collect(bus, course, first, late)))
    hub = hub_for(bus)
    while hub.listeners < LISTENERS + 1:
        await asyncio.sleep(0.01)
    ids = [first]
    for n in range(1, 4):
        ids.append(await bus.publish(step(course, n)))
    ids.append(await bus.publish(ProgressEvent(course_id=course, type="completed")))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    expected = [f"step:{i}" for i in ids[:-1]] + [f"completed:{ids[-1]}"]
    assert all(r == expected for r in results), results[0]
    assert late == expected[1:]
    assert hub.listeners == 0  # closed streams leave nothing behind


async def test_redis_listeners_share_one_reader(monkeypatch: pytest.MonkeyPatch,
                                               redis_url: str) -> None:
    bus = RedisProgressBus(aredis.Redis.from_url(redis_url), prefix=f"test:{uuid.uuid4().hex}")
    plain_reads = 0
    original_read = bus.read

    async def counting_read(*args: object, **kwargs: object) -> list[ProgressEvent]:
        nonlocal plain_reads
        plain_reads += 1
        assert not kwargs.get("block_ms"), "a listener blocked on the bus by itself"
        return await original_read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bus, "read", counting_read)
    courses = [str(uuid.uuid4()) for _ in range(5)]
    tasks = [asyncio.create_task(collect(bus, courses[i % 5], None, []))
             for i in range(LISTENERS)]
    hub = hub_for(bus)
    while hub.listeners < LISTENERS:
        await asyncio.sleep(0.01)
    for course in courses:
        await bus.publish(ProgressEvent(course_id=course, type="completed"))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    # per listener: the current-attempt lookup and the replay, never a blocking read (that is
    # asserted in counting_read); the live events came through the hub's one reader
    assert plain_reads == 2 * LISTENERS
    await bus.aclose()


async def test_idle_streams_share_status_queries(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")
    await migrate.upgrade(engine)
    factory: async_sessionmaker[AsyncSession] = make_sessionmaker(engine)
    ids = [uuid.uuid4() for _ in range(LISTENERS)]
    async with factory() as session:
        session.add_all(Course(id=i, title="t", status="processing" if n % 2 else "failed")
                        for n, i in enumerate(ids))
        await session.commit()
    batcher = StatusBatcher(factory)
    statuses = await asyncio.gather(*(batcher.status(i) for i in ids),
                                    batcher.status(uuid.uuid4()))
    assert statuses[:4] == ["failed", "processing", "failed", "processing"]
    assert statuses[-1] == "failed"  # a deleted course ends its stream
    assert batcher.queries == 1
    await engine.dispose()


async def test_a_status_asked_during_a_flush_is_answered(tmp_path: Path) -> None:
    """A stream that asks while the previous batch's query runs joins the next batch; it used
    to wait forever (no flush was scheduled for it), and its listener never read again."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'g.db'}")
    await migrate.upgrade(engine)
    factory: async_sessionmaker[AsyncSession] = make_sessionmaker(engine)
    first, second = uuid.uuid4(), uuid.uuid4()
    async with factory() as session:
        session.add_all([Course(id=first, title="t", status="processing"),
                         Course(id=second, title="t", status="completed")])
        await session.commit()
    started, gate = asyncio.Event(), asyncio.Event()

    @contextlib.asynccontextmanager
    async def gated() -> AsyncIterator[AsyncSession]:
        async with factory() as session:
            real = session.execute

            async def execute(*args: Any, **kwargs: Any) -> Any:
                started.set()
                await gate.wait()  # the batch's query is in flight until the test says so
                return await real(*args, **kwargs)

            session.execute = execute  # type: ignore[method-assign]
            yield session

    batcher = StatusBatcher(gated)  # type: ignore[arg-type]
    one = asyncio.create_task(batcher.status(first))
    await started.wait()
    two = asyncio.create_task(batcher.status(second))
    await asyncio.sleep(0.1)
    gate.set()
    assert await asyncio.wait_for(asyncio.gather(one, two), timeout=5) == [
        "processing", "completed"]
    await engine.dispose()
