"""The status poll's coalesced read (db/repo/course_state.py): concurrent polls share a query,
yet every poll sees what was written before it arrived, only what its user may read, and one
failing or abandoned poll takes no other poll down with it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from db.models import Course
from db.repo.course_state import CourseStateReader
from testkit.client import auth_headers, signup
from tests.api.test_hot_paths import count_statements
from tests.conftest import create_course


async def set_status(app: FastAPI, course_id: str, status: str) -> None:
    async with app.state.sessionmaker() as session:
        await session.execute(update(Course).where(Course.id == uuid.UUID(course_id))
                              .values(status=status))
        await session.commit()


async def test_concurrent_polls_share_queries_through_the_route(client, app):
    token, user = await signup(client)
    ids = [(await create_course(app, user["id"], sections=2))[0] for _ in range(3)]
    h = auth_headers(token)
    await client.get(f"/api/courses/status/{ids[0]}", headers=h)  # session check cached
    statements = count_statements(app)
    polls = [client.get(f"/api/courses/status/{ids[i % 3]}", headers=h) for i in range(30)]
    answers = await asyncio.gather(*polls)
    assert all(r.status_code == 200 and r.json()["sectionsTotal"] == 2 for r in answers)
    assert 1 <= len(statements) <= 30  # never more than one round trip per poll
    if app.state.loop_reader is None:  # network database: polls in flight together share
        assert len(statements) < 10, statements


async def test_a_batch_answers_each_user_only_what_they_may_read(client, app):
    _, owner = await signup(client)
    _, stranger = await signup(client)
    private, _ = await create_course(app, owner["id"])
    public, _ = await create_course(app, owner["id"], is_public=True)
    reader = CourseStateReader(app.state.engine)  # no loop reader: the coalescing path
    owner_id, stranger_id = uuid.UUID(owner["id"]), uuid.UUID(stranger["id"])
    asks = [(owner_id, private), (stranger_id, private), (stranger_id, public),
            (owner_id, public), (owner_id, str(uuid.uuid4()))]
    states = await asyncio.gather(*(reader.read(user_id=u, course_id=uuid.UUID(c))
                                    for u, c in asks))
    assert [s is not None for s in states] == [True, False, True, True, False]
    assert reader.queries == 1  # all five in one statement, filtered per caller
    assert states[0] is not None and states[0].status == "completed"


async def test_a_poll_never_takes_the_answer_of_a_query_older_than_itself(client, app,
                                                                          monkeypatch):
    """A query already sent may have read the old status: a poll arriving while it runs
    waits for the next one. Otherwise a client that retried a course and then polled could
    be told `completed` after its retry had been accepted."""
    _, user = await signup(client)
    course_id, _ = await create_course(app, user["id"])
    reader = CourseStateReader(app.state.engine)
    real_query = reader._query
    answered_old = asyncio.Event()
    release = asyncio.Event()

    async def slow_query(ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
        rows = await real_query(ids)  # the read is done: it saw whatever was committed
        if not answered_old.is_set():
            answered_old.set()
            await release.wait()  # ...and is held before answering
        return rows

    monkeypatch.setattr(reader, "_query", slow_query)
    owner, cid = uuid.UUID(user["id"]), uuid.UUID(course_id)
    first = asyncio.create_task(reader.read(user_id=owner, course_id=cid))
    await answered_old.wait()
    await set_status(app, course_id, "processing")  # a retry commits meanwhile
    second = asyncio.create_task(reader.read(user_id=owner, course_id=cid))
    await asyncio.sleep(0.05)
    release.set()
    old, new = await first, await second
    assert old is not None and old.status == "completed"
    assert new is not None and new.status == "processing"
    assert reader.queries == 2


async def test_a_failed_query_fails_its_batch_only(client, app, monkeypatch):
    _, user = await signup(client)
    course_id, _ = await create_course(app, user["id"])
    reader = CourseStateReader(app.state.engine)
    real_query = reader._query

    async def broken(ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
        raise ConnectionError("database went away")

    monkeypatch.setattr(reader, "_query", broken)
    owner, cid = uuid.UUID(user["id"]), uuid.UUID(course_id)
    results = await asyncio.gather(*(reader.read(user_id=owner, course_id=cid)
                                     for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    monkeypatch.setattr(reader, "_query", real_query)
    state = await asyncio.wait_for(reader.read(user_id=owner, course_id=cid), 5)
    assert state is not None and state.status == "completed"


async def test_an_abandoned_poll_does_not_cancel_the_others(client, app):
    _, user = await signup(client)
    course_id, _ = await create_course(app, user["id"])
    reader = CourseStateReader(app.state.engine)
    owner, cid = uuid.UUID(user["id"]), uuid.UUID(course_id)
    gone = asyncio.create_task(reader.read(user_id=owner, course_id=cid))
    stays = asyncio.create_task(reader.read(user_id=owner, course_id=cid))
    await asyncio.sleep(0)  # both waiting on the same answer
    gone.cancel()  # its client disconnected
    state = await asyncio.wait_for(stays, 5)
    assert state is not None and state.status == "completed"
    with pytest.raises(asyncio.CancelledError):
        await gone


async def test_status_change_shows_on_the_next_poll(client, app):
    token, user = await signup(client)
    course_id, _ = await create_course(app, user["id"])
    h = auth_headers(token)
    url = f"/api/courses/status/{course_id}"
    assert (await client.get(url, headers=h)).json()["status"] == "completed"
    await set_status(app, course_id, "processing")  # completed -> processing (a retry)
    assert (await client.get(url, headers=h)).json()["status"] == "processing"
    await set_status(app, course_id, "failed")
    assert (await client.get(url, headers=h)).json()["status"] == "failed"
