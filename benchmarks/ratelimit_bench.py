"""A course against a provider that enforces a request quota with 429s (adaptive vs fixed window).

    python -m benchmarks.ratelimit_bench [--sections 30] [--quotas 8/1 20/1 60/10]
        [--call-latency 0.2] [--modes adaptive fixed eager]

The scripted course model answers at `--call-latency` seconds per call but admits at most
`rpw` requests per sliding `window` seconds (each quota `rpw/window`); a request over the quota
gets a 429 carrying Retry-After (until the oldest request leaves the window) and
x-ratelimit-remaining-requests: 0 with x-ratelimit-reset-requests, as OpenAI sends them. The
sustainable concurrency is rpw × latency ÷ window (1.6, 4 and 1.2 for the default quotas;
60/10 is issue 19's "60 requests per 10 s"). The client runs at the shipped settings (graph
concurrency, LLM_MAX_RETRIES, 0.5 s base / 30 s cap backoff, LLM_INITIAL_CONCURRENCY):
- adaptive: up to LLM_MAX_CONCURRENCY and the model's max_concurrency (32 both), following 429s;
- fixed:    the former fixed semaphore at 4, the former LLM_MAX_CONCURRENCY default (no
            shrinking, no shared pause);
- eager:    the former fixed semaphore at 16, a deployment that set LLM_MAX_CONCURRENCY high.
Reported: whether the course completed, failed calls (target 0), 429s received, wall time and
wall ÷ the quota's floor (the earliest the last call could end: (calls - 1) // rpw windows
after the first call, plus one call's latency, or the course's critical path if longer; target
≤ 1.2), the final window. A course fails
when a section's calls fail twice (write, then validate's redo).
Writes benchmarks/results/ratelimit.json.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx2
import openai
from langchain_core.messages import BaseMessage
from pydantic import PrivateAttr

from benchmarks.common import TimedFake, print_table, run, write_results
from benchmarks.pipeline_bench import STUDY_MINUTES_PER_SECTION, critical_path, transcript_for
from core.config import get_settings
from core.domain import GeneratedCourse
from graph.course import compile_course_graph
from graph.runner import run_graph
from llm.client import LLMCallFailed, LLMClient
from llm.concurrency import AdaptiveLimiter
from llm.registry import ModelRegistry, ModelSpec
from pipeline.context import CourseContext
from testkit import quota
from testkit.scripted import FakeCall
from testkit.scripted_client import FAKE_WINDOW
from testkit.scripted_course import course_responder

_REQUEST = httpx2.Request("POST", "http://quota-llm.test/v1/chat/completions")


class QuotaFake(TimedFake):
    """The course fake behind a sliding-window request quota."""

    requests_per_window: int = 20
    window_s: float = 1.0
    _admitted: list[float] = PrivateAttr(default_factory=list)
    _refused: int = PrivateAttr(default=0)

    def _plan(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> tuple[Any, float]:
        with self._state.lock:
            refused, headers = quota.admit(self._admitted, self.requests_per_window,
                                           self.window_s, time.perf_counter())
            self._refused += refused
        if not refused:
            return super()._plan(messages, kwargs)
        text = "\n\n".join(m.text for m in messages)
        self._record(FakeCall("quota", text, 0, 0, "quota", "429"))
        resp = httpx2.Response(429, headers=headers, request=_REQUEST)
        return openai.RateLimitError("Rate limit reached for requests", response=resp,
                                     body=None), 0.0

    @property
    def refused(self) -> int:
        return self._refused


class FixedLimiter(AdaptiveLimiter):
    """The former behaviour: a plain semaphore (each call honours its own Retry-After only)."""

    def _release(self, epoch: int, saturated: bool, exc: BaseException | None) -> None:
        self.in_flight -= 1
        self._wake()


class FixedClient(LLMClient):
    def limiter(self, spec: ModelSpec) -> AdaptiveLimiter:
        per_model = self._limiters.setdefault(asyncio.get_running_loop(), {})
        if spec.name not in per_model:
            per_model[spec.name] = FixedLimiter(self.max_concurrency, self.max_concurrency)
        return per_model[spec.name]


async def run_once(mode: str, rpw: int, window: float, args: argparse.Namespace
                   ) -> dict[str, Any]:
    settings = get_settings()
    initial = {"eager": 16, "fixed": 4}.get(mode, settings.llm_initial_concurrency)
    ceiling = settings.llm_max_concurrency if mode == "adaptive" else initial
    fake = QuotaFake(responder=course_responder, latency_per_call=args.call_latency,
                     requests_per_window=rpw, window_s=window)
    spec = ModelSpec(name="quota-model", context_window=FAKE_WINDOW, max_output=1024,
                     structured_method="function_calling", max_concurrency=ceiling)
    client_cls = LLMClient if mode == "adaptive" else FixedClient
    llm = client_cls(ModelRegistry([spec]), chat_factory=lambda _s: fake,
                     initial_concurrency=initial, max_concurrency=ceiling,
                     max_retries=settings.llm_max_retries)
    transcript = transcript_for(args.sections)
    ctx = CourseContext(llm=llm, max_sections=max(args.sections, settings.max_sections))
    graph_input: dict[str, Any] = {
                   "course_id": f"quota-{mode}-{rpw}", "transcript": transcript.model_dump(),
                   "title": transcript.title or "",
                   "preferences": {"duration": args.sections * STUDY_MINUTES_PER_SECTION}}
    started = time.perf_counter()
    try:
        state = await run_graph(compile_course_graph(), graph_input, ctx=ctx,
                                thread_id=graph_input["course_id"])
        sections = len(GeneratedCourse.model_validate(state["course"]).sections)
    except LLMCallFailed:
        sections = 0
    wall = time.perf_counter() - started
    totals = llm.usage.totals()
    limiter = llm.limiter(spec)
    # The quota's floor for this many calls: call k may start no sooner than one window after
    # call k - rpw, so the last one starts (calls - 1) // rpw windows after the first.
    # The course's own critical path (dependent calls) is a floor too.
    answered = totals.calls - totals.failed_calls
    critical = critical_path(fake, fake.timings, args.sections)["critical_s"]
    floor = max(critical, (answered - 1) // rpw * window + args.call_latency if answered else 0)
    return {"rpw": rpw, "window_s": window, "mode": mode, "initial": initial, "ceiling": ceiling,
            "course": "completed" if sections else "failed", "sections": sections,
            "llm_calls": totals.calls, "failed_calls": totals.failed_calls,
            "http_429": fake.refused, "wall_s": wall, "quota_floor_s": floor,
            "wall_per_floor": wall / floor if floor else None,
            "max_in_flight": fake.max_in_flight,
            "final_window": limiter.window, "decreases": limiter.decreases}


async def main(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for spec in args.quotas:
        rpw_text, _, window_text = spec.partition("/")
        rpw, window = int(rpw_text), float(window_text or 1)
        for mode in args.modes:
            row = await run_once(mode, rpw, window, args)
            print(f"  {rpw:>3}/{window:g}s {mode:<9} {row['course']} wall {row['wall_s']:.1f}s "
                  f"failed calls {row['failed_calls']} 429s {row['http_429']}", flush=True)
            rows.append(row)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=30)
    parser.add_argument("--quotas", nargs="+", default=["8/1", "20/1", "60/10"],
                        help="request quotas as rpw/window-seconds (one run per value)")
    parser.add_argument("--call-latency", type=float, default=0.2, help="seconds per LLM call")
    parser.add_argument("--modes", nargs="+", default=["adaptive", "fixed", "eager"],
                        choices=["adaptive", "fixed", "eager"])
    args = parser.parse_args()
    rows = run(main(args))
    print_table(f"{args.sections}-section course, quota of rpw requests per window_s, "
                f"{args.call_latency}s per call", rows,
                ["rpw", "window_s", "mode", "initial", "ceiling", "course", "sections", "llm_calls",
                 "failed_calls", "http_429", "wall_s", "quota_floor_s", "wall_per_floor",
                 "max_in_flight", "final_window",
                 "decreases"])
    write_results("ratelimit", {"params": vars(args), "runs": rows})
