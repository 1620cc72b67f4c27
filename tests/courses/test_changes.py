"""Outline edits with impact validation, cancel, retry, SSE replay and ownership."""

from __future__ import annotations

import asyncio
import json

from testkit.client import auth_headers, upload_body, wait_done
from tests.courses.test_generate import sse_events


async def make_course(cclient, token, fake, duration=24):
    r = await cclient.post("/api/courses/generate", json=upload_body(duration),
                           headers=auth_headers(token))
    assert r.status_code == 202, r.text
    done = await wait_done(cclient, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed", done["final"]
    got = await cclient.get(f"/api/courses/{r.json()['courseId']}", headers=auth_headers(token))
    return got.json(), got.headers["etag"]


async def test_renaming_one_section_regenerates_only_that_section(cclient, user, fake):
    token, _ = user
    course, tag = await make_course(cclient, token, fake)
    before = {s["id"]: s for s in course["sections"]}
    lessons, quizzes = fake.count("LessonDraft"), fake.count("SupplementDraft")
    sections = course["outline"]["sections"]
    renamed = {**sections[1], "title": "Revalidation in depth"}
    r = await cclient.put(f"/api/courses/outline/{course['id']}",
                          headers={**auth_headers(token), "If-Match": tag},
                          json={"outline": {"sections": [sections[0], renamed, sections[2]]}})
    assert r.status_code == 200, r.text
    issues = r.json()["validationIssues"]
    assert [(i["sectionId"], i["kind"]) for i in issues if i["kind"] == "renamed"] == [
        (renamed["id"], "renamed")]
    assert r.json()["course"]["status"] == "processing"
    # followed at once, as a client does after the PUT: the edit's attempt, not the first run's
    stream = await cclient.get(f"/api/courses/{course['id']}/events", headers=auth_headers(token))
    done = await wait_done(cclient, token, course["id"])
    assert done["final"]["status"] == "completed"
    assert fake.count("LessonDraft") - lessons == 1
    assert fake.count("SupplementDraft") - quizzes == 0  # the quiz comes with the lesson
    after = (await cclient.get(f"/api/courses/{course['id']}",
                               headers=auth_headers(token))).json()
    assert [s["id"] for s in after["sections"]] == [s["id"] for s in course["sections"]]
    assert after["sections"][1]["title"] == "Revalidation in depth"
    assert after["sections"][1]["content"]["markdown"].startswith("## Revalidation in depth")
    for i in (0, 2):  # untouched sections kept their lessons
        assert after["sections"][i]["content"] == before[after["sections"][i]["id"]]["content"]
    assert after["version"] > course["version"]
    # the edit's progress stream names that section, and only it
    events = [json.loads(e["data"]) for e in sse_events(stream.text)]
    assert {e["courseId"] for e in events} == {course["id"]}
    written = [(e["data"]["sectionId"], e["data"]["kind"])
               for e in events if e["type"] == "section"]
    assert written == [(renamed["id"], "write"), (renamed["id"], "supplement")]


async def test_invalid_outline_is_rejected_and_course_unchanged(cclient, user, fake):
    token, _ = user
    course, _ = await make_course(cclient, token, fake)
    bad_bodies = [
        {"outline": {"sections": []}},
        {"outline": {"title": ""}},
        {"outline": {"sections": [{"title": "x", "startSeconds": 50, "endSeconds": 10}]}},
        {"outline": {"difficulty": "expert"}},
        {"outline": "not an object"},
    ]
    for body in bad_bodies:
        r = await cclient.put(f"/api/courses/outline/{course['id']}", json=body,
                              headers=auth_headers(token))
        assert r.status_code == 422, (body, r.text)
    after = (await cclient.get(f"/api/courses/{course['id']}",
                               headers=auth_headers(token))).json()
    assert after == course


async def test_stale_if_match_is_a_conflict(cclient, user, fake):
    token, _ = user
    course, tag = await make_course(cclient, token, fake)
    h = {**auth_headers(token), "If-Match": tag}
    ok = await cclient.put(f"/api/courses/outline/{course['id']}", headers=h,
                           json={"outline": {"description": "New words"}})
    assert ok.status_code == 200
    stale = await cclient.put(f"/api/courses/outline/{course['id']}", headers=h,
                              json={"outline": {"description": "Other words"}})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "version_conflict"


async def test_cancel_then_retry_resumes_from_checkpoint(cclient, user, fake):
    token, _ = user
    h = auth_headers(token)
    fake.latency_per_call = 0.25
    r = await cclient.post("/api/courses/generate", json=upload_body(), headers=h)
    course_id = r.json()["courseId"]
    while fake.count("LessonDraft") == 0:  # wait until the outline exists
        await asyncio.sleep(0.05)
    c = await cclient.post(f"/api/courses/{course_id}/cancel", headers=h)
    assert c.status_code == 200 and c.json()["status"] == "cancelled"
    status = (await cclient.get(f"/api/courses/status/{course_id}", headers=h)).json()
    assert status["status"] == "cancelled"
    assert (await cclient.post(f"/api/courses/{course_id}/cancel", headers=h)).status_code == 409
    fake.latency_per_call = 0.0
    retry = await cclient.post(f"/api/courses/{course_id}/retry", headers=h)
    assert retry.status_code == 202
    done = await wait_done(cclient, token, course_id)
    assert done["final"]["status"] == "completed"
    assert fake.count("Analysis") == 1 and fake.count("CourseOutline") == 1
    assert (await cclient.post(f"/api/courses/{course_id}/retry", headers=h)).status_code == 409


async def test_sse_replay_after_disconnect(cclient, user, fake):
    token, _ = user
    h = auth_headers(token)
    r = await cclient.post("/api/courses/generate", json=upload_body(), headers=h)
    course_id = r.json()["courseId"]
    full = sse_events((await cclient.get(f"/api/courses/{course_id}/events", headers=h)).text)
    assert full[-1]["event"] == "completed" and len(full) > 6
    cut = full[4]["id"]
    rest = sse_events((await cclient.get(f"/api/courses/{course_id}/events",
                                         headers={**h, "Last-Event-ID": cut})).text)
    assert [e["id"] for e in rest] == [e["id"] for e in full[5:]]


async def test_another_users_course_is_not_found_on_every_route(cclient, user, other, fake):
    token, _ = user
    course, _ = await make_course(cclient, token, fake)
    cid, section = course["id"], course["sections"][0]["id"]
    intruder = auth_headers(other[0])
    calls = [
        ("GET", f"/api/courses/{cid}", None), ("GET", f"/api/courses/status/{cid}", None),
        ("GET", f"/api/courses/{cid}/events", None), ("GET", f"/api/courses/{cid}/export", None),
        ("POST", f"/api/courses/{cid}/cancel", None), ("POST", f"/api/courses/{cid}/retry", None),
        ("PUT", f"/api/courses/outline/{cid}", {"outline": {"title": "Mine now"}}),
        ("POST", f"/api/user/progress/{cid}", {"sectionId": section, "completed": True}),
    ]
    for method, url, body in calls:
        r = await cclient.request(method, url, json=body, headers=intruder)
        assert r.status_code == 404, (method, url, r.text)
        assert r.json()["error"]["code"] == "course_not_found"
    listing = (await cclient.get("/api/courses", headers=intruder)).json()
    assert listing["total"] == 0
    progress = (await cclient.get("/api/user/progress", headers=intruder)).json()
    assert progress["courses"] == []


async def test_script_and_sql_payloads_are_stored_inert(cclient, fake):
    payload = "<script>alert(1)</script>'); DROP TABLE courses; --"
    r = await cclient.post("/api/auth/signup", json={"email": "inert@example.com",
                                                      "password": "long enough pw",
                                                      "name": payload})
    assert r.status_code == 201 and r.json()["user"]["name"] == payload
    token = r.json()["token"]
    body = upload_body()
    body["transcript"] = body["transcript"].replace("Hello everyone", payload, 1)
    r = await cclient.post("/api/courses/generate", json=body, headers=auth_headers(token))
    assert r.status_code == 202
    done = await wait_done(cclient, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed"
    got = await cclient.get(f"/api/courses/{r.json()['courseId']}", headers=auth_headers(token))
    assert got.headers["content-type"].startswith("application/json")
    # caption markup is stripped by the parser; the SQL text is kept verbatim, as data
    assert "'); DROP TABLE courses; --" in got.json()["sections"][0]["content"]["markdown"]
    assert (await cclient.get("/api/courses", headers=auth_headers(token))).json()["total"] == 1


async def test_null_fields_in_an_outline_patch_mean_unchanged(cclient, user, fake):
    token, _ = user
    course, _ = await make_course(cclient, token, fake)
    r = await cclient.put(f"/api/courses/outline/{course['id']}", headers=auth_headers(token),
                          json={"outline": {"sections": None, "learningObjectives": None,
                                            "title": None, "description": "Only this changes"}})
    assert r.status_code == 200, r.text
    got = r.json()["course"]
    assert got["outline"]["description"] == "Only this changes"
    assert got["title"] == course["title"]
    assert [s["id"] for s in got["sections"]] == [s["id"] for s in course["sections"]]
