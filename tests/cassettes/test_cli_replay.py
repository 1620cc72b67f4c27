"""`coursegen generate` on a cassette lecture, as a user runs it (subprocess): the CLI's own
LLM client, settings and store, with only the HTTP transport answering from the recording."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.markdown_safety import safe_markdown
from testkit.cassette import CASSETTE_SPEC, Cassette

ROOT = Path(__file__).resolve().parents[2]
LECTURE = Path(__file__).parent / "py4e_lists"


def test_the_cli_makes_the_recorded_course(tmp_path: Path) -> None:
    env = {**os.environ, "COURSEGEN_DATA_DIR": str(tmp_path / "data"), "LLM_CACHE": "false",
           "LLM_CHAT_FACTORY": "testkit.cassette:env_chat_factory",
           "CASSETTE_DIR": str(LECTURE / "cassette"),
           "COURSEGEN_MODELS": json.dumps([CASSETTE_SPEC.model_dump()]),
           "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "REDIS_URL", "OPENAI_API_KEY"):
        env.pop(name, None)
    out = tmp_path / "course.json"
    done = subprocess.run([sys.executable, "-m", "cli.main", "generate",
                           str(LECTURE / "lecture.srt"), "--out", str(out)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    course = json.loads(out.read_text())
    recorded = [r["answer"] for r in Cassette.load(LECTURE / "cassette").recordings.values()
                if r["schema_name"] == "LessonDraft"]
    assert len(course["sections"]) == len(recorded) == 6
    assert sorted(s["content"]["markdown"] for s in course["sections"]) == sorted(
        safe_markdown(r["markdown"]) for r in recorded)
    assert sum(len(s["supplement"]["quiz"]["questions"]) for s in course["sections"]) == 12
