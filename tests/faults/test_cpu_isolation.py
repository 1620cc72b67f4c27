"""A hostile upload cannot freeze the server (issue #29 item 1), against a real `coursegen serve`.

The report's upload: 37,057 cues of "cache cache 0." over 5,000 s (1.9 M characters, inside every
limit), which used to hold the event loop for 30 minutes. Here /healthz is pinged while it
generates on the embedded extractive default, and a course over its CPU budget fails with a code
and, after the second time, is never queued again.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from testkit import pathological

ROOT = Path(__file__).resolve().parents[2]
WORST = pathological.srt("cache", 37_057)
HEALTHZ_BUDGET = 0.1  # seconds, the bound


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(tmp: Path, **extra: str) -> Iterator[str]:
    """`coursegen serve` on the embedded extractive default (no model configured)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "JOB_BACKEND", "LLM_CHAT_FACTORY",
                        "OPENAI_API_KEY", "COURSEGEN_MODELS")}
    env.update({"COURSEGEN_DATA_DIR": str(tmp), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
                "CHECKPOINTER": "sqlite", "LLM_CACHE": "false", **extra})
    log = (tmp / "api.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)],
                            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp / "api.log").read_text()[-2000:]
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _signup(http: httpx.Client) -> dict[str, str]:
    r = http.post("/api/auth/signup", json={"email": f"u{time.time_ns()}@example.com",
                                            "password": "correct horse battery", "name": "U"})
    assert r.status_code in (200, 201), r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _generate(http: httpx.Client, auth: dict[str, str], transcript: str) -> str:
    r = http.post("/api/courses/generate", headers=auth, timeout=60,
                  json={"transcript": transcript, "title": "Cache"})
    assert r.status_code == 202, r.text
    return str(r.json()["courseId"])


def _status(http: httpx.Client, auth: dict[str, str], course_id: str) -> dict[str, object]:
    r = http.get(f"/api/courses/status/{course_id}", headers=auth, timeout=30)
    assert r.status_code == 200, r.text
    return dict(r.json())


@pytest.mark.slow
def test_healthz_answers_fast_while_the_worst_upload_generates(tmp_path: Path) -> None:
    for url in _serve(tmp_path):
        with httpx.Client(base_url=url) as http:
            auth = _signup(http)
            course_id = _generate(http, auth, WORST)
            pings: list[float] = []
            status: dict[str, object] = {}
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                started = time.perf_counter()
                assert http.get("/healthz", timeout=5).status_code == 200
                pings.append(time.perf_counter() - started)
                if len(pings) % 10 == 0:
                    status = _status(http, auth, course_id)
                    if status["status"] != "processing":
                        break
                time.sleep(0.05)
            assert status.get("status") == "completed", status
            pings.sort()
            print(f"\nhealthz while generating: {len(pings)} pings, median "
                  f"{statistics.median(pings) * 1000:.1f} ms, p95 "
                  f"{pings[int(len(pings) * 0.95)] * 1000:.1f} ms, max {pings[-1] * 1000:.1f} ms")
            assert len(pings) >= 30
            # 9 pings in 10 within the 100 ms; the slowest carry the machine's own
            # scheduling (2 cores shared by a dozen busy processes: 0.3-1.4 s seen), but never
            # the minutes of a loop held by the course (30 minutes before the fix)
            assert pings[int(len(pings) * 0.9)] < HEALTHZ_BUDGET
            assert pings[-1] < 30 * HEALTHZ_BUDGET


@pytest.mark.slow
def test_a_course_over_its_cpu_budget_fails_and_is_retried_once_at_most(tmp_path: Path) -> None:
    for url in _serve(tmp_path, COURSE_CPU_BUDGET_SECONDS="0.5"):
        with httpx.Client(base_url=url) as http:
            auth = _signup(http)
            course_id = _generate(http, auth, WORST)
            for attempt in (1, 2):
                deadline = time.monotonic() + 120
                status = _status(http, auth, course_id)
                while status["status"] == "processing" and time.monotonic() < deadline:
                    time.sleep(0.3)
                    status = _status(http, auth, course_id)
                assert status["status"] == "failed", status
                error = status["error"]
                assert isinstance(error, dict)
                assert error["code"] == "processing_budget_exceeded", status
                retry = http.post(f"/api/courses/{course_id}/retry", headers=auth)
                if attempt == 1:
                    assert retry.status_code == 202, retry.text
            assert retry.status_code == 409, retry.text
            assert retry.json()["error"]["code"] == "over_budget"
            assert _status(http, auth, course_id)["status"] == "failed"
