"""`coursegen generate` end to end, as a user runs it (subprocess, fake LLM via settings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sample_lecture.srt"
COURSEGEN = [sys.executable, "-m", "cli.main"]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COURSEGEN_DATA_DIR": str(tmp_path / "data"), "LLM_CACHE": "false",
           "LLM_CHAT_FACTORY": "testkit.scripted_course:chat_factory", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return subprocess.run([*COURSEGEN, "generate", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("suffix", ["md", "json"])
def test_generate_writes_the_course_and_stores_it(tmp_path, suffix):
    out = tmp_path / f"course.{suffix}"
    done = run(tmp_path, str(SAMPLE), "--duration", "16", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 sections" in done.stderr and "LLM calls 6" in done.stderr
    text = out.read_text()
    if suffix == "json":
        course = json.loads(text)
        assert len(course["sections"]) == 2 and course["sections"][0]["content"]["markdown"]
    else:
        assert text.startswith("# ") and "## Answer key" in text
    assert (tmp_path / "data" / "coursegen.db").exists()  # stored in the embedded database


def test_bad_source_is_a_clear_error(tmp_path):
    done = run(tmp_path, "no-such-file.srt")
    assert done.returncode == 1
    assert "not a YouTube video URL" in done.stderr and "Traceback" not in done.stderr


def test_provider_refusing_every_lesson_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_LLM_REFUSE", "LessonDraft=500")
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    done = run(tmp_path, str(SAMPLE), "--duration", "16")
    assert done.returncode == 1, done.stderr
    error = done.stderr[done.stderr.index("error:"):]
    assert "(code: llm_unavailable)" in error and "language model did not answer" in error
    assert "processing" not in error and "Traceback" not in done.stderr
