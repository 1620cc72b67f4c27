"""The web client and app against a real API process (`coursegen serve`, scripted fake LLM).

Needs Node 20 with web/node_modules installed (`npm ci` in web/; scripts/web_test.sh does it);
without them these tests are skipped, saying so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"


def node_missing_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (WEB / "node_modules" / ".bin" / "tsc").exists():
        return "web/node_modules missing: run `npm ci` in web/ (scripts/web_test.sh does)"
    return None


def npm(*args: str, env: dict[str, str] | None = None, timeout: float = 300
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["npm", "--prefix", str(WEB), *args], cwd=WEB, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ApiProcess:
    def __init__(self, base_url: str, proc: subprocess.Popen[str]) -> None:
        self.base_url, self.proc = base_url, proc


@pytest.fixture(scope="module")
def api_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiProcess]:
    """`coursegen serve` in a subprocess: embedded SQLite, in-process jobs, the scripted course
    fake selected by LLM_CHAT_FACTORY, and web/dist served at / when it was built."""
    yield from serve(tmp_path_factory, ["cli.main", "serve"],
                     {"LLM_CHAT_FACTORY": "testkit.scripted_course:chat_factory"})


def serve(tmp_path_factory: pytest.TempPathFactory, module: list[str], extra: dict[str, str]
          ) -> Iterator[ApiProcess]:
    """`python -m <module…> --port N` in a fresh data directory, until the test module ends."""
    reason = node_missing_reason()
    if reason and os.environ.get("COURSEGEN_REQUIRE_SERVICES") == "1":
        pytest.fail(f"the test command requires the web toolchain: {reason}")
    if reason:
        pytest.skip(reason)
    data = tmp_path_factory.mktemp("web-api")
    port = _free_port()
    env = {**os.environ, "COURSEGEN_DATA_DIR": str(data), "LLM_CACHE": "false",
           "PYTHONPATH": str(ROOT),
           "FREE_COURSES_PER_MONTH": "1000", "FREE_CONCURRENT_JOBS": "1000",
           "CHECKPOINTER": "sqlite", "LOG_LEVEL": "WARNING"}
    for name in ("DATABASE_URL", "REDIS_URL", "JOB_BACKEND", "LLM_CHAT_FACTORY"):
        env.pop(name, None)
    env.update(extra)
    log = (data / "api.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", *module, "--port", str(port)],
                            cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"API exited: {(data / 'api.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("API did not start")
            time.sleep(0.1)
        yield ApiProcess(base_url, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
