"""Re-enqueue the job of a worker that died, as soon as its Redis lock has expired.

A worker running a course holds `lock` (TTL LOCK_TTL_SECONDS, refreshed every
CANCEL_POLL_SECONDS) and records what it runs under `running` (task name and arguments). A
`running` record with no lock means its worker died without finishing: the broker would redeliver
the message only after JOB_VISIBILITY_TIMEOUT (hours, so that long jobs never get a twin), while
the lock tells within seconds. One reaper (whichever claims the record first, atomically) sends the
job again under a new job id; the dead worker's message then turns stale when it is redelivered.
The new job resumes from the checkpoint, so no finished section is written again.

Every worker process runs a reaper thread (started when the worker is ready).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import Any

import redis

from jobs.celery_app import LOCK_TTL_SECONDS, QUEUE, JobKeys

log = logging.getLogger(__name__)
# after the lock expires (LOCK_TTL_SECONDS): a dead worker's job is sent again within ~15 s
SCAN_SECONDS = 3.0

# Claim an orphan: only if the record is unchanged and nobody holds the lock.
CLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""


def running_record(task: str, job_id: str, kwargs: dict[str, Any]) -> str:
    return json.dumps({"task": task, "jobId": job_id, "kwargs": kwargs}, sort_keys=True)


def reap_once(client: redis.Redis, app: Any, keys: JobKeys, flag_ttl: int) -> list[str]:
    """Re-enqueue every orphaned job; returns the course ids sent again."""
    sent = []
    for key in client.scan_iter(match=keys.running("*"), count=200):
        name = key.decode() if isinstance(key, bytes) else str(key)
        course_id = name.rsplit(":", 1)[-1]
        raw = client.get(name)
        if raw is None or client.exists(keys.lock(course_id)):
            continue
        record = json.loads(raw)
        current = client.get(keys.current(course_id))
        current = current.decode() if isinstance(current, bytes) else current
        if not client.eval(CLAIM, 2, name, keys.lock(course_id), raw):
            continue  # another reaper (or the worker itself) got there first
        if current != record["jobId"]:
            continue  # a newer job was submitted meanwhile: that one runs, not this
        job_id = f"{course_id}:{uuid.uuid4().hex[:12]}"
        client.set(keys.current(course_id), job_id, ex=flag_ttl)
        app.send_task(record["task"], kwargs={**record["kwargs"], "course_id": course_id,
                                              "job_id": job_id}, task_id=job_id, queue=QUEUE)
        log.warning("course %s: its worker died (lock expired); job re-enqueued as %s",
                    course_id, job_id)
        sent.append(course_id)
    return sent


class Reaper(threading.Thread):
    def __init__(self, redis_url: str, app: Any, keys: JobKeys, flag_ttl: int) -> None:
        super().__init__(name="coursegen-reaper", daemon=True)
        self.client = redis.Redis.from_url(redis_url, socket_timeout=5)
        self.app, self.keys, self.flag_ttl = app, keys, flag_ttl
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SCAN_SECONDS):
            try:
                reap_once(self.client, self.app, self.keys, self.flag_ttl)
            except redis.RedisError as exc:  # Redis away: try again at the next scan
                log.warning("reaper cannot reach Redis: %s", exc)

    def stop(self) -> None:
        self.stopped.set()


assert SCAN_SECONDS < LOCK_TTL_SECONDS  # the lock TTL dominates the time to recover
