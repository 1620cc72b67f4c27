"""What a client sees after a retry or an outline edit: the stream of the current attempt, an
ETag that stays valid through the background regeneration, accumulated usage, the user's title,
a null ETA while unknown; and an edit interrupted by a restart resumes as an edit."""

from __future__ import annotations

import json

import pytest

import pipeline.tracking
from api.app import create_app
from testkit.captions import canned_captions
from testkit.client import auth_headers, upload_body, wait_done
from tests.courses.test_changes import make_course
from tests.courses.test_generate import sse_events


async def edit_one_title(cclient, token, course, tag):
    sections = course["outline"]["sections"]
    renamed = {**sections[1], "title": "Revalidation in depth"}
    return await cclient.put(f"/api/courses/outline/{course['id']}",
                             headers={**auth_headers(token), "If-Match": tag},
                             json={"outline": {"sections": [sections[0], renamed, sections[2]]}})


async def test_after_an_edit_stream_etag_usage_and_title(cclient, user, fake):
    token, _ = user
    r = await cclient.post("/api/courses/generate", headers=auth_headers(token),
                           json=upload_body(title="My own title"))
    course_id = r.json()["courseId"]
    await wait_done(cclient, token, course_id)
    got = await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))
    course, tag = got.json(), got.headers["etag"]
    assert course["title"] == "My own title"
    calls_before = course["generation"]["usage"]["totals"]["calls"]

    r = await edit_one_title(cclient, token, course, tag)
    assert r.status_code == 200, r.text
    tag = r.headers["etag"]
    await wait_done(cclient, token, course_id)

    # the stream without Last-Event-ID shows the edit's attempt, not the first generation
    stream = await cclient.get(f"/api/courses/{course_id}/events", headers=auth_headers(token))
    events = sse_events(stream.text)
    assert events[0]["event"] == "started" and "rewriting" in json.loads(events[0]["data"])[
        "message"]
    assert events[-1]["event"] == "completed"

    after = (await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))).json()
    assert after["generation"]["usage"]["totals"]["calls"] > calls_before
    assert after["title"] == "My own title"
    # the ETag the PUT returned is still good for the next edit
    again = await cclient.put(f"/api/courses/outline/{course_id}",
                              headers={**auth_headers(token), "If-Match": tag},
                              json={"outline": {"description": "Edited again"}})
    assert again.status_code == 200, again.text


async def test_unknown_eta_is_null_not_zero(cclient, user, fake, monkeypatch):
    monkeypatch.setattr(pipeline.tracking, "_HISTORY", {})  # a fresh process: nothing measured
    token, _ = user
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    stream = await cclient.get(f"/api/courses/{r.json()['courseId']}/events",
                               headers=auth_headers(token))
    events = sse_events(stream.text)
    first_section = next(i for i, e in enumerate(events) if e["event"] == "section")
    # nothing timed yet until the first section is written: unknown, not "0 seconds left"
    etas = [json.loads(e["data"])["eta"] for e in events[:first_section]]
    assert len(etas) >= 3 and etas == [None] * len(etas)
    assert json.loads(events[first_section]["data"])["eta"] is not None


@pytest.mark.parametrize("app_settings", ["sqlite"], indirect=True)
async def test_edit_interrupted_by_a_restart_resumes_as_an_edit(course_app, cclient, user, fake,
                                                                app_settings):
    token, _ = user
    course, tag = await make_course(cclient, token, fake)
    analyses, lessons = fake.count("Analysis"), fake.count("LessonDraft")
    fake.latency_per_call = 0.5
    r = await edit_one_title(cclient, token, course, tag)
    assert r.status_code == 200, r.text
    # the process stops mid-edit with no grace left: the job is gone, the row says processing
    await course_app.state.jobs.aclose(grace=0)
    status = await cclient.get(f"/api/courses/status/{course['id']}", headers=auth_headers(token))
    assert status.json()["status"] == "processing"
    fake.latency_per_call = 0.0
    settings = course_app.state.settings.model_copy(update={"resume_jobs_on_start": True})
    restarted = create_app(settings, chat_factory=lambda _spec: fake,
                           fetch_captions=canned_captions)
    async with restarted.router.lifespan_context(restarted):
        await restarted.state.jobs.wait_idle()
    final = await wait_done(cclient, token, course["id"])
    assert final["final"]["status"] == "completed"
    assert fake.count("Analysis") == analyses  # not regenerated from scratch
    assert fake.count("LessonDraft", ok_only=True) - lessons <= 1
    after = (await cclient.get(f"/api/courses/{course['id']}", headers=auth_headers(token))
             ).json()
    assert after["sections"][1]["title"] == "Revalidation in depth"
