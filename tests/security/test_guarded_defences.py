"""Defences that no test guarded (issue #29 item 7, item 8): each test fails without its defence.

Guarded elsewhere: the YouTube host allow-list (tests/sources/test_edge_input.py, every path
form on a foreign host), the validator's Markdown cleaning (now the `Markdown` field type of
core/domain.py, tests/security/test_html_in_every_field.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from db.models import AuthSession
from db.repo.courses import content_rows
from sources.transcript import parse_transcript
from testkit.client import auth_headers, signup
from tests.conftest import create_course


def test_caption_tags_are_stripped_at_parse_time() -> None:
    """sources/transcript.py clean_text: what the segments (and every model prompt) carry."""
    t = parse_transcript("1\n00:00:00,000 --> 00:00:04,000\n<script>alert(1)</script>Hello "
                         '<font color="red">world</font> <img src=x onerror=alert(2)>\n\n')
    assert t.segments[0].text == "Hello world"


async def test_section_rows_of_a_private_course_are_the_owners_only(app: FastAPI,
                                                                    client: httpx.AsyncClient
                                                                    ) -> None:
    """db/repo/courses.py content_rows: its own owner filter, not only the routes' check."""
    _, alice = await signup(client)
    _, bob = await signup(client)
    course_id, _ = await create_course(app, alice["id"], sections=2)
    async with app.state.sessionmaker() as session:
        own = await content_rows(session=session, user_id=uuid.UUID(alice["id"]),
                                 course_id=uuid.UUID(course_id))
        other = await content_rows(session=session, user_id=uuid.UUID(bob["id"]),
                                   course_id=uuid.UUID(course_id))
    assert len(own) == 3 and other == []


async def test_an_expired_session_row_refuses_its_token(app: FastAPI,
                                                       client: httpx.AsyncClient) -> None:
    """api/auth/local.py verify: the row's expiry counts even while the JWT's has not come."""
    app.state.session_cache.ttl = 0  # every request reads the session row
    token, user = await signup(client)
    assert (await client.get("/api/courses", headers=auth_headers(token))).status_code == 200
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(AuthSession).where(
            AuthSession.user_id == uuid.UUID(user["id"])).values(
            expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    r = await client.get("/api/courses", headers=auth_headers(token))
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired", r.text


async def test_the_session_cache_binds_a_session_to_its_user(app: FastAPI,
                                                            client: httpx.AsyncClient) -> None:
    """A token for user B that carries user A's live session id (made with the signing secret)
    is not let through on A's cached verdict."""
    token_a, _ = await signup(client)
    _, bob = await signup(client)
    assert (await client.get("/api/courses", headers=auth_headers(token_a))).status_code == 200
    principal = await app.state.auth.decode_principal(token_a)
    assert app.state.session_cache.live(principal.session_id, principal.user_id)  # cached
    now = datetime.now(UTC)
    forged = app.state.auth.issue_token(user_id=uuid.UUID(bob["id"]), email=bob["email"],
                                        session_id=principal.session_id, issued_at=now,
                                        expires_at=now + timedelta(minutes=5))
    r = await client.get("/api/courses", headers=auth_headers(forged))
    assert r.status_code == 401, r.text


@pytest.mark.parametrize("payload", [
    "<script>var a = 1; document.write('x');</script>",
    "<html><head><style>body{color:red}</style></head><body><script>alert(1)</script></body>",
])
async def test_a_transcript_with_no_teachable_text_is_a_422(client: httpx.AsyncClient,
                                                            payload: str) -> None:
    token, _ = await signup(client)
    srt = "".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},900\n{payload}\n\n" for i in range(1, 6))
    for text in (srt, payload * 5):
        r = await client.post("/api/courses/generate", headers=auth_headers(token),
                              json={"transcript": text})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "no_teachable_text", r.text
