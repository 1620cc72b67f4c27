"""An API wired to the scripted fake LLM and canned YouTube captions.

Fixtures: `fake` (the FakeChatModel; tests may set latency), `course_app`, `cclient`
(AsyncClient), `user` / `other` ((token, user) pairs). Helpers: `upload_body`, `wait_done`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from core.config import Settings
from testkit.captions import canned_captions
from testkit.client import signup
from testkit.scripted import FakeChatModel
from testkit.scripted_course import course_fake


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


