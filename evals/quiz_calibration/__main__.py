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

from evals.quiz_calibration import cassette
from evals.quiz_calibration.dataset import ITEMS_DIR, Lecture, dump_lecture, load_lectures
from evals.quiz_calibration.harness import lexical_problems, report, run


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evals.quiz_calibration", description=__doc__)
    p.add_argument("--lecture", action="append", default=[], help="only this lecture (repeat)")
    p.add_argument("--hold-out", action="append", default=[], help="leave this lecture out")
    p.add_argument("--lexical-only", action="store_true", help="skip the model-backed path")
    p.add_argument("--live", action="store_true",
                   help="ask the configured model (OPENAI_API_KEY / COURSEGEN_MODELS) instead of "
                        "replaying the recorded blind answers")
    p.add_argument("--requests", type=Path, metavar="DIR",
                   help="write the blind requests still to answer (with --all: every item) and "
                        "an answers.json to fill in, then stop")
    p.add_argument("--all", action="store_true", help="with --requests: every item")
    p.add_argument("--record", type=Path, metavar="FILE",
                   help="store a filled answers.json in the cassette, then stop")
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
    if args.record:
        print(f"recorded {cassette.record(lectures, args.record)} blind answers")
        return 0
    answers = cassette.load()
    # the model path asks only about what the lexical check rejects
    needed = {i.id for lec in lectures for i in lec.items if lexical_problems(lec, i)}
    if args.requests:
        ids = {i.id for lec in lectures for i in lec.items} if args.all else {
            s.split(":")[0] for s in cassette.stale(lectures, answers, needed)}
        print(f"wrote {cassette.write_requests(lectures, ids, args.requests)} requests "
              f"to {args.requests}")
        return 0
    model = None
    if args.live:
        from llm.client import build_llm_client

        model = build_llm_client()
    elif not args.lexical_only:
        missing = cassette.stale(lectures, answers, needed)
        if missing:
            print("\n".join(missing + ["record them: --requests DIR, answer, --record FILE"]),
                  file=sys.stderr)
            return 2
        model = cassette.replay_client(answers)
    scores = asyncio.run(run(lectures, model))
    print(report(scores, lectures))
    return 1 if any(s.misses() for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
