"""The status poll's hot path: one statement per warm read, a finished course answered from
that statement alone, no ping per checkout, and the startup heap kept out of the collector."""

from __future__ import annotations

import gc

import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import event, text

from api.app import create_app
from core.config import Settings
from db import session as db_session
from testkit.client import auth_headers, signup
from testkit.services import libpq_url
from tests.conftest import create_course


def count_statements(app: FastAPI) -> list[str]:
    """Every SQL statement the app runs from now on, on its engine and its loop reader."""
    seen: list[str] = []
    engines = [app.state.engine.sync_engine]
    if app.state.loop_reader is not None:
        engines.append(app.state.loop_reader.engine)
    for engine in engines:
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: seen.append(statement))
    return seen


async def test_warm_status_poll_is_one_statement_and_counts_sections(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=4)
    h = auth_headers(token)
    first = await client.get(f"/api/courses/status/{course_id}", headers=h)
    assert first.status_code == 200, first.text
    # a course finished with no event on the bus (a cached copy, an expired stream) still
    # reports its sections: they come from the same statement as the status
    assert first.json()["status"] == "completed"
    assert first.json()["sectionsDone"] == first.json()["sectionsTotal"] == len(sections) == 4

    statements = count_statements(app)
    pings: list[object] = []
    dialect = app.state.engine.sync_engine.dialect
    real_ping = dialect.do_ping
    dialect.do_ping = lambda conn: pings.append(conn) or real_ping(conn)
    try:
        for _ in range(3):
            r = await client.get(f"/api/courses/status/{course_id}", headers=h)
            assert r.status_code == 200 and r.json() == first.json()
    finally:
        dialect.do_ping = real_ping
    assert len(statements) == 3, statements  # the session check is cached; no user row
    assert pings == []  # a connection back from use a moment ago is not pinged


async def test_status_of_another_users_course_is_still_404(client, app):
    _, owner = await signup(client)
    owner = owner["id"]
    token, _ = await signup(client)
    course_id, _ = await create_course(app, owner)
    public_id, _ = await create_course(app, owner, is_public=True)
    h = auth_headers(token)
    for _ in range(2):  # warm and cold alike
        r = await client.get(f"/api/courses/status/{course_id}", headers=h)
        assert r.status_code == 404 and r.json()["error"]["code"] == "course_not_found"
        assert (await client.get(f"/api/courses/status/{public_id}", headers=h)).status_code == 200


@pytest.mark.postgres
@pytest.mark.parametrize("app_settings", ["postgres"], indirect=True)  # no SQLite variant
async def test_an_idle_connection_killed_under_the_pool_is_replaced(client, app, monkeypatch):
    """Without pool_pre_ping, a pooled connection that a Postgres restart (here: a terminated
    backend) killed while idle is found by the idle ping and replaced, not served as a 503."""
    assert app.state.settings.resolved_database_url.startswith("postgresql")
    token, user = await signup(client)
    course_id, _ = await create_course(app, user["id"])
    h = auth_headers(token)
    assert (await client.get(f"/api/courses/status/{course_id}", headers=h)).status_code == 200
    async with app.state.engine.connect() as conn:
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    with psycopg.connect(libpq_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    monkeypatch.setattr(db_session, "IDLE_PING_SECONDS", 0.0)
    r = await client.get(f"/api/courses/status/{course_id}", headers=h)
    assert r.status_code == 200, r.text


async def test_startup_heap_is_frozen_out_of_the_collector(app_settings: Settings):
    gc.unfreeze()
    application = create_app(app_settings)
    async with application.router.lifespan_context(application):
        # ~hundreds of thousands of startup objects a full collection no longer walks
        assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
