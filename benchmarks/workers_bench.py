"""Throughput of Celery workers: courses per minute with 1, 2 and 4 worker processes.

    python -m benchmarks.workers_bench [--courses 10] [--latency 0.2] [--workers 1 2 4]

Real processes on the real services: Postgres (a throwaway schema), Redis (database 14, flushed),
`coursegen worker --concurrency 1` × N, the API in this process enqueueing uploads of the shipped
sample lecture (24 minutes → 3 sections). The LLM is the scripted fake answering after `latency`
seconds per call (testkit/fake_factory.py, via LLM_CHAT_FACTORY), so the figure measures
the queue, the graph, checkpoints and the database — not a model. Timed from the first submit to
the last course completed; worker start-up is excluded (workers are ready before the first submit).
Writes benchmarks/results/workers.json.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import redis

from benchmarks.common import print_table, write_results
from db.models import Course
from testkit import services
from testkit.client import auth_headers, settings_for, signup, upload_body
from testkit.cluster import Cluster
from testkit.services import PostgresSchema

REDIS_DB = 14


async def one_run(workers: int, courses: int, latency: float) -> dict[str, Any]:
    url = services.redis_db_url(REDIS_DB)
    with redis.Redis.from_url(url) as r:
        r.flushdb()
    with tempfile.TemporaryDirectory() as tmp, PostgresSchema() as schema:
        cluster = Cluster(Path(tmp), schema, url)
        # many courses per user at once, and a visibility timeout far above a course's duration
        limits = {"FREE_CONCURRENT_JOBS": courses, "FREE_COURSES_PER_MONTH": courses * 10,
                  "JOB_VISIBILITY_TIMEOUT": 600}
        cluster.settings = settings_for("postgres", Path(tmp), pg_schema=schema, REDIS_URL=url,
                                        JOB_BACKEND="celery", CHECKPOINTER="redis",
                                        JWT_SECRET=cluster.env["JWT_SECRET"], **limits)
        env = {"FAKE_LLM_LATENCY": str(latency), "LLM_MAX_CONCURRENCY": "4",
               "JOB_VISIBILITY_TIMEOUT": "600"}
        try:
            async with cluster.api() as (app, client):  # migrates the schema
                for i in range(workers):
                    cluster.start_worker(f"bench{i}", 1, **env)
                for i in range(workers):
                    cluster.wait_worker_ready(f"bench{i}", timeout=120)
                token, _ = await signup(client)
                started = time.perf_counter()
                ids = []
                for _ in range(courses):
                    r = await client.post("/api/courses/generate", json=upload_body(24),
                                          headers=auth_headers(token))
                    assert r.status_code == 202, r.text
                    ids.append(uuid.UUID(r.json()["courseId"]))
                statuses = await wait_all(app, ids, timeout=60 + courses * 30 / workers)
                elapsed = time.perf_counter() - started
        finally:
            cluster.close()
    done = sum(1 for s in statuses if s == "completed")
    return {"workers": workers, "courses": courses, "completed": done,
            "seconds": round(elapsed, 2), "courses_per_minute": round(done * 60 / elapsed, 1)}


async def wait_all(app: Any, ids: list[uuid.UUID], timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        async with app.state.sessionmaker() as session:
            statuses = [(await session.get(Course, i, populate_existing=True)).status
                        for i in ids]
        if all(s != "processing" for s in statuses) or time.monotonic() > deadline:
            return statuses
        await asyncio.sleep(0.2)


async def main(args: argparse.Namespace) -> None:
    rows = []
    for n in args.workers:
        row = await one_run(n, args.courses, args.latency)
        print(row, flush=True)
        rows.append(row)
    base = rows[0]["courses_per_minute"] or 1
    for row in rows:
        row["speedup"] = round(row["courses_per_minute"] / base, 2)
    title = (f"Celery workers: {args.courses} courses × 3 sections, fake LLM {args.latency}s/call,"
             " 1 pool process per worker")
    print_table(title, rows, ["workers", "completed", "seconds", "courses_per_minute", "speedup"])
    write_results("workers", {"courses": args.courses, "latency_per_call": args.latency,
                              "sections_per_course": 3, "rows": rows})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    asyncio.run(main(parser.parse_args()))
