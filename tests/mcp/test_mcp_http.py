"""The MCP server at /mcp over streamable HTTP, with the SDK's own client against a live API
(uvicorn in a thread, the embedded extractive defaults): the same bearer tokens, scoping,
errors and limits as REST."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import httpx
import httpx2
import pytest
import uvicorn
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from api.app import create_app
from core.config import Settings
from testkit.client import SAMPLE, auth_headers
from tests.mcp import scenario


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live(app_settings: Settings) -> Iterator[str]:
    """The API served on a free port; yields its base URL."""
    port = _free_port()
    settings = app_settings.model_copy(update={"checkpointer": "sqlite",
                                               "free_tutor_questions_per_hour": 4})
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


async def signup(base: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        r = await http.post("/api/auth/signup", json={
            "email": f"mcp-{time.monotonic_ns()}@example.com", "password": "correct horse "
            "battery", "name": "MCP"})
        assert r.status_code == 201, r.text
        return str(r.json()["token"])


@asynccontextmanager
async def mcp_session(base: str, token: str | None) -> AsyncIterator[ClientSession]:
    headers = auth_headers(token) if token else {}
    async with httpx2.AsyncClient(headers=headers, timeout=60) as http, \
            streamable_http_client(f"{base}/mcp", http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def test_a_learner_does_it_all_over_http_and_others_get_rest_404(live: str) -> None:
    token, intruder = await signup(live), await signup(live)
    async with mcp_session(live, token) as session:
        await scenario.check_listings(session)
        course_id, _ = await scenario.create_with_progress(session, transcript=SAMPLE)
        await scenario.study(session, course_id)
    async with mcp_session(live, intruder) as session:
        await scenario.refused_as_not_found(session, course_id)
    async with httpx.AsyncClient(base_url=live) as http:  # what REST answers the intruder
        rest = await http.get(f"/api/courses/{course_id}", headers=auth_headers(intruder))
    assert rest.status_code == 404 and rest.json() == scenario.NOT_FOUND


async def test_no_token_no_mcp_and_a_bad_token_is_refused_as_rest_refuses_it(live: str) -> None:
    async with httpx.AsyncClient(base_url=live) as http:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "t", "version": "0"}}}
        accept = {"Accept": "application/json, text/event-stream"}
        bare = await http.post("/mcp", json=init, headers=accept)
        forged = await http.post("/mcp", json=init, headers={**accept,
                                                             **auth_headers("not.a.token")})
        rest = await http.get("/api/courses", headers=auth_headers("not.a.token"))
    assert bare.status_code == 401 and bare.json()["error"]["code"] == "missing_token"
    assert bare.headers["www-authenticate"].startswith("Bearer")
    assert forged.status_code == rest.status_code == 401
    assert forged.json() == rest.json()


async def test_http_takes_no_file_path_only_youtube_urls_and_rest_sizes(live: str,
                                                                       tmp_path: Path) -> None:
    secret = tmp_path / "lecture.srt"
    secret.write_text(SAMPLE)
    token = await signup(live)
    async with mcp_session(live, token) as session:
        refused = await scenario.tool_error(session, "create_course", path=str(secret))
        assert refused["error"]["code"] == "path_not_allowed"
        bad_url = await scenario.tool_error(session, "create_course",
                                            url="https://evil.example.com/watch?v=abc")
        assert bad_url["error"]["code"] == "invalid_url"
        too_long = await scenario.tool_error(session, "create_course",
                                             transcript=SAMPLE + "x" * 2_000_000)
        assert too_long["error"]["code"] == "transcript_too_large"  # REST's limit, as REST says
        listed = await scenario.tool(session, "list_courses")
        assert listed["total"] == 0  # none made a course


async def test_tutor_questions_count_against_the_same_hourly_limit(live: str) -> None:
    token = await signup(live)
    async with mcp_session(live, token) as session:
        created = await scenario.tool(session, "create_course", transcript=SAMPLE)
        course_id = created["courseId"]
        for _ in range(4):  # free_tutor_questions_per_hour = 4 in this app
            await scenario.tool(session, "ask_course", course_id=course_id,
                                question="What does max-age do?")
        limited = await scenario.tool_error(session, "ask_course", course_id=course_id,
                                            question="What does no-store do?")
    assert limited["error"]["code"] == "rate_limited"
    async with httpx.AsyncClient(base_url=live) as http:  # REST shares the same window
        r = await http.post(f"/api/courses/{course_id}/ask", headers=auth_headers(token),
                            json={"question": "What is an ETag?"})
    assert r.status_code == 429


async def test_cancelling_create_course_cancels_the_generation(live: str) -> None:
    token = await signup(live)
    async with mcp_session(live, token) as session:
        first = anyio.Event()
        ids: list[str] = []

        async def on_progress(progress: float, total: float | None, message: str | None
                              ) -> None:
            ids.append((message or "").split()[1].rstrip(":"))
            first.set()

        async with anyio.create_task_group() as tg:
            async def call() -> None:
                await session.call_tool("create_course", {"transcript": SAMPLE},
                                        progress_callback=on_progress)

            tg.start_soon(call)
            await first.wait()  # the course exists and its job is queued or running
            tg.cancel_scope.cancel()
        course_id = ids[0]
        deadline = time.monotonic() + 30
        while True:
            status = await scenario.tool(session, "get_course_status", course_id=course_id)
            if status["status"] != "processing" or time.monotonic() > deadline:
                break
            await anyio.sleep(0.1)
    assert status["status"] == "cancelled", status
