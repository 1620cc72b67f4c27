"""The embedded default as a new user meets it: `coursegen generate` on the extractive strategy.

    python -m benchmarks.embedded_bench [--install]

Runs the README's generate command (a fresh data dir each time, so migrations and start-up
count) on the sample lecture and on the 2-hour networking lecture, in subprocesses, and reports
wall time and peak RSS against the targets (60 s for the README command, 30 s and 500 MB for
2 hours of transcript) as ratios: below 1.0 meets the target. `--install` also times
`scripts/bootstrap.sh` in a fresh clone with an empty uv cache (needs the package index).
Writes benchmarks/results/embedded.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import print_table, write_results

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "sample lecture (10 min)": (ROOT / "samples" / "sample_lecture.srt", 60.0, None),
    "networking lecture (2 h 13 min)": (
        ROOT / "evals" / "datasets" / "core" / "networking-lecture.srt", 30.0, 500.0),
}


def generate(source: Path, workdir: Path) -> dict[str, Any]:
    """One `coursegen generate` run; peak RSS of that child alone (RUSAGE_CHILDREN is a
    high-water mark over all children, so each run gets a fresh interpreter)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "COURSEGEN_MODELS", "LLM_CHAT_FACTORY",
                        "DATABASE_URL", "REDIS_URL")}
    env["COURSEGEN_DATA_DIR"] = str(workdir / "data")
    out = workdir / "course.json"
    code = (
        "import resource, subprocess, sys, json, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'code': p.returncode, 'wall': wall, 'rss_kb': rss,"
        " 'err': p.stderr[-400:]}))\n"
    )
    cmd = [sys.executable, "-c", code, str(ROOT / ".venv" / "bin" / "coursegen"), "generate",
           str(source), "--duration", "16", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"generate failed: {result['err']}")
    course = json.loads(out.read_text())
    sections = course["sections"]
    result["sections"] = len(sections)
    result["questions"] = sum(len(s["supplement"]["quiz"]["questions"]) for s in sections)
    result["flashcards"] = sum(len(s["supplement"]["flashcards"]) for s in sections)
    return result


def install_seconds() -> float:
    """bootstrap.sh in a fresh clone with an empty uv cache: downloads every wheel."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {**os.environ, "UV_CACHE_DIR": str(Path(tmp) / "uv-cache"),
               "PIP_NO_CACHE_DIR": "1"}
        started = time.perf_counter()
        subprocess.run(["bash", "scripts/bootstrap.sh"], cwd=clone, env=env, check=True)
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--install", action="store_true", help="also time a cold install")
    args = parser.parse_args(argv)
    if not (ROOT / ".venv" / "bin" / "coursegen").exists():
        raise SystemExit("run ./scripts/bootstrap.sh first")
    rows: list[dict[str, Any]] = []
    results: dict[str, Any] = {}
    for name, (source, target_s, target_mb) in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            r = generate(source, Path(tmp))
        mb = r["rss_kb"] / 1024
        results[name] = {**r, "peak_rss_mb": round(mb, 1), "target_seconds": target_s,
                         "target_mb": target_mb}
        rows.append({"case": name, "wall s": round(r["wall"], 1),
                     "wall/target": round(r["wall"] / target_s, 2), "peak MB": round(mb),
                     "MB/target": round(mb / target_mb, 2) if target_mb else "-",
                     "sections": r["sections"], "questions": r["questions"],
                     "cards": r["flashcards"]})
    print_table("coursegen generate on the embedded default", rows,
                ["case", "wall s", "wall/target", "peak MB", "MB/target", "sections",
                 "questions", "cards"])
    if args.install:
        secs = install_seconds()
        results["cold install"] = {"seconds": round(secs, 1), "target_seconds": 180}
        print(f"cold install (empty uv cache): {secs:.1f}s = {secs / 180:.2f} of 3 minutes")
    write_results("embedded", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
