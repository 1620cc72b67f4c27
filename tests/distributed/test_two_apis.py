"""Two API processes (uvicorn, two ports) on one database and one Redis, with one worker: the
same SSE stream and status from both, Last-Event-ID replay across them, signout seen at once,
and the sign-in throttle and the concurrent-generation limit holding across processes."""

from __future__ import annotations

import asyncio

import httpx

from testkit.client import PASSWORD, auth_headers, signup, upload_body
from testkit.cluster import Cluster, free_port
from tests.courses.test_generate import sse_events


async def test_two_api_processes_share_jobs_streams_auth_and_limits(dist: Cluster) -> None:
    limits = {"SIGNIN_MAX_ATTEMPTS": "3", "FREE_CONCURRENT_JOBS": "1"}
    port_a, port_b = free_port(), free_port()
    dist.start_api(port_a, **limits)
    dist.wait_http(port_a)  # the first one migrates the schema; then start the second
    dist.start_api(port_b, **limits)
    dist.start_worker("w", FAKE_LLM_LATENCY="0.1")
    dist.wait_http(port_b)
    dist.wait_worker_ready("w")
    a = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port_a}", timeout=30)
    b = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port_b}", timeout=30)
    try:
        token, user = await signup(a)
        auth = auth_headers(token)

        # generate through A; B sees the job's status and stream; C-limit holds across them
        r = await a.post("/api/courses/generate", json=upload_body(), headers=auth)
        assert r.status_code == 202, r.text
        course_id = r.json()["courseId"]
        second = await b.post("/api/courses/generate", json=upload_body(30), headers=auth)
        assert second.status_code == 429, second.text
        assert second.json()["error"]["code"] == "too_many_concurrent_jobs"

        stream_b = await b.get(f"/api/courses/{course_id}/events", headers=auth)
        events_b = sse_events(stream_b.text)
        assert events_b[-1]["event"] == "completed", stream_b.text[-500:]
        stream_a = await a.get(f"/api/courses/{course_id}/events", headers=auth)
        events_a = sse_events(stream_a.text)
        assert [e["id"] for e in events_a] == [e["id"] for e in events_b]
        assert len(events_a) >= 5

        # resume in A from an event id first seen in B
        cut = events_b[2]["id"]
        replay = await a.get(f"/api/courses/{course_id}/events",
                             headers={**auth, "Last-Event-ID": cut})
        assert [e["id"] for e in sse_events(replay.text)] == [e["id"] for e in events_b[3:]]

        status_a = (await a.get(f"/api/courses/status/{course_id}", headers=auth)).json()
        status_b = (await b.get(f"/api/courses/status/{course_id}", headers=auth)).json()
        assert status_a["status"] == status_b["status"] == "completed"
        assert status_a["progress"] == status_b["progress"] == 1.0

        # signout in B: the token stops working in A at once
        assert (await a.get("/api/user/progress", headers=auth)).status_code == 200
        assert (await b.post("/api/auth/signout", headers=auth)).status_code == 200
        assert (await a.get("/api/user/progress", headers=auth)).status_code == 401

        # sign-in throttle: 3 failures spread over A and B block the next attempt on either
        wrong = {"email": user["email"], "password": "wrong password!"}
        for client in (a, b, a):
            assert (await client.post("/api/auth/signin", json=wrong)).status_code == 401
        blocked = await b.post("/api/auth/signin",
                               json={"email": user["email"], "password": PASSWORD})
        assert blocked.status_code == 429, blocked.text
        assert int(blocked.headers["Retry-After"]) >= 1
    finally:
        await asyncio.gather(a.aclose(), b.aclose())
