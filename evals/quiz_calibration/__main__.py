"""`python -m evals.quiz_calibration`: precision and recall of "keep" per verifier path.

Exit 0 when every target is met, 1 when one is missed, 2 when the set or the recorded blind
answers are inconsistent (the message names the items).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.quiz_calibration import cassette
from evals.quiz_calibration.dataset import ITEMS_DIR, Lecture, dump_lecture, load_lectures
from evals.quiz_calibration.harness import ask_all, report, run
from testkit.cassette import Cassette


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evals.quiz_calibration", description=__doc__)
    p.add_argument("--lecture", action="append", default=[], help="only this lecture (repeat)")
    p.add_argument("--hold-out", action="append", default=[], help="leave this lecture out")
    p.add_argument("--lexical-only", action="store_true", help="skip the model-backed path")
    p.add_argument("--live", action="store_true",
                   help="ask the configured model (OPENAI_API_KEY / COURSEGEN_MODELS) instead of "
                        "replaying the recorded blind answers")
    p.add_argument("--requests", type=Path, metavar="DIR",
                   help="write the blind requests the cassette cannot answer (with --all: every "
                        "item's) and an answers.json to fill in, then stop")
    p.add_argument("--all", action="store_true",
                   help="with --requests or --record: every item, kept lexically or not")
    p.add_argument("--record", type=Path, metavar="FILE",
                   help="run, answering the requests the cassette lacks from a filled "
                        "answers.json, and save them in the cassette")
    p.add_argument("--fill-seconds", action="store_true",
                   help="rewrite each item's seconds from its caption lines, then stop")
    return p


def _fill_seconds() -> int:
    for path in sorted(ITEMS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lec = Lecture.model_validate({**data, "items": []})
        for row in data["items"]:
            a, b = row["lines"]
            row["seconds"] = [round(lec.segments[a].start, 3), round(lec.segments[b].end, 3)]
        path.write_text(dump_lecture(data), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.fill_seconds:
        return _fill_seconds()
    lectures = [lec for lec in load_lectures()
                if (not args.lecture or lec.lecture in args.lecture)
                and lec.lecture not in args.hold_out]
    problems = [p for lec in lectures for p in lec.problems()]
    if problems or not lectures:
        print("\n".join(problems or ["no lecture selected"]), file=sys.stderr)
        return 2
    if args.lexical_only:
        scores = asyncio.run(run(lectures, None))
        print(report(scores, lectures))
        return 1 if any(s.misses() for s in scores) else 0
    recording: Cassette | None = None
    if args.live:
        from llm.client import build_llm_client

        model: Any = build_llm_client()
    elif args.record:
        model, recording = cassette.recorder(lectures, args.record)
    else:
        model, recording = cassette.replay()
    if args.record and args.all:
        asyncio.run(ask_all(lectures, model))
    scores = asyncio.run(run(lectures, model))
    unanswered = sorted({i for s in scores for i in s.unanswered()})
    if args.requests:
        ids = {i.id for lec in lectures for i in lec.items} if args.all else set(unanswered)
        print(f"wrote {cassette.write_requests(lectures, ids, args.requests)} requests "
              f"to {args.requests}")
        return 0
    if isinstance(recording, cassette.RecordingCassette):
        print(f"recorded {len(recording.saved)} blind answers")
    if unanswered:
        # a recording that no longer matches its request is named, with the first difference
        misses = [str(m) for m in recording.misses] if recording is not None else []
        hint = ("the model failed (see the log)" if args.live else
                "record them: --requests DIR, answer, --record DIR/answers.json")
        print("\n".join([f"no blind answer for: {', '.join(unanswered)}", *misses, hint]),
              file=sys.stderr)
        return 2
    print(report(scores, lectures))
    return 1 if any(s.misses() for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
