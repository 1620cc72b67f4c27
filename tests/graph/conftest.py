"""Fixtures for graph tests: a fake-LLM client and sample transcripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.domain import Segment, Transcript
from llm.client import LLMClient
from sources.transcript import parse_transcript
from testkit.scripted import FakeChatModel
from testkit.scripted_client import FAKE_WINDOW, scripted_client
from testkit.scripted_course import course_fake


@pytest.fixture
def make_llm() -> Callable[..., tuple[FakeChatModel, LLMClient]]:
    def make(window: int = FAKE_WINDOW, **fake_kwargs: Any) -> tuple[FakeChatModel, LLMClient]:
        fake = course_fake(**fake_kwargs)
        return fake, scripted_client(fake, window=window)
    return make


@pytest.fixture(scope="session")
def sample_transcript() -> Transcript:
    text = (Path(__file__).resolve().parents[2] / "samples" / "sample_lecture.srt").read_text()
    return parse_transcript(text, title="HTTP caching")


def synthetic_transcript(minutes: int, *, seed_words: int = 14) -> Transcript:
    """A long lecture of distinct, numbered sentences (each traceable in the output)."""
    topics = ["caching", "routing", "indexes", "queues", "sessions", "tokens", "graphs", "streams"]
    segments = []
    t = 0.0
    i = 0
    while t < minutes * 60:
        topic = topics[(i // 40) % len(topics)]
        text = (f"Sentence {i} explains {topic} with detail number {i} about "
                f"{' '.join(topic for _ in range(seed_words // 7))} and more words here.")
        segments.append(Segment(start=t, end=t + 5.0, text=text))
        t += 5.0
        i += 1
    return Transcript(segments=segments, language="en", source="txt", title="Synthetic lecture")
