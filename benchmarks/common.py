"""Shared pieces of the benchmarks: long transcripts and a timed fake LLM (tables and JSON
results live in benchmarks/report.py, re-exported here).

Benchmarks are dev tools (never part of the test run); they use the scripted fake LLM
(testkit/scripted.py, testkit/scripted_course.py): it answers the course schemas from the
prompts and sleeps an injected latency per call.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import PrivateAttr

from benchmarks.report import (  # noqa: F401 - re-exported for the other benchmarks
    RESULTS_DIR,
    ROOT,
    machine_info,
    print_table,
    write_results,
)
from core.domain import Segment, Transcript
from llm.client import LLMClient
from llm.tokens import preload as preload_tokenizer
from sources.transcript import parse_transcript
from testkit.scripted import FakeChatModel
from testkit.scripted_client import scripted_client
from testkit.scripted_course import course_responder

SHIPPED_SAMPLE = ROOT / "samples" / "sample_lecture.srt"
SHARED_SAMPLES = ROOT.parent / "shared" / "data" / "transcripts"
FAKE_WINDOW = 8192  # the embedded local model's window: long transcripts go map-reduce


# -- transcripts -------------------------------------------------------------------------------
def sample_transcripts() -> list[Transcript]:
    """The shipped sample lecture, plus the real ones in ../shared/data/transcripts if present."""
    paths = [SHIPPED_SAMPLE]
    if SHARED_SAMPLES.is_dir():
        paths += sorted(SHARED_SAMPLES.glob("*.srt"))
    return [parse_transcript(p.read_text(errors="replace"), title=p.stem) for p in paths]


def long_transcript(seconds: float, *, title: str = "Concatenated lectures") -> Transcript:
    """The samples laid end to end (timestamps shifted) and repeated until `seconds` long."""
    sources = sample_transcripts()
    segments: list[Segment] = []
    offset = 0.0
    i = 0
    while offset < seconds:
        src = sources[i % len(sources)]
        for seg in src.segments:
            if offset + seg.start >= seconds:
                break
            segments.append(Segment(start=offset + seg.start, end=offset + seg.end,
                                    text=seg.text))
        offset += src.duration + 2.0  # a short pause between lectures
        i += 1
    return Transcript(segments=segments, language="en", source="srt", title=title)


# -- a fake LLM that remembers when each call ran ---------------------------------------------
@dataclass(frozen=True)
class TimedCall:
    schema: str
    started: float
    ended: float
    input_text: str
    input_tokens: int
    output_tokens: int


class TimedFake(FakeChatModel):
    """The course fake, also recording each call's start and end on the monotonic clock."""

    _timings: list[TimedCall] = PrivateAttr(default_factory=list)

    async def _agenerate(self, messages: list[BaseMessage], stop: Any = None,
                         run_manager: Any = None, **kwargs: Any) -> ChatResult:
        started = time.perf_counter()
        before = len(self._state.calls)
        try:
            return await super()._agenerate(messages, stop, run_manager, **kwargs)
        finally:
            ended = time.perf_counter()
            # this call's record (calls run concurrently, so take the one made after `before`
            # with this exact input; the fake records before it sleeps)
            text = "\n\n".join(m.text for m in messages)
            rec = next((c for c in self._state.calls[before:] if c.input_text == text), None)
            if rec is not None:
                self._timings.append(TimedCall(rec.schema_name, started, ended, text,
                                               rec.input_tokens, rec.output_tokens))

    @property
    def timings(self) -> list[TimedCall]:
        return list(self._timings)

    def injected(self, call: TimedCall) -> float:
        """The latency the fake was told to take for this call."""
        return self.latency_per_call + self.latency_per_output_token * call.output_tokens


def timed_fake(latency_per_call: float, latency_per_token: float) -> TimedFake:
    return TimedFake(responder=course_responder, latency_per_call=latency_per_call,
                     latency_per_output_token=latency_per_token)


def bench_client(fake: FakeChatModel, *, concurrency: int, window: int = FAKE_WINDOW,
                 initial: int | None = None) -> LLMClient:
    """`concurrency` bounds LLM calls in flight; the adaptive window starts at `initial` (else
    at the bound)."""
    return scripted_client(fake, window=window, concurrency=concurrency, initial=initial)


def run(coro: Any) -> Any:
    """asyncio.run, with a clear exit when a benchmark is interrupted. The tokenizer is loaded
    first, as the API and the workers do at startup (jobs/warmup.py)."""
    preload_tokenizer()
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        sys.exit(130)
