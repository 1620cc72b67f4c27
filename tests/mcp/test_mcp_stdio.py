"""`coursegen mcp` over stdio, spawned as a subprocess and driven by the SDK's own client: the
local user chosen by --user (or a token), files readable only here, other users' courses
refused with REST's 404 body."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from api.app import create_app
from testkit.client import running, settings_for, signup
from tests.mcp import scenario

COURSEGEN = str(Path(sys.executable).with_name("coursegen"))
SAMPLE_PATH = Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt"


def server_env(tmp_path: Path) -> dict[str, str]:
    """The settings of testkit's SQLite apps, as the environment of the spawned server."""
    return {"COURSEGEN_DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'test.db'}",
            "COURSEGEN_MIGRATE_ON_START": "true", "CHECKPOINTER": "sqlite",
            "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "8192"}


@asynccontextmanager
async def spawned(tmp_path: Path, *args: str, env: dict[str, str] | None = None
                  ) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=COURSEGEN, args=["mcp", *args], cwd=str(tmp_path),
                                   env={**server_env(tmp_path), **(env or {})})
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def test_a_local_learner_does_it_all_over_stdio(tmp_path: Path) -> None:
    async with spawned(tmp_path, "--user", "learner@example.com") as session:
        await scenario.check_listings(session)
        course_id, _ = await scenario.create_with_progress(session, path=str(SAMPLE_PATH))
        await scenario.study(session, course_id)
    async with spawned(tmp_path, "--user", "someone-else@example.com") as session:
        await scenario.refused_as_not_found(session, course_id)
        assert (await scenario.tool(session, "list_courses"))["total"] == 0


async def test_a_token_chooses_the_user_and_is_checked_as_rest_checks_it(tmp_path: Path
                                                                         ) -> None:
    settings = settings_for("sqlite", tmp_path, CHECKPOINTER="sqlite")
    async with running(create_app(settings)) as client:
        token, user = await signup(client)
    async with spawned(tmp_path, env={"COURSEGEN_MCP_TOKEN": token}) as session:
        created = await scenario.tool(session, "create_course",
                                      transcript=SAMPLE_PATH.read_text(), follow=False)
        listed = await scenario.tool(session, "list_courses")
        assert [c["id"] for c in listed["items"]] == [created["courseId"]]
    async with running(create_app(settings)) as client:  # the course is the token's user's
        r = await client.get("/api/courses", headers={"Authorization": f"Bearer {token}"})
        assert [c["id"] for c in r.json()["items"]] == [created["courseId"]]
    async with spawned(tmp_path, "--token", token + "x") as session:
        refused = await scenario.tool_error(session, "list_courses")
        assert refused["error"]["code"] == "invalid_token", refused
