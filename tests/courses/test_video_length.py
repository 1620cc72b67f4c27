"""The tier's video length limit applies to YouTube URLs too: checked as soon as the transcript
is fetched, before any LLM call (the sample lecture lasts 11.5 minutes)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings
from testkit.captions import canned_captions
from testkit.client import auth_headers, upload_body, wait_done
from testkit.scripted import FakeChatModel


@pytest.fixture
async def course_app(app_settings: Settings, fake: FakeChatModel) -> AsyncIterator[FastAPI]:
    settings = app_settings.model_copy(update={"checkpointer": "sqlite",
                                               "free_max_video_minutes": 10})
    app = create_app(settings, chat_factory=lambda _spec: fake, fetch_captions=canned_captions)
    async with app.router.lifespan_context(app):
        yield app


async def test_long_youtube_video_fails_with_the_limit_before_any_llm_call(cclient, user, fake):
    token, _ = user
    r = await cclient.post("/api/courses/generate", headers=auth_headers(token),
                           json={"url": "https://youtu.be/dQw4w9WgXcQ"})
    assert r.status_code == 202, r.text
    final = (await wait_done(cclient, token, r.json()["courseId"]))["final"]
    assert final["status"] == "failed", final
    assert final["error"]["code"] == "video_too_long"
    assert "10 minutes" in final["error"]["message"]
    assert fake.calls == []


async def test_long_upload_is_refused_at_once(cclient, user, fake):
    token, _ = user
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    assert r.status_code == 402 and r.json()["error"]["code"] == "video_too_long", r.text
