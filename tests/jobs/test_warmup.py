"""A process pays its one-time costs when its job services open, not in its first course."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a fresh interpreter: what the first course would load is not loaded before the services
# open, and is once they have.
PROBE = """
import asyncio, json, sys
from core.config import Settings
from graph.course import compile_course_graph
from jobs.services import open_job_services
from llm import client, tokens

def loaded():
    return {"encodings": tokens._build_encoding.cache_info().currsize,
            "openai_client": "langchain_openai" in sys.modules,
            "graphs": compile_course_graph.cache_info().currsize,
            "runnables": sum(1 for k in client._SHARED if k[0] == "structured")}

async def main():
    settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=sys.argv[1], CHECKPOINTER="memory",
                        COURSEGEN_MODELS=json.dumps([{"name": "gpt-4o-mini", "local": True,
                            "base_url": "http://127.0.0.1:9/v1", "api_key_env": None,
                            "context_window": 8192, "max_output": 1024}]))
    before = loaded()
    async with open_job_services(settings, None):
        after = loaded()
    print(json.dumps({"before": before, "after": after}))

asyncio.run(main())
"""


def test_job_services_warm_the_process_before_the_first_job(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] == {"encodings": 0, "openai_client": False, "graphs": 1,
                              "runnables": 0}
    # the tokenizer tables, the provider client, the graph for this checkpointer, and the
    # structured-output runnables of the seven course schemas (blind check and repair included)
    assert seen["after"] == {"encodings": 1, "openai_client": True, "graphs": 2,
                             "runnables": 7}
