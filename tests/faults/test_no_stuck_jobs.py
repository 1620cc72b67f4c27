"""No job stays `processing`: a provider that refuses every lesson call (HTTP 500) fails the
course with a stable code and an actionable sentence; `retry` resumes it from its checkpoint."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings
from testkit.captions import canned_captions
from testkit.client import auth_headers, upload_body, wait_done
from testkit.scripted import FakeChatModel
from tests.courses.test_generate import sse_events

SECTIONS = 3


@pytest.fixture
async def course_app(app_settings: Settings, fake: FakeChatModel) -> AsyncIterator[FastAPI]:
    # one retry per call keeps a refused call's backoff short; the behaviour is the same
    settings = app_settings.model_copy(update={"checkpointer": "sqlite", "llm_max_retries": 1})
    app = create_app(settings, chat_factory=lambda _spec: fake, fetch_captions=canned_captions)
    async with app.router.lifespan_context(app):
        yield app


def assert_user_message(message: str) -> None:
    """One sentence a user can act on: no library internals, no cut-off URLs."""
    assert message and len(message) < 300, message
    for internal in ("pydantic", "http", "Traceback", "validation error", "LessonDraft", "node '"):
        assert internal not in message, message


async def test_every_lesson_refused_fails_the_course_then_retry_completes(cclient, user, fake):
    token, _ = user
    fake.refuse = {"LessonDraft": "500"}
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    assert r.status_code == 202, r.text
    course_id = r.json()["courseId"]

    final = (await wait_done(cclient, token, course_id, timeout=60))["final"]
    assert final["status"] == "failed", final
    assert final["error"]["code"] == "llm_unavailable"
    assert "retry" in final["error"]["message"].lower()
    assert_user_message(final["error"]["message"])
    assert final["eta"] is None

    stream = await cclient.get(f"/api/courses/{course_id}/events", headers=auth_headers(token))
    last = sse_events(stream.text)[-1]
    assert last["event"] == "failed"
    assert json.loads(last["data"])["data"]["code"] == "llm_unavailable"

    # the provider is back: retry resumes after the outline (nothing before it runs again)
    fake.refuse = {}
    r = await cclient.post(f"/api/courses/{course_id}/retry", headers=auth_headers(token))
    assert r.status_code == 202, r.text
    final = (await wait_done(cclient, token, course_id))["final"]
    assert final["status"] == "completed", final
    course = (await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))).json()
    assert len(course["sections"]) == SECTIONS
    assert all(s["content"]["markdown"].strip() for s in course["sections"])
    assert fake.count("Analysis") == 1 and fake.count("CourseOutline") == 1
    assert fake.count("LessonDraft", ok_only=True) == SECTIONS


async def test_every_call_refused_fails_with_a_clear_message(cclient, user, fake):
    token, _ = user
    fake.refuse = {name: "500" for name in ("Analysis", "CourseOutline", "LessonDraft",
                                            "SupplementDraft")}
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    final = (await wait_done(cclient, token, r.json()["courseId"], timeout=60))["final"]
    assert final["status"] == "failed", final
    assert final["error"]["code"] == "llm_unavailable"
    assert_user_message(final["error"]["message"])
