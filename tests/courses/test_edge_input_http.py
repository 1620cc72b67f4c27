"""Hostile input through HTTP (issue #29 items 5, 6): cue order and times, YouTube URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from testkit.captions import canned_captions
from testkit.client import SAMPLE, auth_headers, settings_for, signup, wait_done

ID = "dQw4w9WgXcQ"


def _reversed_sample() -> str:
    """The sample lecture's cues, last first (numbering kept as it was)."""
    blocks = [b for b in SAMPLE.strip().split("\n\n") if b.strip()]
    return "\n\n".join(reversed(blocks)) + "\n"


@pytest.fixture
async def extractive(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The embedded default: no model configured, every agent on its extractive strategy."""
    settings = settings_for("sqlite", tmp_path, OPENAI_API_KEY=None, COURSEGEN_MODELS=None)
    app = create_app(settings, fetch_captions=canned_captions)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=60) as c:
        yield c


async def test_descending_cues_make_a_course(extractive: httpx.AsyncClient) -> None:
    token, _ = await signup(extractive)
    r = await extractive.post("/api/courses/generate", headers=auth_headers(token),
                              json={"transcript": _reversed_sample(), "title": "Backwards"})
    assert r.status_code == 202, r.text
    done = await wait_done(extractive, token, r.json()["courseId"], timeout=120)
    assert done["final"]["status"] == "completed", done["final"]
    course = (await extractive.get(f"/api/courses/{r.json()['courseId']}",
                                   headers=auth_headers(token))).json()
    starts = [s["outline"]["startSeconds"] for s in course["sections"]]
    assert len(starts) >= 2 and starts == sorted(starts)


@pytest.mark.parametrize("timing,why", [("-00:00:01,000 --> 00:00:02,000", "negative"),
                                        ("99:99:99,000 --> 99:99:99,500", "impossible")])
async def test_unusable_times_are_a_422(extractive: httpx.AsyncClient, timing: str,
                                        why: str) -> None:
    token, _ = await signup(extractive)
    # long enough to teach from (the 200-character minimum), so only the times are at fault
    fine = "".join(f"{i + 1}\n00:00:{4 * i:02d},000 --> 00:00:{4 * i + 4:02d},000\n"
                   f"A fine cue about caches and their headers, number {i}.\n\n" for i in range(6))
    text = f"{fine}7\n{timing}\nBad.\n\n"
    r = await extractive.post("/api/courses/generate", headers=auth_headers(token),
                              json={"transcript": text})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_transcript" and why in r.json()["error"]["message"]


@pytest.mark.parametrize("url", [
    f"https://www.youtube.com/watch?v={ID}&x=)[x](javascript:alert(1))",
    f'https://www.youtube.com/watch?v={ID}&x="><script>alert(1)</script>',
    f"youtu.be/{ID}?t=42",
])
async def test_the_url_is_stored_and_exported_canonically(extractive: httpx.AsyncClient,
                                                          url: str) -> None:
    token, _ = await signup(extractive)
    h = auth_headers(token)
    r = await extractive.post("/api/courses/generate", headers=h, json={"url": url})
    assert r.status_code == 202, r.text
    course_id = r.json()["courseId"]
    await wait_done(extractive, token, course_id, timeout=120)
    course = (await extractive.get(f"/api/courses/{course_id}", headers=h)).json()
    assert course["youtubeUrl"] == f"https://www.youtube.com/watch?v={ID}"
    md = (await extractive.get(f"/api/courses/{course_id}/export", headers=h)).text
    assert "javascript:" not in md and "<script" not in md


@pytest.mark.parametrize("url", [f"https://169.254.169.254\\@youtube.com/watch?v={ID}",
                                 f"http://169.254.169.254/embed/{ID}",
                                 f"https://u@www.youtube.com/shorts/{ID}"])
async def test_url_tricks_are_a_422(extractive: httpx.AsyncClient, url: str) -> None:
    token, _ = await signup(extractive)
    r = await extractive.post("/api/courses/generate", headers=auth_headers(token),
                              json={"url": url})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_url"
