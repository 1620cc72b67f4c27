"""Start `langgraph dev` (the in-memory LangGraph API server) on the repo's langgraph.json.

The server runs as a subprocess from a temp directory, so its `.langgraph_api/` state and its log
stay out of the repo tree. `langgraph dev` resolves graph paths against its working directory,
so the temp directory gets a copy of langgraph.json with the paths made absolute — every other
key is the repo's own, checked first by the CLI's validator.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.domain import Transcript
from sources.transcript import parse_transcript
from testkit.fake_openai import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "langgraph.json"
START_TIMEOUT = 45.0


@dataclass
class DevServer:
    url: str
    log: Path
    proc: subprocess.Popen[bytes]

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _absolute(path: str) -> str:
    """'./graph/course.py:graph' -> '/repo/graph/course.py:graph' (module paths kept as is)."""
    file, _, attr = path.partition(":")
    if file.startswith("."):
        file = str((REPO / file).resolve())
    return f"{file}:{attr}" if attr else file


def portable_config(config: dict[str, Any]) -> dict[str, Any]:
    out = dict(config)
    out["dependencies"] = [_absolute(d) if d.startswith(".") else d
                           for d in config.get("dependencies", [])]
    out["graphs"] = {name: _absolute(p) for name, p in config["graphs"].items()}
    return out


def langgraph_cli() -> str | None:
    beside = Path(sys.executable).parent / "langgraph"
    return str(beside) if beside.exists() else shutil.which("langgraph")


def start_dev_server(workdir: Path, env: dict[str, str] | None = None) -> DevServer:
    """Launch `langgraph dev` in workdir and wait for GET /ok (raises with the log if it dies)."""
    cli = langgraph_cli()
    if cli is None:
        pytest.skip("langgraph-cli is not installed (pip install 'langgraph-cli[inmem]')")
    config = json.loads(CONFIG.read_text())
    (workdir / "langgraph.json").write_text(json.dumps(portable_config(config), indent=1))
    port = free_port()
    log = workdir / "server.log"
    merged = {**os.environ, "LANGGRAPH_CLI_NO_ANALYTICS": "1", **(env or {})}
    proc_env = {k: v for k, v in merged.items() if v != ""}  # "" in env: unset it
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [cli, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1",
             "--port", str(port), "--config", "langgraph.json"],
            cwd=workdir, env=proc_env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
    server = DevServer(f"http://127.0.0.1:{port}", log, proc)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"langgraph dev exited ({proc.returncode}):\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/ok", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_dev_server(server)
    raise RuntimeError(f"langgraph dev did not answer /ok in {START_TIMEOUT}s:\n"
                       f"{server.log_tail()}")


def stop_dev_server(server: DevServer) -> None:
    if server.proc.poll() is None:
        os.killpg(server.proc.pid, signal.SIGTERM)
        try:
            server.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait(5)


def llm_env(base_url: str, data_dir: Path) -> dict[str, str]:
    """Settings for the server process: one model behind the fake OpenAI server, nothing else."""
    model = {"name": "fake-http", "base_url": base_url, "api_key_env": None, "local": True,
             "context_window": 8192, "max_output": 1024, "structured_method": "function_calling"}
    return {"COURSEGEN_MODELS": json.dumps([model]), "COURSEGEN_DATA_DIR": str(data_dir),
            "LOCAL_MODEL_AUTOSTART": "false", "LLM_CACHE": "false", "LLM_MAX_RETRIES": "0",
            "OPENAI_BASE_URL": "", "OPENAI_API_KEY": ""}


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory, fake_openai: FakeOpenAIServer
               ) -> Iterator[DevServer]:
    workdir = tmp_path_factory.mktemp("langgraph_dev")
    server = start_dev_server(workdir, llm_env(fake_openai.base_url, workdir / "data"))
    try:
        yield server
    finally:
        stop_dev_server(server)


@pytest.fixture(scope="module")
def extractive_dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """`langgraph dev` as Studio runs it with no key and no model: the embedded default."""
    workdir = tmp_path_factory.mktemp("langgraph_dev_extractive")
    env = {"COURSEGEN_MODELS": "", "OPENAI_API_KEY": "", "OPENAI_BASE_URL": "",
           "EMBEDDED_MODEL": "extractive", "LOCAL_MODEL_AUTOSTART": "false",
           "COURSEGEN_DATA_DIR": str(workdir / "data"), "LLM_CACHE": "false"}
    server = start_dev_server(workdir, env)
    try:
        yield server
    finally:
        stop_dev_server(server)


@pytest.fixture(scope="session")
def sample_transcript() -> Transcript:
    text = (REPO / "samples" / "sample_lecture.srt").read_text()
    return parse_transcript(text, title="HTTP caching")
