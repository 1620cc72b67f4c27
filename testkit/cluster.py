"""Real worker and API processes around real Redis and Postgres: a `Cluster` starts them (each in
its own session, so its whole process group can be killed), reads the fake LLM's call counts and
waits for readiness. Used by tests/distributed and benchmarks/workers_bench.py.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import redis
from fastapi import FastAPI

from api.app import create_app
from testkit.client import running, settings_for

ROOT = Path(__file__).resolve().parents[1]
JWT_SECRET = "distributed-test-secret-" + uuid.uuid4().hex
FACTORY = "testkit.fake_factory:chat_factory"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, tmp_path: Path, pg_schema: str, redis_url: str) -> None:
        self.tmp_path, self.redis_url = tmp_path, redis_url
        self.counts_key = f"fake-llm:{uuid.uuid4().hex[:8]}"
        self.settings = settings_for(
            "postgres", tmp_path, pg_schema=pg_schema, REDIS_URL=redis_url,
            JOB_BACKEND="celery", CHECKPOINTER="redis", JWT_SECRET=JWT_SECRET,
            LLM_CHAT_FACTORY=FACTORY, JOB_VISIBILITY_TIMEOUT=5)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "PYTHONPATH": str(ROOT), "DATABASE_URL": self.settings.database_url or "",
            "REDIS_URL": redis_url, "JOB_BACKEND": "celery", "CHECKPOINTER": "redis",
            "JWT_SECRET": JWT_SECRET, "LLM_CHAT_FACTORY": FACTORY,
            "FAKE_LLM_COUNTS": self.counts_key, "FAKE_LLM_LATENCY": "0.3",
            "COURSEGEN_DATA_DIR": str(tmp_path / "data"), "JOB_VISIBILITY_TIMEOUT": "5",
            "LLM_MAX_CONCURRENCY": "1",
            "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "8192",
            "COURSEGEN_MIGRATE_ON_START": "true", "LOG_LEVEL": "INFO",
        }
        os.environ["FAKE_LLM_COUNTS"] = self.counts_key  # for an in-process factory, if used
        self.procs: list[subprocess.Popen[bytes]] = []
        self.redis = redis.Redis.from_url(redis_url)

    def _spawn(self, args: list[str], log_name: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.tmp_path / log_name, "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(args, cwd=ROOT, env={**self.env, **env}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start_worker(self, name: str, concurrency: int = 1, **env: str) -> subprocess.Popen[bytes]:
        return self._spawn([sys.executable, "-m", "cli.main", "worker",
                            f"--concurrency={concurrency}", "--loglevel=info",
                            f"--hostname={name}@%h"], f"worker-{name}.log", **env)

    def start_api(self, port: int, **env: str) -> subprocess.Popen[bytes]:
        return self._spawn([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                            "--host", "127.0.0.1", "--port", str(port), "--log-level",
                            "warning"], f"api-{port}.log", **env)

    def wait_http(self, port: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"API on port {port} did not start:\n{self.log(f'api-{port}.log')}")

    def wait_worker_ready(self, name: str, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log(f"worker-{name}.log"):
                return
            time.sleep(0.2)
        raise AssertionError(f"worker {name} not ready:\n{self.log(f'worker-{name}.log')}")

    def log(self, name: str) -> str:
        path = self.tmp_path / name
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal the process and everything it forked (a worker's pool children too)."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def counts(self) -> dict[str, int]:
        raw = self.redis.hgetall(self.counts_key)
        return {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in raw.items()}

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                proc.wait(timeout=10)
        self.redis.close()

    @asynccontextmanager
    async def api(self) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
        """The API in this process (JOB_BACKEND=celery: it only enqueues)."""
        app = create_app(self.settings)
        async with running(app) as client:
            yield app, client


async def poll(check: Any, timeout: float, interval: float = 0.1) -> Any:
    """Call `check()` (sync or async) until it returns something truthy; fail after timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)
