"""The embedded local model end to end: real llama.cpp server, real SmolLM2 weights."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from core.config import Settings
from llm.local_model import (
    LOCAL_MODEL_NAME,
    LocalModelError,
    LocalModelServer,
    ensure_local_model_server,
    find_gguf,
    is_serving,
    server_threads,
    stop_started_servers,
)
from tests.local_model.conftest import free_port, requires_local_model, rss_mb

pytestmark = pytest.mark.local_model


class Lesson(BaseModel):
    title: str = Field(description="Short lesson title")
    key_points: list[str] = Field(description="Two or three key points of the lesson")
    minutes: int = Field(description="Estimated reading time in minutes")


PROMPT = (
    "Plan a short lesson from this transcript excerpt: 'Photosynthesis lets plants turn "
    "sunlight, water and carbon dioxide into sugar and oxygen. It happens in chloroplasts.'"
)


def chat(base_url: str, max_tokens: int = 256) -> ChatOpenAI:
    return ChatOpenAI(
        base_url=base_url,
        api_key="sk-no-key",
        model=LOCAL_MODEL_NAME,
        temperature=0,
        max_tokens=max_tokens,
        timeout=120,
        max_retries=0,
    )


def test_ensure_without_autostart_and_nothing_listening_raises(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, local_model_port=free_port(), local_model_autostart=False
    )
    with pytest.raises(LocalModelError, match="LOCAL_MODEL_AUTOSTART is off"):
        ensure_local_model_server(settings)


def test_threads_leave_a_core_free_unless_set_explicitly(tmp_path: Path) -> None:
    cores = os.cpu_count() or 1
    assert server_threads(Settings(data_dir=tmp_path)) == max(1, min(2, cores - 1))
    assert server_threads(Settings(data_dir=tmp_path, local_model_threads=3)) == 3


@requires_local_model
def test_find_gguf_returns_the_shipped_weights() -> None:
    path = find_gguf()
    assert path.suffix == ".gguf"
    assert path.stat().st_size > 50_000_000
    with path.open("rb") as fh:
        assert fh.read(4) == b"GGUF"


@requires_local_model
def test_bad_model_file_fails_fast_with_log_tail(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"not a model")
    server = LocalModelServer(
        port=free_port(), log_dir=tmp_path, model_path=bogus, startup_timeout=60
    )
    with pytest.raises(LocalModelError, match="exited with code") as err:
        server.start()
    assert str(server.log_path) in str(err.value)
    assert not server.running


def test_structured_call_and_throughput(local_server: LocalModelServer) -> None:
    model = chat(local_server.base_url).with_structured_output(
        Lesson, method="function_calling", include_raw=True
    )
    started = time.perf_counter()
    out = model.invoke(PROMPT)
    elapsed = time.perf_counter() - started

    assert out["parsing_error"] is None, out["raw"]
    lesson = Lesson.model_validate(out["parsed"])
    assert lesson.title.strip()
    usage = out["raw"].usage_metadata
    assert usage and usage["output_tokens"] > 0
    tps = usage["output_tokens"] / elapsed
    rss = rss_mb(local_server.pid) if local_server.pid else float("nan")
    print(
        f"\nlocal model: {usage['input_tokens']} in / {usage['output_tokens']} out tokens "
        f"in {elapsed:.2f}s = {tps:.1f} tok/s (completion); server RSS {rss:.0f} MB"
    )


def test_ensure_reuses_a_running_server(local_server: LocalModelServer, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, local_model_port=local_server.port, local_model_autostart=False
    )
    assert ensure_local_model_server(settings) == local_server.base_url


@requires_local_model
def test_ensure_autostarts_once_and_stops(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, local_model_port=free_port(), local_model_threads=1)
    try:
        url = ensure_local_model_server(settings)
        assert is_serving(url)
        assert ensure_local_model_server(settings) == url  # second call reuses, no new process
        assert list((tmp_path / "logs").glob("llama-server-*.log"))
    finally:
        stop_started_servers()
    assert not is_serving(url)


@requires_local_model
async def test_async_context_manager_and_ainvoke(tmp_path: Path) -> None:
    async with LocalModelServer(port=free_port(), log_dir=tmp_path) as server:
        reply = await chat(server.base_url, max_tokens=16).ainvoke("Say hello.")
        assert isinstance(reply.content, str)
        assert reply.usage_metadata and reply.usage_metadata["output_tokens"] > 0
        pid = server.pid
    assert not server.running
    assert pid is not None and not Path(f"/proc/{pid}").exists()
