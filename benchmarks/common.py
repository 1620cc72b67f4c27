"""Shared pieces of the benchmarks: machine info, tables, JSON results, long transcripts and a
timed fake LLM.

Benchmarks are dev tools (never part of the test run); they use the scripted fake LLM
(llm/scripted.py, llm/scripted_course.py): it answers the course schemas from the prompts and
sleeps an injected latency per call.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import PrivateAttr

from core.domain import Segment, Transcript
from llm.client import LLMClient
from llm.scripted import FakeChatModel
from llm.scripted_client import scripted_client
from llm.scripted_course import course_responder
from sources.transcript import parse_transcript

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = Path(__file__).parent / "results"
SHIPPED_SAMPLE = ROOT / "samples" / "sample_lecture.srt"
SHARED_SAMPLES = ROOT.parent / "shared" / "data" / "transcripts"
FAKE_WINDOW = 8192  # the embedded local model's window: long transcripts go map-reduce


def machine_info() -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "machine": platform.machine(),
        # other work on the machine skews wall times: record how busy it was
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def print_table(title: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """A plain fixed-width table (no colour codes, so it can be pasted into notes)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.3f}" if abs(v) < 100 else f"{v:.1f}"
        return "-" if v is None else str(v)

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps({"machine": machine_info(), **payload}, indent=2, default=str))
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path


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


def bench_client(fake: FakeChatModel, *, concurrency: int, window: int = FAKE_WINDOW
                 ) -> LLMClient:
    return scripted_client(fake, window=window, concurrency=concurrency)


def run(coro: Any) -> Any:
    """asyncio.run, with a clear exit when a benchmark is interrupted."""
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        sys.exit(130)
