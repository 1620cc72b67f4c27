"""The Celery app for `JOB_BACKEND=celery`, built from settings, and the Redis keys that the API
(jobs/celery_queue.py) and the workers (jobs/worker.py) share to coordinate one course's job.

Reliability choices, all because a course job is long (minutes) and must survive a lost worker:
- `task_acks_late` + `task_reject_on_worker_lost`: the message is acknowledged only when the job
  ends, so a worker that dies mid-course leaves it to be delivered again;
- `worker_prefetch_multiplier=1`: a worker holds no queued courses it is not running;
- the Redis transport's `visibility_timeout` (JOB_VISIBILITY_TIMEOUT) is when an unacknowledged
  message is handed to another worker: it must be longer than the longest job, or a live job gets
  a twin (the per-course lock below then makes the twin wait, and drop out if the owner is alive);
  a dead worker is noticed much sooner, from its expired lock: jobs/reaper.py re-enqueues its job
  within ~15 s (LOCK_TTL_SECONDS + a scan);
- no result backend: job outcomes live in the database and the progress stream.
"""

from __future__ import annotations

from celery import Celery

from core.config import Settings

GENERATE_TASK = "coursegen.generate"
EDIT_TASK = "coursegen.edit"
QUEUE = "coursegen"
SHARED_CHECKPOINTERS = frozenset({"redis", "redis-stack", "postgres"})

# The job lock's lifetime; the worker running the job refreshes it every CANCEL_POLL_SECONDS,
# so a SIGKILLed worker's lock is gone LOCK_TTL_SECONDS after its death.
LOCK_TTL_SECONDS = 10
CANCEL_POLL_SECONDS = 0.5


class DistributedConfigError(RuntimeError):
    """Settings that cannot work with several processes (no Redis, a per-machine checkpointer)."""


def check_distributed_settings(settings: Settings) -> str:
    """The broker URL, or a clear error saying what to set."""
    if not settings.redis_url:
        raise DistributedConfigError(
            "JOB_BACKEND=celery needs REDIS_URL (the broker, progress streams and cancel flags)")
    if settings.checkpointer not in SHARED_CHECKPOINTERS:
        raise DistributedConfigError(
            f"CHECKPOINTER={settings.checkpointer} keeps graph state on one machine, so a job "
            "redelivered to another worker could not resume; set CHECKPOINTER=redis "
            "(or redis-stack / postgres) with JOB_BACKEND=celery")
    return settings.redis_url


def make_celery_app(settings: Settings) -> Celery:
    broker = check_distributed_settings(settings)
    visibility = settings.job_visibility_timeout_seconds
    app = Celery("coursegen", broker=broker, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        # a lost broker connection ends with the job recorded by the job itself, not abandoned
        worker_cancel_long_running_tasks_on_connection_loss=False,
        worker_hijack_root_logger=False,
        broker_transport_options={
            "visibility_timeout": visibility,
            # look for abandoned messages often enough relative to the timeout (kombu's default
            # sweep is every 100 s); one ZRANGE per sweep, so this is cheap
            "unacked_restore_interval": max(1, min(10, visibility // 5)),
            "unacked_restore_throttle": 1,
        },
    )
    return app


class JobKeys:
    """Redis keys for one course's job, under one prefix."""

    def __init__(self, prefix: str = "coursegen:job") -> None:
        self.prefix = prefix

    def cancel(self, course_id: str) -> str:
        """Set by the API to ask the worker running the course to stop."""
        return f"{self.prefix}:cancel:{course_id}"

    def current(self, course_id: str) -> str:
        """The id of the latest job submitted for the course; older messages are stale."""
        return f"{self.prefix}:current:{course_id}"

    def running(self, course_id: str) -> str:
        """What the lock holder runs (task and arguments), for re-enqueueing if it dies."""
        return f"{self.prefix}:running:{course_id}"

    def lock(self, course_id: str) -> str:
        """Held (with a short TTL, refreshed) by the worker running the course."""
        return f"{self.prefix}:lock:{course_id}"


# Compare-and-refresh / compare-and-delete, so a worker never extends or frees another's lock.
REFRESH_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
