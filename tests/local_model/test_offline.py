"""The local model path needs no network at all: run it with the network namespace removed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.local_model.conftest import requires_local_model

pytestmark = [pytest.mark.local_model, requires_local_model]

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, socket, sys
from pathlib import Path
from langchain_openai import ChatOpenAI
from llm.local_model import LOCAL_MODEL_NAME, LocalModelServer

# Prove we really are offline: anything but loopback is unreachable.
try:
    socket.create_connection(("1.1.1.1", 443), timeout=3).close()
    online = True
except OSError:
    online = False

with LocalModelServer(port=int(sys.argv[1]), log_dir=Path(sys.argv[2])) as server:
    llm = ChatOpenAI(base_url=server.base_url, api_key="sk-no-key", model=LOCAL_MODEL_NAME,
                     max_tokens=16, max_retries=0, timeout=120)
    reply = llm.invoke("Say hello.")
print(json.dumps({"online": online, "output_tokens": reply.usage_metadata["output_tokens"],
                  "content": reply.content}))
"""


def _unshare_permitted() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-n", "sh", "-c", "ip link set lo up"], capture_output=True, timeout=10
    )
    return probe.returncode == 0


def test_server_and_completion_without_network(tmp_path: Path) -> None:
    if not _unshare_permitted():
        pytest.skip("`unshare -n` (new network namespace) is not permitted here")
    script = tmp_path / "offline_call.py"
    script.write_text(SCRIPT)
    proc = subprocess.run(
        [
            "unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"',
            sys.executable, str(script), "18765", str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=240,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["online"] is False
    assert result["output_tokens"] > 0
