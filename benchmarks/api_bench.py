"""API benchmark: GET status and POST generate on loopback, 10 and 100 concurrent clients.

uvicorn runs `benchmarks.serve_fake:create_fake_app` as a subprocess (1 worker, in-process jobs,
the course fake at `--latency` s per call) for each storage combination: SQLite or Postgres (a
throwaway schema), each without and with Redis (REDIS_URL set → Redis progress bus, response
cache and sign-in throttle; a free Redis db number, its coursegen:* keys deleted afterwards).
Load comes from wrk when installed (a Lua script gives every POST distinct preferences and
counts status codes), else from an httpx.AsyncClient load loop in this process — either way a
separate process from the server, sharing the machine's cores with it.

Per combination, one server: GET status (of a completed course) at 10 then 100 clients, then
POST generate at 10 and 100 clients, each POST cell starting once the jobs queued before it
have finished (`jobs_drained_before_s` in the JSON; None = still busy after --drain s). Every
POST carries distinct preferences (a unique language tag), so none is a cache hit: each
creates a course and queues a job, and the jobs pile up in the server process while it accepts
more. Tier limits are raised so the cells measure the API, not 429s (any non-2xx is reported
in `codes`, transport errors and timeouts in `errors`).

    python -m benchmarks.api_bench [--seconds 3] [--latency 0.3] [--client auto|wrk|httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import ROOT, print_table, run, write_results
from benchmarks.serve_fake import server_env, throwaway_postgres
from testkit import services
from testkit.client import upload_body

REDIS_BASE = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DBS = (13, 14, 15, 12, 11)  # the first empty one is used


WRK_SCRIPT = """
local threads, n = {}, 0
function setup(thread)
  thread:set("tid", n); n = n + 1; table.insert(threads, thread)
end
codes, counter = {}, 0
wrk.method = "%(method)s"
local prefix, suffix = [==[%(prefix)s]==], [==[%(suffix)s]==]
local paths = {%(paths)s}
if #paths > 0 then  -- GET over several paths in turn (each thread from its own offset)
  function request()
    counter = counter + 1
    return wrk.format(nil, paths[(counter + tid) %% #paths + 1])
  end
elseif prefix ~= "" then  -- POST: a distinct body per request (else wrk reuses one request)
  function request()
    counter = counter + 1
    return wrk.format(nil, nil, nil, prefix .. "-t" .. tid .. "-n" .. counter .. suffix)
  end
end
function response(status) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency)
  local merged = {}
  for _, t in ipairs(threads) do
    for code, k in pairs(t:get("codes")) do merged[code] = (merged[code] or 0) + k end
  end
  local parts = {}
  for code, k in pairs(merged) do table.insert(parts, '"' .. code .. '":' .. k) end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%%d,"duration_us":%%d,"p50_us":%%d,' ..
    '"p99_us":%%d,"errors":%%d,"codes":{%%s}}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    codes: dict[str, int]
    errors: int  # connect/read/write errors and timeouts (no HTTP status)

    def row(self) -> dict[str, Any]:
        return {"requests": self.requests, "rps": round(self.requests / self.seconds, 1),
                "p50_ms": round(self.p50_ms, 2), "p99_ms": round(self.p99_ms, 2),
                "codes": " ".join(f"{c}:{k}" for c, k in sorted(self.codes.items())),
                "errors": self.errors}


def wrk_load(url: str, *, method: str, headers: dict[str, str], connections: int,
             seconds: float, body_parts: tuple[str, str] | None,
             paths: list[str] | None = None) -> LoadResult:
    prefix, suffix = body_parts or ("", "")
    lua_paths = ", ".join(f'"{p}"' for p in paths or [])
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % {"prefix": prefix, "suffix": suffix, "method": method,
                              "paths": lua_paths})
    try:
        cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s",
               "--timeout", "30s", "-s", f.name]
        for name, value in headers.items():
            cmd += ["-H", f"{name}: {value}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(f.name)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    return LoadResult(data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                      data["p99_us"] / 1000, data["codes"], data["errors"])


async def httpx_load(url: str, *, method: str, headers: dict[str, str], concurrency: int,
                     seconds: float, body_parts: tuple[str, str] | None) -> LoadResult:
    """`concurrency` clients, each sending its next request as soon as the last one answers."""
    latencies: list[float] = []
    codes: dict[str, int] = {}
    errors, counter = 0, 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(c: httpx.AsyncClient, worker: int, deadline: float) -> None:
        nonlocal errors, counter
        while time.perf_counter() < deadline:
            counter += 1
            content = (f"{body_parts[0]}-t{worker}-n{counter}{body_parts[1]}"
                       if body_parts else None)
            started = time.perf_counter()
            try:
                r = await c.request(method, url, headers=headers, content=content)
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)
            codes[str(r.status_code)] = codes.get(str(r.status_code), 0) + 1

    async with httpx.AsyncClient(limits=limits, timeout=30) as c:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(client_loop(c, i, deadline) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    ms = sorted(v * 1000 for v in latencies) or [0.0]
    return LoadResult(len(latencies), elapsed, statistics.median(ms),
                      ms[min(len(ms) - 1, int(0.99 * len(ms)))], codes, errors)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def uvicorn_server(env: dict[str, str], log_path: Path,
                   pid_out: list[int] | None = None) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "benchmarks.serve_fake:create_fake_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-access-log",
           "--log-level", "warning"]
    with log_path.open("ab") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=log)
    if pid_out is not None:
        pid_out.append(proc.pid)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited {proc.returncode}; see {log_path}")
            with suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer in 60 s; see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)  # graceful: the lifespan cancels queued jobs
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def setup_courses(base: str, count: int = 1) -> tuple[str, list[str]]:
    """Sign up and generate `count` courses (distinct preferences: none is a cache hit);
    returns (token, course ids) once all are completed."""
    with httpx.Client(base_url=base, timeout=60) as c:
        r = c.post("/api/auth/signup", json={"email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
                                             "password": "correct horse battery"})
        r.raise_for_status()
        token = r.json()["token"]
        h = {"Authorization": f"Bearer {token}"}
        ids = []
        for i in range(count):
            body = upload_body()
            body["preferences"]["language"] = f"en-setup{i}"
            r = c.post("/api/courses/generate", json=body, headers=h)
            assert r.status_code == 202, r.text
            ids.append(r.json()["courseId"])
        deadline = time.monotonic() + 120
        for course_id in ids:
            while (status := c.get(f"/api/courses/status/{course_id}", headers=h
                                   ).json()["status"]) == "processing" \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            assert status == "completed", status
    return token, ids


def generate_body_parts(tag: str) -> tuple[str, str]:
    """The generate JSON split around its language value: the load generator puts a unique
    language tag between the halves (`en-<tag>-t<thread>-n<counter>`)."""
    marker = "@@LANG@@"
    body = upload_body()
    body["preferences"]["language"] = marker
    prefix, suffix = json.dumps(body).split(marker)
    return prefix + f"en-{tag}", suffix


def pick_redis_db() -> str | None:
    import redis

    for db in REDIS_DBS:
        try:
            client = redis.Redis.from_url(f"{REDIS_BASE}/{db}", socket_connect_timeout=2)
            if client.dbsize() == 0:
                return f"{REDIS_BASE}/{db}"
        except redis.RedisError:
            return None
    return None


def clean_redis(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match="coursegen:*", count=1000))
    for i in range(0, len(keys), 500):
        client.delete(*keys[i:i + 500])
    return len(keys)


def measure(client: str, base: str, token: str, *, method: str, path: str, clients: int,
            seconds: float, body_parts: tuple[str, str] | None,
            paths: list[str] | None = None) -> LoadResult:
    """`paths` (wrk only): requests go to these paths in turn instead of `path`."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if client == "wrk":
        return wrk_load(base + path, method=method, headers=headers, connections=clients,
                        seconds=seconds, body_parts=body_parts, paths=paths)
    return run(httpx_load(base + path, method=method, headers=headers, concurrency=clients,
                          seconds=seconds, body_parts=body_parts))


def drain(base: str, token: str, limit_s: float) -> float | None:
    """Wait until no course of the user is processing; seconds taken, None if still busy."""
    started = time.monotonic()
    with httpx.Client(base_url=base, timeout=30) as c:
        while time.monotonic() - started < limit_s:
            r = c.get("/api/courses", params={"status": "processing", "limit": 1},
                      headers={"Authorization": f"Bearer {token}"})
            if r.status_code == 200 and r.json()["total"] == 0:
                return round(time.monotonic() - started, 2)
            time.sleep(0.5)
    return None


def bench_combo(db: str, redis_url: str | None, args: argparse.Namespace, client: str,
                work: Path) -> list[dict[str, Any]]:
    """One server per combination (a start costs seconds of imports and migrations); before
    the 100-client POST cell the jobs the 10-client cell queued are drained, so it starts from
    an idle server like the others."""
    rows: list[dict[str, Any]] = []
    label = {"db": db, "redis": "yes" if redis_url else "no"}
    with tempfile.TemporaryDirectory(dir=work) as tmp, (
            throwaway_postgres() if db == "postgres" else _sqlite_url(Path(tmp))) as url, \
            uvicorn_server(server_env(Path(tmp) / "data", url, redis_url, args.latency),
                           work / f"uvicorn-{db}-{label['redis']}.log") as base:
        token, course_ids = setup_courses(base, args.ratio_courses)
        # healthz and status side by side at the same concurrency: their ratio is what the
        # hot path costs over the framework itself (the machine's speed cancels out)
        status = f"/api/courses/status/{course_ids[0]}"
        status_paths = [f"/api/courses/status/{c}" for c in course_ids]
        cells = [("GET healthz", "GET", "/healthz", args.ratio_clients),
                 ("GET status", "GET", status, args.ratio_clients)] * args.ratio_rounds
        if not args.ratio_only:
            cells += [("GET status", "GET", status, 10), ("GET status", "GET", status, 100),
                      ("POST generate", "POST", "/api/courses/generate", 10),
                      ("POST generate", "POST", "/api/courses/generate", 100)]
        for name, method, path, clients in cells:
            drained = drain(base, token, args.drain) if method == "POST" else 0.0
            parts = (generate_body_parts(f"c{clients}{uuid.uuid4().hex[:4]}")
                     if method == "POST" else None)
            res = measure(client, base, token, method=method, path=path, clients=clients,
                          seconds=args.seconds, body_parts=parts,
                          paths=status_paths if path == status and len(course_ids) > 1
                          else None)
            # other work on the machine skews these figures: record how busy it was
            row = {**label, "endpoint": name, "clients": clients, **res.row(),
                   "load_1m": round(os.getloadavg()[0], 1)}
            print_table("", [row], list(row))
            rows.append({**row, "jobs_drained_before_s": drained})
    # rounds alternate healthz and status; the ratio is of their summed throughputs
    pairs = rows[: 2 * args.ratio_rounds]
    health = sum(r["rps"] for r in pairs[0::2])
    ratio = round(sum(r["rps"] for r in pairs[1::2]) / health, 3) if health else None
    print(f"status / healthz throughput at {args.ratio_clients} clients: {ratio}", flush=True)
    rows.append({**label, "endpoint": "status/healthz", "clients": args.ratio_clients,
                 "ratio": ratio})
    return rows


@contextmanager
def _sqlite_url(tmp: Path) -> Iterator[str]:
    yield f"sqlite+aiosqlite:///{tmp / 'bench.db'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per cell")
    parser.add_argument("--latency", type=float, default=0.3, help="fake LLM seconds per call")
    parser.add_argument("--drain", type=float, default=30.0,
                        help="max seconds to wait for queued jobs before a POST cell")
    parser.add_argument("--ratio-clients", type=int, default=32,
                        help="clients for the healthz vs status cells")
    parser.add_argument("--ratio-rounds", type=int, default=2,
                        help="healthz/status cell pairs, alternated (evens out machine load)")
    parser.add_argument("--ratio-courses", type=int, default=1,
                        help="status requests go to this many distinct courses in turn (wrk)")
    parser.add_argument("--ratio-only", action="store_true",
                        help="only the healthz vs status cells (skip the 10/100 and POST ones)")
    parser.add_argument("--redis", choices=["both", "off", "on"], default="both")
    parser.add_argument("--client", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])
    args = parser.parse_args()
    client = ("wrk" if shutil.which("wrk") else "httpx") if args.client == "auto" else args.client
    if args.ratio_courses > 1 and client != "wrk":
        parser.error("--ratio-courses needs wrk")
    redis_url = pick_redis_db()
    skipped = []
    if redis_url is None:
        skipped.append(f"Redis at {REDIS_BASE}: unreachable or no empty db among {REDIS_DBS}")
    dbs = list(args.db)
    if "postgres" in dbs and (reason := services.postgres_reason()):
        dbs.remove("postgres")
        skipped.append(reason)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="coursegen-api-bench-") as work:
        for db in dbs:
            choices = {"both": (None, redis_url), "off": (None,), "on": (redis_url,)}
            for redis in choices[args.redis] if redis_url else (None,):
                print(f"\n--- {db}, redis {'on' if redis else 'off'} ({client}) ---", flush=True)
                try:
                    rows += bench_combo(db, redis, args, client, Path(work))
                finally:
                    if redis:
                        clean_redis(redis)
    columns = ["db", "redis", "endpoint", "clients", "requests", "rps", "p50_ms", "p99_ms",
               "codes", "errors", "load_1m", "ratio"]
    print_table(f"API on loopback, uvicorn 1 worker, load by {client}, {args.seconds:g} s per "
                f"cell, fake LLM {args.latency}s/call", rows, columns)
    for s in skipped:
        print(f"skipped: {s}")
    write_results("api", {"params": {**vars(args), "client": client}, "rows": rows,
                          "skipped": skipped})


if __name__ == "__main__":
    main()
