"""A model that writes HTML into every field cannot reach a browser or an export (#29 item 7).

Every string the scripted course model returns gets a payload appended; the course is then read
as a client reads it (JSON), exported in every text format, asked through the tutor, and its
outline edited through PUT /outline with the same payload in titles and descriptions.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.messages import BaseMessage

from api.app import create_app
from testkit.captions import canned_captions
from testkit.client import auth_headers, settings_for, signup, upload_body, wait_done
from testkit.scripted import FakeChatModel
from testkit.scripted_course import course_responder

PAYLOAD = ('<img src=x onerror=alert(1)><script>alert(2)</script>&lt;svg onload=alert(3)&gt;'
           "[c](javascript:alert(4))")
# a tag a browser would build, or a script link ("&lt;svg ...&gt;" in Markdown is shown as text)
FORBIDDEN = re.compile(r"<\s*/?\s*(?:img|script|svg)|javascript:", re.IGNORECASE)
KEEP = {"type", "difficulty", "language", "id", "sectionId", "strategy", "covered"}


def _poison(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    if isinstance(value, str) and key not in KEEP:
        return value + PAYLOAD
    return value


def hostile(schema: str, messages: list[BaseMessage]) -> dict | None:
    return _poison(course_responder(schema, messages))


def _clean(text: str, where: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{where} carries {found[0]!r}: ...{text[found.start() - 80:][:200]}"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    fake = FakeChatModel(responder=hostile)
    app = create_app(settings_for("sqlite", tmp_path), chat_factory=lambda _spec: fake,
                     fetch_captions=canned_captions)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=60) as c:
        yield c


async def test_html_from_the_model_reaches_no_client_and_no_export(
        client: httpx.AsyncClient) -> None:
    token, _ = await signup(client)
    h = auth_headers(token)
    r = await client.post("/api/courses/generate", json=upload_body(), headers=h)
    assert r.status_code == 202, r.text
    course_id = r.json()["courseId"]
    done = await wait_done(client, token, course_id)
    assert done["final"]["status"] == "completed", done["final"]
    got = await client.get(f"/api/courses/{course_id}", headers=h)
    course = got.json()
    # the model's words survive; only the markup is gone
    section = course["sections"][0]
    assert section["content"]["keyPoints"] and section["supplement"]["flashcards"]
    _clean(got.text, "course JSON")
    for fmt in ("md", "json", "mermaid", "apkg"):
        export = await client.get(f"/api/courses/{course_id}/export", params={"format": fmt},
                                  headers=h)
        assert export.status_code == 200, export.text
        _clean(export.content.decode("latin-1"), f"{fmt} export")
    ask = await client.post(f"/api/courses/{course_id}/ask", headers=h,
                            json={"question": "What does the lecture say about caching?"})
    assert ask.status_code == 200, ask.text
    _clean(ask.text, "tutor answer")

    # PUT /outline: the user's own titles and descriptions go through the same place
    sections = course["outline"]["sections"]
    edited = [{**sections[0], "title": "Mine" + PAYLOAD, "summary": "About" + PAYLOAD},
              *sections[1:]]
    put = await client.put(f"/api/courses/outline/{course_id}",
                           headers={**h, "If-Match": got.headers["etag"]},
                           json={"outline": {"sections": edited,
                                             "title": "Course" + PAYLOAD,
                                             "description": "Desc" + PAYLOAD}})
    assert put.status_code == 200, put.text
    _clean(put.text, "PUT /outline answer")
    await wait_done(client, token, course_id)
    after = await client.get(f"/api/courses/{course_id}", headers=h)
    _clean(after.text, "edited course JSON")
    assert json.loads(after.text)["outline"]["sections"][0]["title"].startswith("Mine")
    md = await client.get(f"/api/courses/{course_id}/export", headers=h)
    _clean(md.text, "edited md export")
