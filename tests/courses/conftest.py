"""An API wired to the scripted fake LLM and canned YouTube captions.

Fixtures: `fake` (the FakeChatModel; tests may set latency), `course_app`, `cclient`
(AsyncClient), `user` / `other` ((token, user) pairs). Helpers: `upload_body`, `wait_done`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings
from core.domain import Transcript
from llm.scripted import FakeChatModel
from llm.scripted_course import course_fake
from sources.transcript import parse_transcript
from sources.youtube import TranscriptError
from tests.conftest import auth_headers, signup

SAMPLE = (Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt").read_text()
VIDEO_WITHOUT_CAPTIONS = "NoCaptions1"


async def canned_captions(video_id: str, **_: Any) -> Transcript:
    if video_id == VIDEO_WITHOUT_CAPTIONS:
        raise TranscriptError("no_captions", "This video has no captions; upload a transcript "
                              "file instead.")
    return parse_transcript(SAMPLE, title=f"Video {video_id}").model_copy(
        update={"video_id": video_id, "source": "youtube"})


@pytest.fixture
def fake() -> FakeChatModel:
    return course_fake()


@pytest.fixture
async def course_app(app_settings: Settings, fake: FakeChatModel) -> AsyncIterator[FastAPI]:
    settings = app_settings.model_copy(update={"checkpointer": "sqlite"})
    app = create_app(settings, chat_factory=lambda _spec: fake, fetch_captions=canned_captions)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def cclient(course_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=course_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test",
                                 timeout=60) as c:
        yield c


@pytest.fixture
async def user(cclient: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    return await signup(cclient)


@pytest.fixture
async def other(cclient: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    return await signup(cclient)


def upload_body(duration: int = 24, **extra: Any) -> dict[str, Any]:
    return {"transcript": SAMPLE, "title": "HTTP caching",
            "preferences": {"duration": duration}, **extra}


async def wait_done(client: httpx.AsyncClient, token: str, course_id: str,
                    timeout: float = 60) -> dict[str, Any]:
    """Poll status until the job leaves `processing`; returns the statuses seen."""
    seen: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        r = await client.get(f"/api/courses/status/{course_id}", headers=auth_headers(token))
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if r.json()["status"] != "processing":
            return {"final": r.json(), "seen": seen}
        await asyncio.sleep(0.05)
    raise AssertionError(f"course {course_id} still processing: {seen[-1]}")
