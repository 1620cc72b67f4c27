"""Checkpoint put/get latency for a 30-section course state: Redis vs SQLite vs Postgres.

    python -m benchmarks.checkpoint_bench [--runs 200] [--redis-url ...] [--postgres-url ...]

Three operations per backend, each timed N times on one thread, one checkpoint chain:
  put_full   every channel changed (the first checkpoint after sections are written)
  put_small  only a small channel changed (a typical step: progress / current node)
  get        aget_tuple of the latest checkpoint (what a resume or /status reads)
Writes the table to stdout and JSON to benchmarks/results/checkpoint.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import string
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, empty_checkpoint
from langgraph.checkpoint.base.id import uuid6

RESULTS = Path(__file__).parent / "results" / "checkpoint.json"


def _text(rng: random.Random, n: int) -> str:
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(n)]
    return " ".join(words)


def course_state(sections: int = 30, seed: int = 7) -> dict[str, Any]:
    """Channel values shaped like the course graph's state (~200 KB of JSON-ish data)."""
    rng = random.Random(seed)
    outline = {
        "title": _text(rng, 6),
        "description": _text(rng, 40),
        "sections": [
            {
                "id": f"s{i}",
                "title": _text(rng, 5),
                "summary": _text(rng, 30),
                "startSeconds": i * 60.0,
                "endSeconds": i * 60.0 + 59,
            }
            for i in range(sections)
        ],
    }
    contents = [
        {
            "sectionId": f"s{i}",
            "markdown": _text(rng, 700),  # ~5 KB of lesson text per section
            "keyPoints": [_text(rng, 12) for _ in range(4)],
            "examples": [_text(rng, 25) for _ in range(2)],
            "sourceRefs": [{"startSeconds": i * 60.0, "endSeconds": i * 60.0 + 30}],
        }
        for i in range(sections)
    ]
    quizzes = [
        {
            "sectionId": f"s{i}",
            "questions": [
                {
                    "id": f"q{i}-{j}",
                    "type": "mcq",
                    "prompt": _text(rng, 15),
                    "options": [_text(rng, 4) for _ in range(4)],
                    "answer": 0,
                    "explanation": _text(rng, 20),
                }
                for j in range(3)
            ],
        }
        for i in range(sections)
    ]
    return {
        "outline": outline,
        "sections": contents,
        "quizzes": quizzes,
        "current_step": "write_section",
        "progress": 0.5,
    }


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(saver: BaseCheckpointSaver, runs: int) -> dict[str, dict[str, float]]:
    state = course_state()
    thread = f"bench-{uuid.uuid4()}"
    config: RunnableConfig = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    versions: dict[str, Any] = {}
    timings: dict[str, list[float]] = {"put_full": [], "put_small": [], "get": []}

    async def put(changed: list[str]) -> None:
        nonlocal config
        for ch in changed:
            versions[ch] = saver.get_next_version(versions.get(ch), None)
        cp = empty_checkpoint()
        cp["id"] = str(uuid6(clock_seq=len(timings["put_full"])))
        cp["channel_values"] = dict(state)
        cp["channel_versions"] = dict(versions)
        new = {ch: versions[ch] for ch in changed}
        config = await saver.aput(config, cp, {"source": "loop", "step": 1}, new)

    try:
        for _ in range(runs):
            for op, changed in (("put_full", list(state)), ("put_small", ["progress"])):
                t0 = time.perf_counter()
                await put(changed)
                timings[op].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            tup = await saver.aget_tuple(
                {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
            )
            timings["get"].append(time.perf_counter() - t0)
            assert tup is not None and len(tup.checkpoint["channel_values"]["sections"]) == 30
    finally:
        await saver.adelete_thread(thread)
    return {
        op: {
            "p50_ms": _pct(s, 0.5) * 1e3,
            "p99_ms": _pct(s, 0.99) * 1e3,
            "mean_ms": statistics.fmean(s) * 1e3,
        }
        for op, s in timings.items()
    }


@asynccontextmanager
async def _redis(url: str) -> AsyncIterator[BaseCheckpointSaver]:
    from infra.checkpoint_redis import PlainRedisSaver

    async with PlainRedisSaver.from_url(
        url, ttl_seconds=3600, prefix=f"bench:{uuid.uuid4().hex[:8]}"
    ) as s:
        yield s


@asynccontextmanager
async def _sqlite(_: str) -> AsyncIterator[BaseCheckpointSaver]:
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    with tempfile.TemporaryDirectory() as tmp:
        async with AsyncSqliteSaver.from_conn_string(str(Path(tmp) / "cp.sqlite")) as s:
            await s.setup()
            yield s


@asynccontextmanager
async def _postgres(url: str) -> AsyncIterator[BaseCheckpointSaver]:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    async with AsyncPostgresSaver.from_conn_string(url) as s:
        await s.setup()
        yield s


async def main(args: argparse.Namespace) -> dict[str, Any]:
    backends: list[tuple[str, Callable[[str], AbstractAsyncContextManager], str]] = [
        ("PlainRedisSaver", _redis, args.redis_url),
        ("AsyncSqliteSaver", _sqlite, ""),
        ("AsyncPostgresSaver", _postgres, args.postgres_url),
    ]
    size = len(json.dumps(course_state()).encode())
    results: dict[str, Any] = {}
    for name, opener, url in backends:
        try:
            async with opener(url) as saver:
                await measure(saver, 5)  # warm-up: connections, prepared statements, scripts
                results[name] = await measure(saver, args.runs)
        except (OSError, ConnectionError, ImportError) as exc:
            results[name] = {"skipped": f"{type(exc).__name__}: {exc}"}
        except Exception as exc:  # a backend that is absent must not hide the others' figures
            if "connect" not in str(exc).lower():
                raise
            results[name] = {"skipped": f"{type(exc).__name__}: {exc}"}
    print(f"\nstate ~{size / 1024:.0f} KB JSON, 30 sections, {args.runs} runs each\n")
    print(f"{'backend':20} {'op':10} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for name, ops in results.items():
        if "skipped" in ops:
            print(f"{name:20} skipped: {ops['skipped']}")
            continue
        for op, st in ops.items():
            print(f"{name:20} {op:10} {st['p50_ms']:8.2f} {st['p99_ms']:8.2f} {st['mean_ms']:8.2f}")
    report = {
        "state_bytes": size,
        "runs": args.runs,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(f"\nwritten {RESULTS}")
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    asyncio.run(main(parser.parse_args()))
