"""Failure paths end to end: how long until a course reaches a terminal status when the provider
misbehaves, and how long a Celery job takes to recover from a SIGKILLed worker.

    python -m benchmarks.faults_bench [--slow 2] [--outage 15] [--cap 600] [--no-worker-kill]

`coursegen serve` runs as a subprocess (SQLite, in-process jobs, every LLM setting at its default:
retries, backoff, timeout) with its one model behind testkit/fake_openai.py, an
OpenAI-compatible HTTP server in this process whose faults change between cases:

- `healthy`        — answers everything (the baseline);
- `refuse_lessons` — 500 to every LessonDraft call, answers the rest;
- `refuse_all`     — 500 to every call;
- `slow`           — answers everything after `--slow` seconds per call;
- `short_outage`   — 500 to every call for `--short-outage` seconds, within the retry budget;
- `outage`         — 500 to every call for `--outage` seconds from the submit, then answers; a
                     course that failed meanwhile is retried (POST /retry) once the outage is over
                     and the retry is timed too (`total_seconds`: submit to completed).

Each case uploads the shipped sample lecture (24 minutes → 3 sections) through
`POST /api/courses/generate` and polls `GET /api/courses/status/{id}` every 0.2 s until the status
is completed, failed or cancelled (or `--cap` seconds pass: reported as `stuck`). One healthy
course is generated first and not reported (`warmup_seconds` in the JSON): the first job in a
process pays for imports and client set-up.

The worker-SIGKILL figure runs tests/distributed/test_worker_death.py in a pytest subprocess
(two real Celery workers on a private Redis and Postgres started by scripts/services.sh, at the
default 4 h JOB_VISIBILITY_TIMEOUT; the worker running the course is SIGKILLed mid-lesson) and
reads the seconds it prints from kill to `completed`. `--no-worker-kill` skips it.
Writes benchmarks/results/faults.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from benchmarks.report import ROOT, print_table, write_results
from testkit.fake_openai import FakeOpenAIServer, Faults

SAMPLE = ROOT / "samples" / "sample_lecture.srt"
TERMINAL = {"completed", "failed", "cancelled"}
POLL_SECONDS = 0.2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api_env(data_dir: Path, llm_base_url: str) -> dict[str, str]:
    """`coursegen serve` on its own SQLite file, one model behind the fake server, no Redis."""
    model = {"name": "fake-http", "base_url": llm_base_url, "api_key_env": None, "local": True,
             "context_window": 8192, "max_output": 1024, "structured_method": "function_calling"}
    drop = {"DATABASE_URL", "REDIS_URL", "JOB_BACKEND", "CHECKPOINTER", "OPENAI_API_KEY",
            "OPENAI_BASE_URL", "COURSEGEN_MODELS", "LLM_CHAT_FACTORY"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("LLM_")}
    env.update({
        "COURSEGEN_DATA_DIR": str(data_dir), "COURSEGEN_MODELS": json.dumps([model]),
        "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'faults.db'}",
        "JWT_SECRET": secrets.token_urlsafe(32), "JOB_BACKEND": "inprocess",
        "CHECKPOINTER": "sqlite", "RESUME_JOBS_ON_START": "false", "LOG_LEVEL": "WARNING",
        "LOCAL_MODEL_AUTOSTART": "false",
        # the cases measure the provider's faults, not the plan's limits or the response cache
        "LLM_CACHE": "false", "FREE_CONCURRENT_JOBS": "1000", "FREE_COURSES_PER_MONTH": "1000",
        # sign-up cost is not measured
        "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "8192",
    })
    return env


@contextmanager
def coursegen_serve(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    log = Path(env["COURSEGEN_DATA_DIR"]) / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"coursegen serve did not start:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


async def until_terminal(client: httpx.AsyncClient, course_id: str, cap: float
                         ) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    while True:
        status = (await client.get(f"/api/courses/status/{course_id}")).json()
        elapsed = time.monotonic() - started
        if status.get("status") in TERMINAL or elapsed > cap:
            return status, elapsed
        await asyncio.sleep(POLL_SECONDS)


def case_faults(name: str, *, slow: float, outage: float, short_outage: float) -> Faults:
    if name == "refuse_lessons":
        return Faults(refuse=frozenset({"LessonDraft"}))
    if name == "refuse_all":
        return Faults(refuse_all=True)
    if name == "slow":
        return Faults(delay_seconds=slow)
    if name == "outage":
        return Faults(outage_until=time.monotonic() + outage)
    if name == "short_outage":
        return Faults(outage_until=time.monotonic() + short_outage)
    return Faults()


def row_of(name: str, status: dict[str, Any], seconds: float, cap: float) -> dict[str, Any]:
    error = status.get("error") or {}
    return {"case": name,
            "status": status.get("status") if seconds <= cap else "stuck",
            "seconds": round(seconds, 2), "code": error.get("code"),
            "progress": status.get("progress"), "step": status.get("currentStep"),
            "message": error.get("message")}


async def run_cases(url: str, server: FakeOpenAIServer, names: list[str], *, slow: float,
                    outage: float, short_outage: float, cap: float
                    ) -> tuple[list[dict[str, Any]], float]:
    srt = SAMPLE.read_text()
    rows = []
    warmup = 0.0
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        signup = await client.post("/api/auth/signup", json={
            "email": f"faults-{secrets.token_hex(4)}@example.com", "password": "Bench-pass-1234",
            "name": "Faults"})
        signup.raise_for_status()
        client.headers["Authorization"] = f"Bearer {signup.json()['token']}"
        for i, name in enumerate(["warmup", *names]):
            server.faults = case_faults(name, slow=slow, outage=outage,
                                        short_outage=short_outage)
            before_ok, before_refused = sum(server.calls.values()), sum(server.refused.values())
            # a language tag per case: no case is served from an earlier one's cached course
            body = {"transcript": srt, "title": f"Faults {name}",
                    "preferences": {"duration": 24, "language": f"en-case{i}"}}
            submitted = time.monotonic()
            accepted = await client.post("/api/courses/generate", json=body)
            accepted.raise_for_status()
            course_id = accepted.json()["courseId"]
            status, seconds = await until_terminal(client, course_id, cap)
            if name == "warmup":
                warmup = seconds
                continue
            row = row_of(name, status, seconds, cap)
            if name == "outage" and status.get("status") == "failed":
                # the provider is back once the outage ends: a user's retry then, timed
                wait = max(0.0, server.faults.outage_until - time.monotonic())
                await asyncio.sleep(wait)
                retry = await client.post(f"/api/courses/{course_id}/retry")
                retry.raise_for_status()
                retried, retry_seconds = await until_terminal(client, course_id, cap)
                row.update({"retry_status": retried.get("status"),
                            "retry_seconds": round(retry_seconds, 2),
                            "total_seconds": round(time.monotonic() - submitted, 2)})
            row["llm_calls_ok"] = sum(server.calls.values()) - before_ok
            row["llm_calls_500"] = sum(server.refused.values()) - before_refused
            print(f"  {name}: {row['status']} in {row['seconds']} s", flush=True)
            rows.append(row)
    return rows, warmup


@contextmanager
def private_services() -> Iterator[dict[str, str]]:
    """A Postgres and a Redis of our own (scripts/services.sh, as the test command starts them):
    the distributed test flushes its Redis database, so it must not share a server with tests
    other sessions run at the same time. Yields the TEST_* variables for the test process."""
    with tempfile.TemporaryDirectory() as tmp:
        start = subprocess.run(["bash", "scripts/services.sh", "start", tmp], cwd=ROOT,
                               capture_output=True, text=True, timeout=600)
        if start.returncode != 0:
            raise RuntimeError(f"scripts/services.sh start failed: {start.stderr[-1500:]}")
        try:
            lines = (Path(tmp) / "env").read_text().splitlines()
            yield dict(ln.removeprefix("export ").split("=", 1) for ln in lines if "=" in ln)
        finally:
            subprocess.run(["bash", "scripts/services.sh", "stop", tmp], cwd=ROOT,
                           capture_output=True, timeout=120)


def worker_kill_recovery() -> dict[str, Any]:
    """Seconds from SIGKILL to `completed`, as tests/distributed/test_worker_death.py prints."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
           "tests/distributed/test_worker_death.py"]
    with private_services() as services:
        started = time.monotonic()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                              env={**os.environ, **services, "COURSEGEN_REQUIRE_SERVICES": "1"})
    found = re.search(r"recovered ([0-9.]+)s after the SIGKILL", done.stdout)
    lines = (done.stdout + done.stderr).strip().splitlines()
    # the test's verdict, and its first assertion error when it failed
    summary = " / ".join([*(ln for ln in lines if ln.startswith("E "))][:1] + lines[-1:])
    return {"recovered_seconds": float(found.group(1)) if found else None,
            "exit_code": done.returncode, "summary": summary,
            "wall_seconds": round(time.monotonic() - started, 1)}


CASES = ["healthy", "refuse_lessons", "refuse_all", "slow", "short_outage", "outage"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", nargs="*", default=CASES, choices=CASES)
    parser.add_argument("--slow", type=float, default=2.0, help="seconds per call (slow case)")
    parser.add_argument("--outage", type=float, default=15.0, help="seconds of 500s (outage)")
    parser.add_argument("--short-outage", type=float, default=3.0,
                        help="seconds of 500s (short_outage)")
    parser.add_argument("--cap", type=float, default=600.0, help="give up on a case after")
    parser.add_argument("--no-worker-kill", action="store_true",
                        help="skip the Celery worker SIGKILL figure")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer() as server, \
            coursegen_serve(api_env(Path(tmp) / "data", server.base_url)) as url:
        rows, warmup = asyncio.run(run_cases(url, server, args.cases, slow=args.slow,
                                             outage=args.outage,
                                             short_outage=args.short_outage, cap=args.cap))
    print_table("time to a terminal status (coursegen serve, default LLM retries)", rows,
                ["case", "status", "seconds", "code", "llm_calls_ok", "llm_calls_500",
                 "retry_status", "retry_seconds", "total_seconds"])
    kill: dict[str, Any] = {"skipped": True}
    if not args.no_worker_kill:
        print("\nworker SIGKILL (tests/distributed/test_worker_death.py) ...", flush=True)
        kill = worker_kill_recovery()
        print_table("recovery after a worker SIGKILL (JOB_VISIBILITY_TIMEOUT 14400 s)", [kill],
                    ["recovered_seconds", "exit_code", "wall_seconds", "summary"])
    settings = {"slow_seconds_per_call": args.slow, "outage_seconds": args.outage,
                "short_outage_seconds": args.short_outage, "cap_seconds": args.cap}
    write_results("faults", {"settings": settings, "warmup_seconds": round(warmup, 2),
                             "cases": rows, "worker_sigkill": kill})
    stuck = [r["case"] for r in rows if r["status"] not in TERMINAL]
    return 1 if stuck else 0


if __name__ == "__main__":
    sys.exit(main())
