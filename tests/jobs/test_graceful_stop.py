"""SIGTERM to a real server mid-course (a deploy, Ctrl-C): running jobs get the grace period,
then stop as a shutdown; the course stays `processing` with its checkpoints and the next start
on the same database completes it. Only a user's cancel makes a course `cancelled`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from testkit.client import PASSWORD, upload_body
from testkit.cluster import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("PYTEST", "REDIS", "DATABASE", "OPENAI", "COURSEGEN_MODELS"))}
    return {**keep, "PYTHONPATH": str(ROOT), "COURSEGEN_DATA_DIR": str(data),
            "DATABASE_URL": f"sqlite+aiosqlite:///{data / 'app.db'}",
            "JWT_SECRET": "graceful-stop-secret-" + uuid.uuid4().hex,
            "LLM_CHAT_FACTORY": "testkit.fake_factory:chat_factory",
            "FAKE_LLM_LATENCY": "0.6", "LLM_MAX_CONCURRENCY": "1",
            "JOB_SHUTDOWN_GRACE_SECONDS": "0.5", "COURSEGEN_MIGRATE_ON_START": "true",
            "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "8192"}


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--log-level", "info"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"the server did not start:\n{log.read_text()}")


def _status(base: str, headers: dict[str, str], course_id: str) -> dict:
    r = httpx.get(f"{base}/api/courses/status/{course_id}", headers=headers, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_sigterm_mid_course_leaves_it_processing_and_the_next_start_completes_it(tmp_path):
    env, port, log = _env(tmp_path), free_port(), tmp_path / "server.log"
    base = f"http://127.0.0.1:{port}"
    server = _start(env, port, log)
    try:
        r = httpx.post(f"{base}/api/auth/signup", json={
            "email": f"u-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD,
            "name": "U"}, timeout=10)
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        r = httpx.post(f"{base}/api/courses/generate", json=upload_body(), headers=headers,
                       timeout=10)
        assert r.status_code == 202, r.text
        course_id = r.json()["courseId"]
        deadline = time.monotonic() + 60
        while _status(base, headers, course_id)["progress"] < 0.3:  # writing sections now
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        server.send_signal(signal.SIGTERM)
        # uvicorn ends with the signal's status once the shutdown is done (its log says so)
        assert server.wait(timeout=30) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
    with sqlite3.connect(tmp_path / "data" / "app.db") as db:
        (status,) = db.execute("SELECT status FROM courses").fetchone()
    assert status == "processing", log.read_text()[-3000:]

    server = _start(env, port, log)  # the same database: the job resumes from its checkpoint
    try:
        deadline = time.monotonic() + 90
        while (state := _status(base, headers, course_id))["status"] == "processing":
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        assert state["status"] == "completed", state
        course = httpx.get(f"{base}/api/courses/{course_id}", headers=headers, timeout=10).json()
        assert course["sections"] and all(s["content"] for s in course["sections"])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
