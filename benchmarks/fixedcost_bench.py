"""Fixed cost of one short course through the API: our own time between the provider's calls,
and the characters we send it.

    python -m benchmarks.fixedcost_bench [--latency 0.3] [--minutes 10] [--runs 3]

`coursegen serve` runs as a subprocess (SQLite, in-process jobs, the SQLite checkpointer,
embedded defaults otherwise) with its one model behind testkit/fake_openai.py, an
OpenAI-compatible HTTP server in this process answering every call `--latency` seconds after
it arrives (its own work included). The lecture is the shipped sample cut to its first
`--minutes` minutes, asked for `--duration` 40 minutes of study (5 sections: analysis, outline,
5 lessons, 5 quizzes — the 12 calls of issue 19). A user signs up over HTTP, POSTs the
transcript to /api/courses/generate and reads the course's SSE stream (no polling) until its
`completed` event.

The fake logs each call's arrival and answer on this process's monotonic clock, so:
- **wall**: from just before the POST to the `completed` event read from the stream;
- **llm busy**: the union of the calls' in-flight intervals inside that window;
- **idle**: wall − busy, the time no call was in flight — our own overhead (job start,
  checkpoints, progress writes, validation, persistence, the stream) — split into before the
  first call, between calls and after the last one. **Target: < 0.3 s.**
- **input chars**: the characters of every message's content over all calls (the JSON schema
  sent as the tool definition is counted apart, `schema_chars`), and that ÷ the plain
  transcript's characters (its cue texts joined by spaces). **Target ≤ 36,428** for the
  10-minute lecture of issue 19 (a strictly sequential peer design's figure), that is at most
  the peer's 3.31x the transcript for this one.

Run 1 is the first course in the server process (imports, client and pool set-up: `cold`);
the figures are the median of runs 2..N+1 (`warm`). Each run sends the same transcript with its
cues numbered differently, so it is not served from the course cache while its prompts stay
byte-identical. The finished course is read back: sections with a lesson, with a quiz, quiz
questions that pass the quiz verifier against their section's slice, and the evals'
groundedness (lesson sentences supported by the section's slice).
Writes benchmarks/results/fixedcost.json.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

from benchmarks.faults_bench import api_env, coursegen_serve
from benchmarks.report import ROOT, print_table, write_results
from core.domain import GeneratedCourse
from nlp.quiz_verifier import verify_question
from pipeline.sections import owned_segments
from sources.transcript import parse_transcript
from testkit.fake_openai import CallRecord, FakeOpenAIServer, Faults

SAMPLE = ROOT / "samples" / "sample_lecture.srt"
PEER_INPUT_CHARS = 36_428  # a strictly sequential peer design, 10-minute lecture (issue 19)
# That figure's lecture is, by its other figures (12 calls, 3.03 s, 4.3x its transcript), the
# 10.8-minute PY4E "Python Lists" talk of ../shared (10,989 plain characters): the peer sends
# 3.31x the transcript, the bar for a lecture of another length.
PEER_PER_TRANSCRIPT = PEER_INPUT_CHARS / 10_989
NODE_OF = {"Analysis": "analyze", "AnalysisSummary": "analyze", "CourseOutline": "outline",
           "LessonDraft": "write_section", "SupplementDraft": "supplement"}
_STAMP = re.compile(r"(\d+):(\d\d):(\d\d)[,.](\d+)\s*-->")


def cut_srt(text: str, minutes: float, first_index: int = 1) -> str:
    """The cues starting before `minutes`, renumbered from `first_index`."""
    kept: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().splitlines()
        stamp = next((_STAMP.search(ln) for ln in lines if _STAMP.search(ln)), None)
        if stamp is None:
            continue
        h, m, s, _ = (int(g) for g in stamp.groups())
        if h * 3600 + m * 60 + s >= minutes * 60:
            break
        body = [ln for ln in lines if not ln.strip().isdigit()]
        kept.append("\n".join([str(first_index + len(kept)), *body]))
    return "\n\n".join(kept) + "\n"


def timeline(calls: list[CallRecord], start: float, end: float) -> dict[str, Any]:
    """Busy (union of in-flight intervals) and idle time inside [start, end]; `gaps` names
    each idle stretch by the call that ended it."""
    spans = sorted((max(c.started, start), min(c.ended, end), c.schema) for c in calls)
    spans = [(a, b, n) for a, b, n in spans if b > a]
    busy, between, cursor = 0.0, 0.0, None
    gaps = [[spans[0][2], round(spans[0][0] - start, 4)]] if spans else []
    for a, b, name in spans:
        if cursor is None:
            busy += b - a
            cursor = b
        elif a > cursor:
            between += a - cursor
            gaps.append([name, round(a - cursor, 4)])
            busy += b - a
            cursor = b
        elif b > cursor:
            busy += b - cursor
            cursor = b
    before = spans[0][0] - start if spans else end - start
    after = end - cursor if cursor is not None else 0.0
    gaps.append(["completed", round(after, 4)])
    return {"llm_busy_s": busy, "idle_s": before + between + after, "idle_before_first_s":
            before, "idle_between_s": between, "idle_after_last_s": after, "gaps": gaps}


def course_checks(course: dict[str, Any], srt: str) -> dict[str, Any]:
    """Every section has a lesson and a quiz; quiz keys verified and lessons grounded in the
    section's own slice."""
    from evals.dataset import EvalItem
    from evals.evaluators.grounding import groundedness

    generated = GeneratedCourse.model_validate({"outline": course["outline"],
                                                "sections": course["sections"]})
    transcript = parse_transcript(srt, title="fixedcost")
    language = generated.outline.language
    questions = verified = 0
    for sec in generated.sections:
        piece = owned_segments(transcript.segments, sec.outline.start_seconds,
                                   sec.outline.end_seconds)
        for q in (sec.supplement.quiz.questions if sec.supplement else []):
            questions += 1
            unplaced = q.model_copy(update={"source_ref": None})
            verified += not verify_question(unplaced, [(g.start, g.end, g.text) for g in piece],
                                            language)
    item = EvalItem(id="fixedcost", path=SAMPLE, transcript=transcript, content_hash="-")
    grounded = groundedness(generated, item)
    return {
        "sections": len(generated.sections),
        "with_lesson": sum(bool(s.content and s.content.markdown.strip())
                           for s in generated.sections),
        "with_quiz": sum(bool(s.supplement and s.supplement.quiz.questions)
                         for s in generated.sections),
        "questions": questions, "questions_verified": verified,
        "groundedness": round(grounded["score"] or 0.0, 3),
        "validation_issues": len((course.get("generation") or {}).get("validationIssues") or []),
    }


async def until_completed(client: httpx.AsyncClient, course_id: str, cap: float) -> str:
    """Read the SSE stream until a terminal event; returns its type."""
    async with client.stream("GET", f"/api/courses/{course_id}/events",
                             timeout=cap) as stream:
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
                if kind in ("completed", "failed", "cancelled"):
                    return kind
    return "stream ended"


async def one_course(client: httpx.AsyncClient, server: FakeOpenAIServer, srt: str, run: int,
                     duration: int, cap: float) -> dict[str, Any]:
    body = {"transcript": srt, "title": "Fixed cost lecture",
            "preferences": {"duration": duration}}
    first = len(server.log)
    posted = time.monotonic()
    accepted = await client.post("/api/courses/generate", json=body)
    accepted.raise_for_status()
    course_id = accepted.json()["courseId"]
    outcome = await until_completed(client, course_id, cap)
    done = time.monotonic()
    calls = [c for c in server.log[first:] if c.started < done]
    row: dict[str, Any] = {"run": run, "outcome": outcome, "http": accepted.status_code,
                           "wall_s": done - posted, "calls": len(calls),
                           "calls_500": sum(c.status != 200 for c in calls),
                           **timeline(calls, posted, done),
                           "input_chars": sum(c.input_chars for c in calls),
                           "schema_chars": sum(c.schema_chars for c in calls)}
    by_node: dict[str, dict[str, int]] = defaultdict(lambda: {"calls": 0, "input_chars": 0,
                                                              "schema_chars": 0})
    for c in calls:
        node = by_node[NODE_OF.get(c.schema, c.schema)]
        node["calls"] += 1
        node["input_chars"] += c.input_chars
        node["schema_chars"] += c.schema_chars
    row["by_node"] = dict(by_node)
    course = (await client.get(f"/api/courses/{course_id}")).json()
    row["course"] = course_checks(course, srt)
    return row


async def run_all(url: str, server: FakeOpenAIServer, sample: str, minutes: float, runs: int,
                  duration: int, cap: float) -> list[dict[str, Any]]:
    rows = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        signup = await client.post("/api/auth/signup", json={
            "email": f"fixedcost-{secrets.token_hex(4)}@example.com",
            "password": "Bench-pass-1234", "name": "Fixed cost"})
        signup.raise_for_status()
        client.headers["Authorization"] = f"Bearer {signup.json()['token']}"
        for run in range(runs + 1):
            # renumbered cues: a new course-cache key, the same parsed transcript and prompts
            srt = cut_srt(sample, minutes, first_index=1 + 1000 * run)
            row = await one_course(client, server, srt, run, duration, cap)
            gaps = ", ".join(f"{n} {1000 * s:.0f}" for n, s in row["gaps"])
            print(f"  run {run}: {row['outcome']} in {row['wall_s']:.2f} s, idle "
                  f"{row['idle_s']:.2f} s ({gaps} ms), {row['calls']} calls, "
                  f"{row['input_chars']} chars", flush=True)
            rows.append(row)
    return rows


def summary(rows: list[dict[str, Any]], transcript_chars: int) -> dict[str, Any]:
    keys = ["wall_s", "calls", "llm_busy_s", "idle_s", "idle_before_first_s", "idle_between_s",
            "idle_after_last_s", "input_chars", "schema_chars"]
    med = {k: statistics.median(r[k] for r in rows) for k in keys}
    med["input_per_transcript"] = med["input_chars"] / transcript_chars
    med["input_per_peer"] = med["input_chars"] / PEER_INPUT_CHARS
    med["input_per_peer_ratio"] = med["input_per_transcript"] / PEER_PER_TRANSCRIPT
    return med


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per LLM call")
    parser.add_argument("--minutes", type=float, default=10.0, help="lecture cut to this long")
    parser.add_argument("--duration", type=int, default=40,
                        help="study minutes asked for (preferences.duration; 40 → 5 sections)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs after the cold one")
    parser.add_argument("--cap", type=float, default=120.0, help="give up on a course after")
    parser.add_argument("--checkpointer", default="sqlite", choices=["sqlite", "memory"],
                        help="CHECKPOINTER of the server (memory: what checkpoints cost)")
    parser.add_argument("--srt", type=Path, default=SAMPLE, help="the lecture (.srt) to cut")
    args = parser.parse_args(argv)
    sample = args.srt.read_text()
    lecture = parse_transcript(cut_srt(sample, args.minutes))
    transcript_chars = len(" ".join(s.text for s in lecture.segments))
    with tempfile.TemporaryDirectory() as tmp, \
            FakeOpenAIServer(Faults(answer_seconds=args.latency)) as server:
        env = api_env(Path(tmp) / "data", server.base_url)
        env.pop("LLM_CACHE")  # the API installs no LLM call cache; keep its default anyway
        env["CHECKPOINTER"] = args.checkpointer
        with coursegen_serve(env) as url:
            rows = asyncio.run(run_all(url, server, sample, args.minutes, args.runs,
                                       args.duration, args.cap))
    warm = summary(rows[1:] or rows, transcript_chars)
    table = [{"run": "cold" if r["run"] == 0 else r["run"], **{k: v for k, v in r.items()
                                                              if k != "run"}} for r in rows]
    table.append({"run": "median warm", **warm})
    print_table(f"POST → completed, {args.minutes:g}-minute lecture, {lecture.duration:.0f} s, "
                f"LLM {args.latency} s/call (coursegen serve, SQLite, SSE)", table,
                ["run", "wall_s", "calls", "llm_busy_s", "idle_s", "idle_before_first_s",
                 "idle_between_s", "idle_after_last_s", "input_chars", "schema_chars"])
    nodes = sorted({n for r in rows for n in r["by_node"]})
    last = rows[-1]
    print_table("input by node (last run)", [{"node": n, **last["by_node"][n]} for n in nodes],
                ["node", "calls", "input_chars", "schema_chars"])
    print_table("course checks", [{"run": r["run"], **r["course"]} for r in rows],
                ["run", "sections", "with_lesson", "with_quiz", "questions",
                 "questions_verified", "groundedness", "validation_issues"])
    cold = rows[0]
    print(f"\nplain transcript {transcript_chars} chars; input {warm['input_chars']:.0f} chars "
          f"= {warm['input_per_transcript']:.2f}x the transcript (peer {PEER_PER_TRANSCRIPT:.2f}x:"
          f" ours ÷ peer {warm['input_per_peer_ratio']:.2f}; vs the absolute {PEER_INPUT_CHARS}: "
          f"{warm['input_per_peer']:.2f}); idle cold {cold['idle_s']:.3f} s, warm "
          f"{warm['idle_s']:.3f} s (target < 0.3)")
    write_results("fixedcost", {
        "settings": {"latency_s": args.latency, "minutes": args.minutes, "runs": args.runs,
                     "study_minutes": args.duration, "checkpointer": args.checkpointer,
                     "transcript_seconds": lecture.duration,
                     "transcript_chars": transcript_chars, "peer_input_chars": PEER_INPUT_CHARS,
                     "peer_per_transcript": round(PEER_PER_TRANSCRIPT, 3),
                     "progress": "SSE /api/courses/{id}/events"},
        "cold": {k: v for k, v in cold.items() if k not in ("by_node", "course")},
        "median_warm": warm, "runs": rows})
    complete = all(r["outcome"] == "completed" for r in rows)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
