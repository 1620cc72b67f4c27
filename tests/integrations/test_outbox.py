"""Outbox + dispatcher against a local recording receiver (SQLite and real Postgres)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, verify
from db.models import OutboxEvent
from db.outbox import enqueue_event
from infra.outbox_dispatcher import OutboxDispatcher

from .receiver import RecordingReceiver

SECRET = "n8n-test-secret-0123456789"
SM = async_sessionmaker[AsyncSession]


def _settings(url: str, secret: str = SECRET) -> Settings:
    return Settings(N8N_WEBHOOK_URL=url, N8N_WEBHOOK_SECRET=secret)


def _dispatcher(sm: SM, url: str, secret: str = SECRET, **kw: float) -> OutboxDispatcher:
    kw.setdefault("timeout_seconds", 2.0)
    return OutboxDispatcher(sm, _settings(url, secret), **kw)  # type: ignore[arg-type]


async def _enqueue(sm: SM, *types: str) -> list[uuid.UUID]:
    async with sm() as session, session.begin():
        events = [
            await enqueue_event(session, event_type=t, payload={"userId": uuid.uuid4(), "n": i})
            for i, t in enumerate(types)
        ]
    return [e.id for e in events]


async def _rows(sm: SM) -> dict[uuid.UUID, OutboxEvent]:
    async with sm() as session:
        return {e.id: e for e in (await session.scalars(select(OutboxEvent))).all()}


async def _make_due(sm: SM) -> None:
    async with sm() as session, session.begin():
        await session.execute(
            update(OutboxEvent).values(next_attempt_at=datetime(2000, 1, 1, tzinfo=UTC))
        )


async def test_delivered_signed_and_never_twice(sessionmaker: SM, receiver: RecordingReceiver):
    ids = await _enqueue(sessionmaker, "user.signed_up", "course.completed")
    dispatcher = _dispatcher(sessionmaker, receiver.url)
    try:
        assert await dispatcher.run_once() == 2
        assert await dispatcher.run_once() == 0
        await _make_due(sessionmaker)  # even when "due" again, delivered rows are not resent
        assert await dispatcher.run_once() == 0
    finally:
        await dispatcher.aclose()
    assert len(receiver.requests) == 2
    for req, event_id in zip(receiver.requests, ids, strict=True):
        verify(req.body, req.headers[SIGNATURE_HEADER], SECRET, tolerance=300)
        assert req.headers[EVENT_ID_HEADER] == str(event_id) == req.json["id"]
        assert req.headers["Content-Type"] == "application/json"
        assert set(req.json) == {"id", "type", "createdAt", "payload"}
        assert req.json["createdAt"].endswith("Z")
    assert [r.json["type"] for r in receiver.requests] == ["user.signed_up", "course.completed"]
    rows = await _rows(sessionmaker)
    assert all(r.delivered_at is not None and r.attempts == 0 for r in rows.values())


async def test_rolled_back_change_emits_nothing(sessionmaker: SM, receiver: RecordingReceiver):
    async with sessionmaker() as session:
        async with session.begin():
            await enqueue_event(session, event_type="course.failed", payload={"x": 1})
            await session.rollback()
    assert await _rows(sessionmaker) == {}
    with pytest.raises(ValueError, match="unknown event type"):
        async with sessionmaker() as session:
            await enqueue_event(session, event_type="course.deleted", payload={})


async def test_receiver_down_then_back(sessionmaker: SM, receiver: RecordingReceiver) -> None:
    [event_id] = await _enqueue(sessionmaker, "user.signed_up")
    receiver.stop()
    dispatcher = _dispatcher(sessionmaker, receiver.url, base_backoff_seconds=0.2)
    try:
        assert await dispatcher.run_once() == 0
        row = (await _rows(sessionmaker))[event_id]
        assert row.delivered_at is None and row.attempts == 1
        assert row.last_error and "Connect" in row.last_error
        receiver.start()  # same port
        await asyncio.sleep(0.3)
        assert await dispatcher.run_once() == 1
    finally:
        await dispatcher.aclose()
    assert [r.headers[EVENT_ID_HEADER] for r in receiver.requests] == [str(event_id)]
    assert (await _rows(sessionmaker))[event_id].delivered_at is not None


async def test_500_is_retried_with_exponential_backoff(
    sessionmaker: SM, receiver: RecordingReceiver
) -> None:
    [event_id] = await _enqueue(sessionmaker, "subscription.changed")
    receiver.fail_next = 2
    dispatcher = _dispatcher(sessionmaker, receiver.url, base_backoff_seconds=0.3)
    delays = []
    try:
        for attempt in (1, 2):
            before = datetime.now(UTC)
            assert await dispatcher.run_once() == 0
            after = datetime.now(UTC)
            row = (await _rows(sessionmaker))[event_id]
            assert row.attempts == attempt and row.last_error.startswith("HTTP 500")
            due = row.next_attempt_at.replace(tzinfo=row.next_attempt_at.tzinfo or UTC)
            # The backoff was added at some instant between `before` and `after`.
            delays.append(((due - after).total_seconds(), (due - before).total_seconds()))
            # Not due yet: a run right away sends nothing.
            assert await dispatcher.run_once() == 0
            assert len(receiver.requests) == attempt
            await asyncio.sleep(delays[-1][1] + 0.05)
        assert await dispatcher.run_once() == 1
    finally:
        await dispatcher.aclose()
    # 0.3 s then 0.6 s, each +-10% jitter.
    assert delays[0][0] <= 0.33 and delays[0][1] >= 0.27
    assert delays[1][0] <= 0.66 and delays[1][1] >= 0.54
    assert len(receiver.requests) == 3 and receiver.processed_ids == [str(event_id)]


async def test_bad_signature_rejected_by_verifying_receiver(
    sessionmaker: SM, receiver: RecordingReceiver
) -> None:
    receiver.verify_secret = SECRET
    [event_id] = await _enqueue(sessionmaker, "course.completed")
    wrong = _dispatcher(sessionmaker, receiver.url, secret="not-the-shared-secret")
    right = _dispatcher(sessionmaker, receiver.url)
    try:
        assert await wrong.run_once() == 0
        row = (await _rows(sessionmaker))[event_id]
        assert row.delivered_at is None and row.last_error.startswith("HTTP 401")
        assert receiver.processed_ids == []
        await _make_due(sessionmaker)
        assert await right.run_once() == 1
    finally:
        await wrong.aclose()
        await right.aclose()
    assert receiver.processed_ids == [str(event_id)]


async def test_crash_after_ack_resends_same_id_and_receiver_dedupes(
    sessionmaker: SM, receiver: RecordingReceiver
) -> None:
    [event_id] = await _enqueue(sessionmaker, "user.signed_up")
    dispatcher = _dispatcher(sessionmaker, receiver.url)
    try:
        assert await dispatcher.run_once() == 1
        # Simulate the one unavoidable window: the 2xx arrived but delivered_at never committed.
        async with sessionmaker() as session, session.begin():
            await session.execute(
                update(OutboxEvent).values(
                    delivered_at=None, next_attempt_at=datetime(2000, 1, 1, tzinfo=UTC)
                )
            )
        assert await dispatcher.run_once() == 1
    finally:
        await dispatcher.aclose()
    sent_ids = [r.headers[EVENT_ID_HEADER] for r in receiver.requests]
    assert sent_ids == [str(event_id)] * 2
    assert receiver.processed_ids == [str(event_id)]


async def test_concurrent_dispatchers_send_each_event_once(
    sessionmaker: SM, receiver: RecordingReceiver
) -> None:
    ids = await _enqueue(sessionmaker, *["course.completed"] * 30)
    dispatchers = [_dispatcher(sessionmaker, receiver.url, batch_size=7) for _ in range(3)]
    try:
        total = 0
        for _ in range(10):
            counts = await asyncio.gather(*(d.run_once() for d in dispatchers))
            total += sum(counts)
            if total == len(ids):
                break
    finally:
        for d in dispatchers:
            await d.aclose()
    sent = [r.headers[EVENT_ID_HEADER] for r in receiver.requests]
    assert sorted(sent) == sorted(str(i) for i in ids)  # each exactly once


async def test_unconfigured_keeps_events(sessionmaker: SM) -> None:
    await _enqueue(sessionmaker, "user.signed_up")
    dispatcher = OutboxDispatcher(sessionmaker, Settings(N8N_WEBHOOK_URL=None))
    assert await dispatcher.run_once() == 0
    [row] = (await _rows(sessionmaker)).values()
    assert row.delivered_at is None and row.attempts == 0


async def test_run_forever_delivers_and_stops(sessionmaker: SM, receiver: RecordingReceiver):
    stop = asyncio.Event()
    dispatcher = OutboxDispatcher(
        sessionmaker,
        Settings(N8N_WEBHOOK_URL=receiver.url, N8N_WEBHOOK_SECRET=SECRET, OUTBOX_POLL_SECONDS=0.05),
    )
    task = asyncio.create_task(dispatcher.run_forever(stop))
    await _enqueue(sessionmaker, "course.failed")
    for _ in range(100):
        if receiver.processed_ids:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert len(receiver.processed_ids) == 1
