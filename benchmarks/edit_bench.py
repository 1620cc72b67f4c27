"""Edit benchmark: an outline edit renaming 1 of 10 sections vs generating the whole course.

Through the API (in-process, SQLite, the course fake at a fixed latency per call, the LLM call
cache off so every call reaches the fake and is counted):
1. POST /generate a ~35-minute lecture (the samples laid end to end) sized to 10 sections,
   wait until completed: the LLM calls and input tokens of a full (re)generation;
2. PUT /outline renaming one section (the middle one), wait until the background rewrite
   completes: the LLM calls and input tokens of the edit (impact assessment included).
Calls and tokens are counted on the fake (what reached the model); the course's own usage
ledger (`generation.usage.totals`) is reported beside them as a cross-check.

    python -m benchmarks.edit_bench [--sections 10] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import long_transcript, print_table, run, write_results
from benchmarks.serve_fake import bench_settings, running_app
from sources.transcript import to_srt
from testkit.client import auth_headers, signup, wait_done
from testkit.scripted import FakeCall
from testkit.scripted_course import course_fake

STUDY_MINUTES_PER_SECTION = 8  # agents/outliner.py: one section per 8 minutes of study
LECTURE_MINUTES_PER_SECTION = 3.5  # transcript per section, as in pipeline_bench


def tally(calls: list[FakeCall]) -> dict[str, Any]:
    by_schema = Counter(c.schema_name for c in calls)
    return {"llm_calls": len(calls), "input_tokens": sum(c.input_tokens for c in calls),
            "output_tokens": sum(c.output_tokens for c in calls), "by_schema": dict(by_schema)}


async def bench(sections: int, latency: float, data_dir: Path) -> dict[str, Any]:
    fake = course_fake(latency_per_call=latency)
    settings = bench_settings(data_dir, LLM_CACHE=False)
    transcript = long_transcript(sections * LECTURE_MINUTES_PER_SECTION * 60)
    body = {"transcript": to_srt(transcript.segments), "title": "Edit benchmark lecture",
            "preferences": {"duration": sections * STUDY_MINUTES_PER_SECTION}}
    async with running_app(settings, fake) as (_app, client):
        token, _ = await signup(client)
        h = auth_headers(token)
        started = time.perf_counter()
        r = await client.post("/api/courses/generate", json=body, headers=h)
        assert r.status_code == 202, r.text
        course_id = r.json()["courseId"]
        done = await wait_done(client, token, course_id, timeout=300)
        assert done["final"]["status"] == "completed", done["final"]
        full_wall = time.perf_counter() - started
        full = tally(fake.calls)
        got = await client.get(f"/api/courses/{course_id}", headers=h)
        course = got.json()
        ledger = course["generation"]["usage"]["totals"]

        outline = course["outline"]["sections"]
        target = len(outline) // 2
        edited = [dict(s) for s in outline]
        edited[target]["title"] = f"{outline[target]['title']} (revised)"
        before = len(fake.calls)
        started = time.perf_counter()
        r = await client.put(f"/api/courses/outline/{course_id}", json={
            "outline": {"sections": edited}}, headers={**h, "If-Match": got.headers["etag"]})
        assert r.status_code == 200, r.text
        issues = r.json()["validationIssues"]
        done = await wait_done(client, token, course_id, timeout=300)
        assert done["final"]["status"] == "completed", done["final"]
        edit_wall = time.perf_counter() - started
        edit = tally(fake.calls[before:])
        after = (await client.get(f"/api/courses/{course_id}", headers=h)).json()
        changed = [i for i, (a, b) in enumerate(zip(course["sections"], after["sections"],
                                                    strict=True))
                   if a.get("content") != b.get("content")]
    return {"sections": len(outline), "transcript_minutes": round(transcript.duration / 60, 1),
            "renamed_index": target, "sections_rewritten": changed,
            "impacts": sorted(f"{i['kind']}:{i['severity']}" for i in issues),
            "full": {**full, "wall_s": round(full_wall, 3), "ledger_calls": ledger.get("calls"),
                     "ledger_input_tokens": ledger.get("input_tokens")},
            "edit": {**edit, "wall_s": round(edit_wall, 3)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05, help="fake LLM seconds per call")
    args = parser.parse_args()
    # cancelled graph tasks at shutdown leave langgraph coroutines un-awaited: noise, not signal
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited")
    with tempfile.TemporaryDirectory(prefix="coursegen-edit-bench-") as tmp:
        result = run(bench(args.sections, args.latency, Path(tmp)))
    full, edit = result["full"], result["edit"]
    rows = [{"run": "full generation", **full}, {"run": "rename 1 section", **edit},
            {"run": "edit ÷ full", "llm_calls": round(edit["llm_calls"] / full["llm_calls"], 3),
             "input_tokens": round(edit["input_tokens"] / full["input_tokens"], 3),
             "output_tokens": round(edit["output_tokens"] / full["output_tokens"], 3),
             "wall_s": round(edit["wall_s"] / full["wall_s"], 3)}]
    print_table(f"Outline edit vs full generation: {result['sections']} sections, "
                f"{result['transcript_minutes']} min transcript, fake LLM {args.latency}s/call",
                rows, ["run", "llm_calls", "input_tokens", "output_tokens", "wall_s"])
    print(f"full by schema: {full['by_schema']}  (course ledger: {full['ledger_calls']} calls, "
          f"{full['ledger_input_tokens']} input tokens)")
    print(f"edit by schema: {edit['by_schema']}; sections whose content changed: "
          f"{result['sections_rewritten']} (renamed: {result['renamed_index']}); "
          f"impacts: {result['impacts']}")
    write_results("edit", {"params": vars(args), **result})


if __name__ == "__main__":
    main()
