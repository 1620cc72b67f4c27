"""Cache benchmark: what an identical repeat of a completed generation costs.

Through the API (in-process, httpx ASGI transport, the embedded defaults: SQLite, in-memory
cache) on the course fake with a fixed latency per call:
1. generate a course from the shipped sample transcript and wait until it completes;
2. repeat the identical request N times: each must answer 200 `completed` from the response
   cache — its latency, and the LLM calls the repeats made (expected 0);
3. N fresh requests (distinct preferences, so no cache hit): accept latency of the 202.
The fresh jobs run in the same process while later requests are accepted, as in the embedded
deployment; they are cancelled at shutdown.

    python -m benchmarks.cache_bench [--repeats 30] [--fresh 30] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import print_table, run, write_results
from benchmarks.serve_fake import bench_settings, running_app, throwaway_postgres
from testkit.client import auth_headers, signup, upload_body, wait_done
from testkit.scripted_course import course_fake


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) — with few samples p99 is the maximum, honestly."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2),
            "p99_ms": round(percentile(ms, 99), 2), "mean_ms": round(statistics.fmean(ms), 2),
            "max_ms": round(max(ms), 2)}


async def timed_post(client: httpx.AsyncClient, token: str, body: dict[str, Any]
                     ) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    r = await client.post("/api/courses/generate", json=body, headers=auth_headers(token))
    return time.perf_counter() - started, r


async def bench(repeats: int, fresh: int, latency: float, database_url: str | None,
                data_dir: Path) -> dict[str, Any]:
    fake = course_fake(latency_per_call=latency)
    settings = bench_settings(data_dir, database_url)
    async with running_app(settings, fake) as (_app, client):
        token, _ = await signup(client)
        started = time.perf_counter()
        first_s, first = await timed_post(client, token, upload_body())
        assert first.status_code == 202, first.text
        await wait_done(client, token, first.json()["courseId"], timeout=120)
        generation_s = time.perf_counter() - started
        generation_calls = len(fake.calls)

        calls_before = len(fake.calls)
        repeat_lat: list[float] = []
        statuses: set[tuple[int, str]] = set()
        for _ in range(repeats):
            seconds, r = await timed_post(client, token, upload_body())
            repeat_lat.append(seconds)
            statuses.add((r.status_code, r.json().get("status", r.text[:80])))
        repeat_calls = len(fake.calls) - calls_before

        fresh_lat: list[float] = []
        fresh_statuses: dict[int, int] = {}
        for i in range(fresh):
            # distinct preferences → a distinct cache key → a new job (never a hit)
            seconds, r = await timed_post(client, token, upload_body(duration=30 + i))
            fresh_lat.append(seconds)
            fresh_statuses[r.status_code] = fresh_statuses.get(r.status_code, 0) + 1
    return {"generation_calls": generation_calls, "first_accept_ms": round(first_s * 1000, 2),
            "generation_wall_s": round(generation_s, 3),
            "repeat": {**summary_ms(repeat_lat), "llm_calls": repeat_calls,
                       "responses": sorted(f"{c} {s}" for c, s in statuses)},
            "fresh": {**summary_ms(fresh_lat), "responses": fresh_statuses}}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="coursegen-cache-bench-") as tmp:
        if args.db == "postgres":
            with throwaway_postgres() as url:
                return await bench(args.repeats, args.fresh, args.latency, url, Path(tmp))
        return await bench(args.repeats, args.fresh, args.latency, None, Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=30)
    parser.add_argument("--latency", type=float, default=0.2, help="fake LLM seconds per call")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    # cancelled graph tasks at shutdown leave langgraph coroutines un-awaited: noise, not signal
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited")
    result = run(main_async(args))
    rows = [
        {"request": "identical repeat (cache hit)", **result["repeat"]},
        {"request": "fresh generate (202 accept)", **result["fresh"], "llm_calls": None},
    ]
    title = (f"Generate latency through the API ({args.db}, in-process; fake LLM "
             f"{args.latency}s/call; the first generation took {result['generation_wall_s']}s "
             f"and {result['generation_calls']} LLM calls)")
    print_table(title, rows, ["request", "n", "p50_ms", "p99_ms", "mean_ms", "max_ms",
                              "llm_calls"])
    write_results("cache", {"params": vars(args), **result})


if __name__ == "__main__":
    main()
