"""Extractive work per 1,000 cues, normal and pathological input, at two sizes (issue #29).

    python -m benchmarks.text_bench [--sizes 4000 16000] [--kinds normal cache ...]

Each input (testkit/pathological.py: "cache" is the report's 37k cues of "cache cache 0.") is
parsed and run through the whole extractive course (nlp.course.build_extractive_course: outline,
lessons, questions, flashcards) in this process; CPU time per 1,000 cues at each size, and the
ratio of the two per-1,000 figures (1.0 = linear; a quadratic step gives the size ratio).
Target: linear, < 0.5 s per 1,000 cues on 2 cores. Writes benchmarks/results/text.json.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from benchmarks.common import print_table, write_results
from nlp.course import build_extractive_course
from sources.transcript import parse_transcript
from testkit import pathological

TARGET_PER_1000 = 0.5


def per_thousand(kind: str, cues: int) -> dict[str, Any]:
    text = pathological.srt(kind, cues)
    cpu, wall = time.process_time(), time.perf_counter()
    transcript = parse_transcript(text)
    course = build_extractive_course([(s.start, s.end, s.text) for s in transcript.segments])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"kind": kind, "cues": cues, "chars": len(text), "sections": len(course["sections"]),
            "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "cpu_per_1000": round(cpu * 1000 / cues, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[4000, 16000])
    parser.add_argument("--kinds", nargs="+", default=["normal", "cache", "no_punctuation",
                                                       "repeated"],
                        choices=sorted(pathological.CUE_KINDS))
    args = parser.parse_args(argv)
    build_extractive_course(pathological.segments("normal", 50))  # imports and model warm-up
    rows: list[dict[str, Any]] = []
    for kind in args.kinds:
        small, big = (per_thousand(kind, n) for n in args.sizes)
        big["linearity"] = round(big["cpu_per_1000"] / max(small["cpu_per_1000"], 1e-9), 2)
        big["meets_target"] = big["cpu_per_1000"] < TARGET_PER_1000
        rows += [small, big]
    print_table("extractive course: CPU seconds per 1,000 cues", rows,
                ["kind", "cues", "chars", "sections", "cpu_s", "wall_s", "cpu_per_1000",
                 "linearity", "meets_target"])
    write_results("text", {"params": vars(args), "rows": rows,
                           "target_per_1000_s": TARGET_PER_1000})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
