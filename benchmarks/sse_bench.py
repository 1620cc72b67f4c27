"""SSE fan-out benchmark: N listeners on one API process, delivery delay and RSS per listener.

uvicorn runs `benchmarks.serve_fake:create_fake_app` (1 worker) with REDIS_URL set (the Redis
progress bus, a free db number) and a fake LLM so slow that the course stays `processing`.
This process opens N SSE streams on that course (one httpx client), waits until all are
connected, then publishes K `step` events into the course's stream (as a worker would), each
stamped with its publish time; every listener records receive time − publish time. The
server's RSS is read from /proc before the listeners connect and once they all are.

The listeners run in this process on raw sockets (httpx's per-chunk cost made the client the
bottleneck), sharing the machine's cores with the server: the delays include the client's own
parsing of N×K events, so they are an upper bound.

    python -m benchmarks.sse_bench [--listeners 1000] [--events 20] [--interval 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from benchmarks.api_bench import clean_redis, pick_redis_db, uvicorn_server
from benchmarks.common import SHIPPED_SAMPLE, print_table, run, write_results
from benchmarks.serve_fake import server_env
from infra.progress_bus import ProgressEvent, RedisProgressBus


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/<pid>/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def listen(base: str, url: str, headers: dict[str, str], connected: list[int],
                 delays: list[float], expected: int) -> int:
    """One SSE stream on a raw socket. httpx parsed a thousand streams slower than the server
    wrote them (its per-chunk cost, on the same two cores), so its backlog was measured as
    delivery delay; this reader only splits lines and decodes the `data:` JSON."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 20)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(f"GET {url} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n"
                 f"{head}\r\n".encode())
    got = 0
    try:
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"SSE stream answered {status!r}")
        connected.append(1)
        buffer = b""
        while chunk := await reader.read(65536):
            lines = (buffer + chunk).split(b"\r\n")
            buffer = lines.pop()  # an incomplete last line waits for the next read
            now = time.time()
            for line in lines:
                if not line.startswith(b"data:"):
                    continue
                event = json.loads(line[5:])
                if str(event.get("step", "")).startswith("bench-"):
                    delays.append(now - float(event["ts"]))
                    got += 1
                if event.get("type") in ("completed", "failed", "cancelled"):
                    return got
    finally:
        writer.close()
    return got


async def bench(base: str, pid: int, redis_url: str, args: argparse.Namespace
                ) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=args.listeners + 10,
                          max_keepalive_connections=args.listeners + 10)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        r = await client.post("/api/auth/signup", json={
            "email": f"sse-{uuid.uuid4().hex[:8]}@example.com",
            "password": "correct horse battery"})
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        r = await client.post("/api/courses/generate", headers=headers, json={
            "transcript": SHIPPED_SAMPLE.read_text(), "title": "SSE fan-out"})
        assert r.status_code == 202, r.text
        course_id = r.json()["courseId"]
        await asyncio.sleep(1.0)  # let the job start (its own events land first)
        before = rss_kib(pid)
        connected: list[int] = []
        delays: list[float] = []
        url = f"/api/courses/{course_id}/events"
        tasks = [asyncio.create_task(listen(base, url, headers, connected, delays,
                                            args.events)) for _ in range(args.listeners)]
        started = time.monotonic()
        while len(connected) < args.listeners:
            if time.monotonic() - started > 120:
                raise RuntimeError(f"only {len(connected)} listeners connected in 120 s")
            await asyncio.sleep(0.1)
        connect_s = time.monotonic() - started
        await asyncio.sleep(1.0)  # replays done
        during = rss_kib(pid)
        bus = RedisProgressBus.from_url(redis_url)
        # CPU each side spends while events flow: which one (on shared cores) is the limit
        server_cpu, client_cpu, window = cpu_s(pid), time.process_time(), time.monotonic()
        for i in range(args.events):
            await bus.publish(ProgressEvent(course_id=course_id, type="step",
                                            step=f"bench-{i}", ts=time.time()))
            await asyncio.sleep(args.interval)
        await bus.publish(ProgressEvent(course_id=course_id, type="cancelled", step="bench-end"))
        done, pending = await asyncio.wait(tasks, timeout=120)
        if pending:
            for task in pending:
                task.cancel()
            raise RuntimeError(f"{len(pending)} of {len(tasks)} streams did not end within "
                               f"120 s of the terminal event; {len(delays)} deliveries")
        counts = [task.result() for task in done]
        window = time.monotonic() - window
        server_cpu, client_cpu = cpu_s(pid) - server_cpu, time.process_time() - client_cpu
        await bus.aclose()
    ms = sorted(d * 1000 for d in delays)
    return {
        "listeners": args.listeners, "events": args.events,
        "deliveries": len(ms), "expected": args.listeners * (args.events + 1),
        "complete_listeners": sum(1 for c in counts if c >= args.events),
        "connect_s": round(connect_s, 2),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(0.99 * len(ms)))], 1),
        "max_ms": round(ms[-1], 1),
        "rss_before_mib": round(before / 1024, 1), "rss_listening_mib": round(during / 1024, 1),
        "rss_per_listener_kib": round((during - before) / args.listeners, 1),
        "server_cpu_share": round(server_cpu / window, 2),
        "client_cpu_share": round(client_cpu / window, 2),
        "load_1m": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listeners", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between events")
    args = parser.parse_args()
    redis_url = pick_redis_db()
    if redis_url is None:
        raise SystemExit("needs a Redis with a free db (BENCH_REDIS_URL)")
    pid: list[int] = []
    try:
        with tempfile.TemporaryDirectory(prefix="coursegen-sse-bench-") as tmp:
            env = server_env(Path(tmp) / "data", f"sqlite+aiosqlite:///{tmp}/bench.db",
                             redis_url, latency=600.0)
            with uvicorn_server(env, Path(tmp) / "uvicorn.log", pid) as base:
                row = run(bench(base, pid[0], redis_url, args))
    finally:
        clean_redis(redis_url)
    columns = list(row)
    print_table(f"SSE fan-out: {args.listeners} listeners on one uvicorn process (Redis bus)",
                [row], columns)
    write_results("sse", {"params": vars(args), "rows": [row]})


if __name__ == "__main__":
    main()
