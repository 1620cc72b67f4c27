"""Database faults: a connection dropped mid-request is a retryable 503, never a 500, and a
failed write leaves the stored course tree as it was (the previous complete one, or none)."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Course
from db.session import make_engine, make_sessionmaker
from testkit.client import auth_headers, upload_body, wait_done
from tests.faults.conftest import inserts_of, selects_from


def assert_retryable_503(r) -> None:
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "database_unavailable"
    assert int(r.headers["retry-after"]) > 0
    assert "Traceback" not in r.text and "OperationalError" not in r.text


async def test_connection_dropped_mid_request_is_503_then_recovers(cclient, user, dropped):
    token, _ = user
    h = auth_headers(token)
    dropped.arm(selects_from("courses"))  # auth queries succeed, the course query drops
    assert_retryable_503(await cclient.get("/api/courses", headers=h))
    assert dropped.raised >= 1
    dropped.disarm()
    assert (await cclient.get("/api/courses", headers=h)).status_code == 200


async def test_generate_with_a_dropped_write_is_503_and_creates_nothing(cclient, user, dropped,
                                                                         course_app):
    token, _ = user
    h = auth_headers(token)
    dropped.arm(inserts_of("transcript"))  # the course row is written, the transcript drops
    assert_retryable_503(await cclient.post("/api/courses/generate", json=upload_body(),
                                            headers=h))
    dropped.disarm()
    async with course_app.state.sessionmaker() as s:
        assert (await s.scalars(select(Course))).all() == []
    assert (await cclient.get("/api/courses", headers=h)).json()["total"] == 0


async def test_database_gone_is_503_on_every_authenticated_route(cclient, user, course_app):
    token, _ = user
    working = course_app.state.sessionmaker
    gone = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    course_app.state.sessionmaker = make_sessionmaker(gone)
    try:
        for method, url in [("GET", "/api/courses"), ("GET", "/api/user/progress"),
                            ("POST", "/api/auth/signout"),
                            ("GET", "/api/courses/status/00000000-0000-4000-8000-000000000000")]:
            assert_retryable_503(await cclient.request(method, url,
                                                       headers=auth_headers(token)))
        assert_retryable_503(await cclient.post("/api/auth/signin", json={
            "email": "nobody@example.com", "password": "whatever pw"}))
    finally:
        course_app.state.sessionmaker = working
        await gone.dispose()
    assert (await cclient.get("/api/courses", headers=auth_headers(token))).status_code == 200


async def test_failed_persist_keeps_no_tree_then_retry_persists_without_llm(cclient, user,
                                                                            fake, dropped):
    token, _ = user
    h = auth_headers(token)
    dropped.arm(inserts_of("lesson"))  # outline and section rows are written, lessons drop
    r = await cclient.post("/api/courses/generate", json=upload_body(), headers=h)
    course_id = r.json()["courseId"]
    final = (await wait_done(cclient, token, course_id))["final"]
    assert final["status"] == "failed" and dropped.raised == 1, final
    assert final["error"]["code"]
    course = (await cclient.get(f"/api/courses/{course_id}", headers=h)).json()
    assert course["outline"] is None and course["sections"] == []  # none, not half
    calls = len(fake.calls)
    dropped.disarm()
    assert (await cclient.post(f"/api/courses/{course_id}/retry", headers=h)).status_code == 202
    final = (await wait_done(cclient, token, course_id))["final"]
    assert final["status"] == "completed", final
    assert len(fake.calls) == calls  # resumed at persist: no LLM call again
    course = (await cclient.get(f"/api/courses/{course_id}", headers=h)).json()
    assert len(course["sections"]) == 3 and all(s["content"] for s in course["sections"])


async def test_failed_edit_writes_keep_the_previous_complete_tree(cclient, user, dropped,
                                                                  fake):
    token, _ = user
    h = auth_headers(token)
    r = await cclient.post("/api/courses/generate", json=upload_body(), headers=h)
    course_id = r.json()["courseId"]
    assert (await wait_done(cclient, token, course_id))["final"]["status"] == "completed"
    before = (await cclient.get(f"/api/courses/{course_id}", headers=h)).json()
    sections = before["outline"]["sections"]
    edit = {"outline": {"sections": [sections[0], {**sections[1], "title": "Renamed"},
                                     sections[2]]}}
    url = f"/api/courses/outline/{course_id}"

    # 1. the PUT's own write drops: 503, and the stored course is exactly the previous one
    dropped.arm(inserts_of("lesson"))
    assert (await cclient.put(url, headers=h, json=edit)).status_code == 503
    dropped.disarm()
    assert (await cclient.get(f"/api/courses/{course_id}", headers=h)).json() == before

    # 2. the PUT commits (new outline, old lessons); the background rewrite then drops
    fake.latency_per_call = 0.3  # time to arm before the rewrite persists
    r = await cclient.put(url, headers=h, json=edit)
    assert r.status_code == 200, r.text
    stored = r.json()["course"]
    dropped.arm(inserts_of("lesson"))
    final = (await wait_done(cclient, token, course_id))["final"]
    assert final["status"] == "failed" and dropped.raised >= 1, final
    dropped.disarm()
    after = (await cclient.get(f"/api/courses/{course_id}", headers=h)).json()
    assert after["outline"] == stored["outline"]
    for key in ("content", "supplement"):
        assert [s[key] for s in after["sections"]] == [s[key] for s in stored["sections"]]
    assert all(s["content"] and s["supplement"] for s in after["sections"])
