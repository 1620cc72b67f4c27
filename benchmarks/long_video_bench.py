"""A 3-hour lecture through the whole course graph on the fake LLM: wall time and peak memory.

    python -m benchmarks.long_video_bench [--hours 3] [--checkpointer sqlite|memory|none]
                                          [--call-latency 0.2] [--token-latency 0.0005]
                                          [--tracemalloc]

The transcript is the shipped sample (plus ../shared/data/transcripts/*.srt when present) laid
end to end with shifted timestamps until it is `--hours` long. The run uses the settings' default
concurrency (WRITER_CONCURRENCY, LLM_MAX_CONCURRENCY), an 8k-token model window (so the analysis
goes map-reduce) and, by default, the embedded SQLite checkpointer in a temp dir.
Peak RSS is the process high-water mark during the run (Linux: reset through
/proc/self/clear_refs first; elsewhere ru_maxrss, which includes start-up). `--tracemalloc` adds
the Python-heap peak (slower: wall time is then not comparable).
Writes benchmarks/results/long_video.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from benchmarks.common import (
    bench_client,
    long_transcript,
    print_table,
    run,
    sample_transcripts,
    timed_fake,
    write_results,
)
from core.config import Settings, get_settings
from core.domain import GeneratedCourse
from graph.course import compile_course_graph
from graph.runner import run_graph
from infra.checkpoint import open_checkpointer
from llm.tokens import count_tokens
from pipeline.context import CourseContext
from sources.transcript import format_for_prompt

MB = 1024 * 1024


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark (VmHWM) so the peak is this run's, not start-up's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def rss_mb() -> float:
    now = _status_kb("VmRSS")
    return now / 1024 if now is not None else peak_rss_mb()


async def run_long(args: argparse.Namespace) -> dict[str, Any]:
    transcript = long_transcript(args.hours * 3600, title=f"{args.hours:g}-hour lecture")
    transcript_tokens = count_tokens(format_for_prompt(transcript.segments))
    base = get_settings()
    fake = timed_fake(args.call_latency, args.token_latency)
    llm = bench_client(fake, concurrency=base.llm_max_concurrency,
                       initial=base.llm_initial_concurrency)
    ctx = CourseContext(llm=llm, writer_concurrency=base.writer_concurrency)
    async with AsyncExitStack() as stack:
        saver = None
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="coursegen-bench-"))
        if args.checkpointer != "none":
            settings = Settings(COURSEGEN_DATA_DIR=Path(tmp), CHECKPOINTER=args.checkpointer)
            saver = await stack.enter_async_context(open_checkpointer(settings))
        graph = compile_course_graph(saver)
        rss_before = rss_mb()
        exact_peak = reset_peak_rss()
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        state = await run_graph(graph, {"course_id": "bench-long", "title": transcript.title,
                                        "transcript": transcript.model_dump()},
                                ctx=ctx, thread_id="bench-long")
        wall = time.perf_counter() - started
        heap_peak = tracemalloc.get_traced_memory()[1] / MB if args.tracemalloc else None
        if args.tracemalloc:
            tracemalloc.stop()
        peak = peak_rss_mb()
        db = Path(tmp) / "checkpoints.sqlite"
        db_mb = db.stat().st_size / MB if db.exists() else None
    course = GeneratedCourse.model_validate(state["course"])
    totals = llm.usage.totals()
    calls = fake.timings
    return {
        "hours": args.hours, "sources": len(sample_transcripts()),
        "segments": len(transcript.segments), "transcript_tokens": transcript_tokens,
        "transcript_json_mb": len(json.dumps(transcript.model_dump())) / MB,
        "checkpointer": args.checkpointer, "sections": len(course.sections),
        "analyze_parts": sum(1 for c in calls if c.schema == "Analysis"),
        "merge_calls": sum(1 for c in calls if c.schema == "AnalysisSummary"),
        "llm_calls": totals.calls, "input_per_transcript": totals.input_tokens / transcript_tokens,
        "wall_s": wall, "rss_before_mb": rss_before, "peak_rss_mb": peak,
        "peak_rss_exact": exact_peak, "peak_over_before_mb": peak - rss_before,
        "python_heap_peak_mb": heap_peak, "checkpoint_db_mb": db_mb,
        "validation_issues": len(state.get("validation_issues") or []),
        "warnings": state.get("warnings") or [],
        "graph_concurrency": base.writer_concurrency, "llm_concurrency": base.llm_max_concurrency,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--checkpointer", choices=["sqlite", "memory", "none"], default="sqlite")
    parser.add_argument("--call-latency", type=float, default=0.2, help="seconds per LLM call")
    parser.add_argument("--token-latency", type=float, default=0.0005,
                        help="seconds per output token")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the Python heap peak (slows the run)")
    args = parser.parse_args()
    row = run(run_long(args))
    print_table(f"Long video on the fake LLM ({args.call_latency}s/call + "
                f"{args.token_latency * 1000:g}ms/output token)", [row],
                ["hours", "segments", "transcript_tokens", "sections", "analyze_parts",
                 "llm_calls", "wall_s", "rss_before_mb", "peak_rss_mb", "peak_over_before_mb",
                 "python_heap_peak_mb", "checkpoint_db_mb", "checkpointer"])
    write_results("long_video", {"params": vars(args), "run": row})
