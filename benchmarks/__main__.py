"""Run the benchmarks: `python -m benchmarks [name ...]` (all when no name is given).

Names are the `<name>_bench.py` scripts beside this file (pipeline, long_video, checkpoint,
cache, edit, api, workers, embedded, faults, fixedcost, ...).
Each runs in its own process with its default arguments, so one's memory or event loop never
skews another's figures; each prints its table and writes benchmarks/results/<name>.json.
Run one script directly for its options: `python -m benchmarks.pipeline_bench --help`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def available() -> list[str]:
    return sorted(p.stem.removesuffix("_bench") for p in HERE.glob("*_bench.py"))


def main(argv: list[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="name", help=f"any of: {', '.join(names)}")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {names}")
    failed = []
    for name in args.names or names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{name}_bench"],
                               cwd=HERE.parent)
        print(f"=== {name}: {'ok' if code == 0 else f'exit {code}'} "
              f"in {time.perf_counter() - started:.1f}s ===", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
