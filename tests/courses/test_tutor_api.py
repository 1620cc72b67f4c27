"""POST /api/courses/{id}/ask (SSE) and GET /conversation, on the embedded extractive default."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from api.app import create_app
from core.config import Settings
from db.models import User
from testkit.client import auth_headers, signup, upload_body, wait_done
from tests.conftest import create_course
from tests.courses.test_generate import sse_events


@pytest.fixture
def tutor_settings(app_settings: Settings) -> Settings:
    return app_settings.model_copy(update={"free_tutor_questions_per_hour": 3,
                                           "checkpointer": "sqlite"})


@pytest.fixture
async def tapp(tutor_settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(tutor_settings)  # no chat factory: the extractive registry
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def tclient(tapp: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tapp),
                                 base_url="http://test", timeout=60) as c:
        yield c


async def generated(client: httpx.AsyncClient, token: str) -> str:
    r = await client.post("/api/courses/generate", json=upload_body(),
                          headers=auth_headers(token))
    assert r.status_code == 202, r.text
    done = await wait_done(client, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed", done["final"]
    return str(r.json()["courseId"])


async def ask(client, token, course_id, question) -> httpx.Response:
    return await client.post(f"/api/courses/{course_id}/ask", json={"question": question},
                             headers=auth_headers(token))


async def test_ask_streams_chunks_then_the_answer_with_source_refs(tclient, tutor_settings):
    token, _ = await signup(tclient)
    course_id = await generated(tclient, token)
    r = await ask(tclient, token, course_id, "What does max-age do?")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    assert [e["event"] for e in events][-1] == "answer"
    chunks = [json.loads(e["data"])["text"] for e in events if e["event"] == "chunk"]
    answer = json.loads(events[-1]["data"])
    assert len(chunks) > 1 and "".join(chunks) == answer["answer"]
    assert answer["covered"] is True and "max-age" in answer["answer"]
    assert re.search(r"\[\d\d:\d\d\]", answer["answer"])
    assert answer["sourceRefs"] and {"startSeconds", "endSeconds", "label", "quote"} <= set(
        answer["sourceRefs"][0])

    r = await ask(tclient, token, course_id, "How do I bake sourdough bread?")
    declined = json.loads(sse_events(r.text)[-1]["data"])
    assert declined["covered"] is False and declined["sourceRefs"] == []

    conv = await tclient.get(f"/api/courses/{course_id}/conversation",
                             headers=auth_headers(token))
    assert conv.status_code == 200, conv.text
    turns = conv.json()["turns"]
    assert [t["role"] for t in turns] == ["user", "tutor", "user", "tutor"]
    assert turns[1]["content"] == answer["answer"] and turns[1]["sourceRefs"]
    assert turns[3]["covered"] is False

    # the conversation is checkpointed: a new process (same data dir) still has it
    again = create_app(tutor_settings)
    async with again.router.lifespan_context(again):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=again),
                                     base_url="http://test") as c2:
            conv2 = await c2.get(f"/api/courses/{course_id}/conversation",
                                 headers=auth_headers(token))
    assert conv2.json()["turns"] == turns


async def test_other_users_courses_are_404_and_bad_questions_422(tclient, tapp):
    token, _ = await signup(tclient)
    intruder, _ = await signup(tclient)
    course_id = await generated(tclient, token)
    conv = await tclient.get(f"/api/courses/{course_id}/conversation",
                             headers=auth_headers(intruder))
    assert conv.status_code == 404
    r = await ask(tclient, intruder, course_id, "What does max-age do?")
    assert r.status_code == 404 and r.json()["error"]["code"] == "course_not_found"
    assert (await ask(tclient, token, str(uuid.uuid4()), "x?")).status_code == 404
    assert (await tclient.post(f"/api/courses/{course_id}/ask",
                               json={"question": "hi"})).status_code == 401
    for body in ({}, {"question": ""}, {"question": "   "}, {"question": "x" * 1001},
                 {"question": 5}):
        r = await tclient.post(f"/api/courses/{course_id}/ask", json=body,
                               headers=auth_headers(token))
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["code"] == "validation_error"
    # no conversation yet is an empty list, not an error
    conv = await tclient.get(f"/api/courses/{course_id}/conversation",
                             headers=auth_headers(token))
    assert conv.json()["turns"] == []


async def test_course_without_transcript_is_409(tclient, tapp):
    token, user = await signup(tclient)
    bare, _ = await create_course(tapp, user["id"])
    r = await ask(tclient, token, bare, "What is this about?")
    assert r.status_code == 409 and r.json()["error"]["code"] == "course_not_ready"


async def test_questions_are_rate_limited_per_tier(tclient, tapp):
    token, user = await signup(tclient)
    course_id = await generated(tclient, token)
    for _ in range(3):  # FREE_TUTOR_QUESTIONS_PER_HOUR=3 in this app
        assert (await ask(tclient, token, course_id, "What is an ETag?")).status_code == 200
    r = await ask(tclient, token, course_id, "What is an ETag?")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) > 0
    async with tapp.state.sessionmaker() as session:
        await session.execute(update(User).where(User.id == uuid.UUID(user["id"]))
                              .values(subscription_tier="pro", subscription_status="active"))
        await session.commit()
    assert (await ask(tclient, token, course_id, "What is an ETag?")).status_code == 200
