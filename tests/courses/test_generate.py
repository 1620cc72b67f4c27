"""Generate → stream → get → export, through HTTP on the fake LLM."""

from __future__ import annotations

import json

import pytest

from testkit.captions import VIDEO_WITHOUT_CAPTIONS
from testkit.client import SAMPLE, auth_headers, upload_body, wait_done


def sse_events(text: str) -> list[dict]:
    events, current = [], {}
    for line in text.splitlines():
        if not line.strip():
            if current.get("data"):
                events.append(current)
            current = {}
        elif not line.startswith(":") and ":" in line:
            key, value = line.split(":", 1)
            current[key] = value.strip()
    if current.get("data"):
        events.append(current)
    return events


async def test_generate_stream_get_export(cclient, user, fake):
    token, _ = user
    fake.latency_per_call = 0.02
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "processing"
    course_id = r.json()["courseId"]

    stream = await cclient.get(f"/api/courses/{course_id}/events", headers=auth_headers(token))
    assert stream.status_code == 200
    assert stream.headers["x-accel-buffering"] == "no"
    assert stream.headers["cache-control"] == "no-cache"
    events = sse_events(stream.text)
    assert events[-1]["event"] == "completed"
    ids = [e["id"] for e in events if "id" in e]
    assert len(ids) == len(set(ids))
    progress = [json.loads(e["data"])["progress"] for e in events]
    assert progress == sorted(progress)

    status = (await cclient.get(f"/api/courses/status/{course_id}",
                                headers=auth_headers(token))).json()
    assert status == {**status, "status": "completed", "progress": 1.0}

    course = (await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))).json()
    assert course["status"] == "completed" and len(course["sections"]) == 3
    assert course["outline"]["sections"][0]["id"] == course["sections"][0]["id"]
    assert course["generation"]["promptVersions"]["writer"].startswith("writer/")
    assert course["generation"]["usage"]["totals"]["calls"] >= 5  # analysis, outline, 3 sections
    for section in course["sections"]:
        assert section["content"]["markdown"] and section["supplement"]["quiz"]["questions"]

    md = await cclient.get(f"/api/courses/{course_id}/export?format=md",
                           headers=auth_headers(token))
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith(f"# {course['title']}") and "## Answer key" in md.text
    js = await cclient.get(f"/api/courses/{course_id}/export?format=json",
                           headers=auth_headers(token))
    assert js.json()["outline"]["title"] == course["title"]

    listing = (await cclient.get("/api/courses", headers=auth_headers(token))).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == course_id

    # progress API sees the generated sections
    first = course["sections"][0]["id"]
    p = await cclient.post(f"/api/user/progress/{course_id}", headers=auth_headers(token),
                           json={"sectionId": first, "completed": True})
    assert p.status_code == 200 and p.json()["updatedProgress"] == pytest.approx(1 / 3)
    assert p.json()["nextSection"] == course["sections"][1]["id"]


async def test_status_progress_is_monotonic_with_eta(cclient, user, fake):
    token, _ = user
    fake.latency_per_call = 0.05
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    result = await wait_done(cclient, token, r.json()["courseId"])
    values = [s["progress"] for s in result["seen"]]
    assert values == sorted(values) and result["final"]["progress"] == 1.0
    assert any(s["eta"] is not None and s["eta"] > 0 for s in result["seen"][:-1])
    steps = {s["currentStep"] for s in result["seen"]}
    assert len(steps) >= 3


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?t=42",
    "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
    "https://youtube.com/shorts/dQw4w9WgXcQ",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?start=3",
    "https://www.youtube.com/live/dQw4w9WgXcQ?si=abc",
])
async def test_every_youtube_url_form_is_accepted(cclient, user, url):
    token, _ = user
    r = await cclient.post("/api/courses/generate", json={"url": url},
                           headers=auth_headers(token))
    assert r.status_code == 202, r.text
    done = await wait_done(cclient, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed"
    course = (await cclient.get(f"/api/courses/{r.json()['courseId']}",
                                headers=auth_headers(token))).json()
    assert course["generation"]["videoId"] == "dQw4w9WgXcQ"


@pytest.mark.parametrize("url", ["https://vimeo.com/12345", "not a url",
                                 "https://www.youtube.com/watch?v=short",
                                 "https://www.youtube.com/channel/UC123", "javascript:alert(1)"])
async def test_bad_urls_are_rejected(cclient, user, url):
    token, _ = user
    r = await cclient.post("/api/courses/generate", json={"url": url},
                           headers=auth_headers(token))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_url"


async def test_video_without_captions_fails_with_actionable_error(cclient, user):
    token, _ = user
    r = await cclient.post("/api/courses/generate",
                           json={"url": f"https://youtu.be/{VIDEO_WITHOUT_CAPTIONS}"},
                           headers=auth_headers(token))
    done = await wait_done(cclient, token, r.json()["courseId"])
    assert done["final"]["status"] == "failed"
    assert done["final"]["error"]["code"] == "no_captions"
    assert "upload a transcript" in done["final"]["error"]["message"]


async def test_bad_bodies(cclient, user, course_app):
    token, _ = user
    h = auth_headers(token)
    assert (await cclient.post("/api/courses/generate", json={}, headers=h)).json()["error"][
        "code"] == "missing_source"
    r = await cclient.post("/api/courses/generate", json={"transcript": "   "}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_transcript"
    huge = "word " * (course_app.state.settings.max_transcript_chars // 5 + 10)
    r = await cclient.post("/api/courses/generate", json={"transcript": huge}, headers=h)
    assert r.status_code == 413
    r = await cclient.post("/api/courses/generate", content=b"{nope", headers={
        **h, "content-type": "application/json"})
    assert r.status_code == 422
    assert (await cclient.post("/api/courses/generate", json={"url": "x"})).status_code == 401


async def test_multipart_upload(cclient, user):
    token, _ = user
    r = await cclient.post("/api/courses/generate", headers=auth_headers(token),
                           files={"file": ("lecture.srt", SAMPLE.encode(), "application/x-subrip")},
                           data={"title": "Uploaded", "preferences": json.dumps({"duration": 16})})
    assert r.status_code == 202, r.text
    done = await wait_done(cclient, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed"


async def test_identical_request_is_served_from_cache_without_llm_calls(cclient, user, other,
                                                                        fake):
    token, _ = user
    first = await cclient.post("/api/courses/generate", json=upload_body(),
                               headers=auth_headers(token))
    await wait_done(cclient, token, first.json()["courseId"])
    calls = len(fake.calls)
    for who in (token, other[0]):  # same user again, then another user
        again = await cclient.post("/api/courses/generate", json=upload_body(),
                                   headers=auth_headers(who))
        assert again.status_code == 200
        assert again.json()["status"] == "completed" and again.json()["outline"]["sections"]
        assert again.json()["courseId"] != first.json()["courseId"]
        got = (await cclient.get(f"/api/courses/{again.json()['courseId']}",
                                 headers=auth_headers(who))).json()
        assert len(got["sections"]) == 3 and got["sections"][0]["content"]
    assert len(fake.calls) == calls
    different = await cclient.post("/api/courses/generate", json=upload_body(duration=16),
                                   headers=auth_headers(token))
    assert different.status_code == 202


async def test_idempotency_key_returns_the_same_course(cclient, user, fake):
    token, _ = user
    h = {**auth_headers(token), "Idempotency-Key": "abc-123"}
    a = await cclient.post("/api/courses/generate", json=upload_body(), headers=h)
    b = await cclient.post("/api/courses/generate", json=upload_body(), headers=h)
    assert a.json()["courseId"] == b.json()["courseId"]
    await wait_done(cclient, token, a.json()["courseId"])
    assert fake.count("CourseOutline") == 1
    listing = (await cclient.get("/api/courses", headers=auth_headers(token))).json()
    assert listing["total"] == 1


async def test_concurrent_generation_limit(cclient, user, fake):
    token, _ = user
    fake.latency_per_call = 0.3
    h = auth_headers(token)
    started = [await cclient.post("/api/courses/generate", json=upload_body(duration=8 + i),
                                  headers=h) for i in range(2)]
    assert all(r.status_code == 202 for r in started)
    third = await cclient.post("/api/courses/generate", json=upload_body(duration=30), headers=h)
    assert third.status_code == 429 and int(third.headers["retry-after"]) > 0
    assert third.json()["error"]["code"] == "too_many_concurrent_jobs"
    for r in started:
        await cclient.post(f"/api/courses/{r.json()['courseId']}/cancel", headers=h)
