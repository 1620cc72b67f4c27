"""Real Redis, real Postgres, real worker and API processes.

Each test gets a Redis database of its own (flushed before and after: broker queues, checkpoints,
progress streams, cache and flags all live there) and a fresh Postgres schema. Child processes are
started in their own session and their whole process group is killed in teardown.

Fixtures: `dist` (a `Cluster`: env for child processes, in-process API settings, helpers to start
workers and API servers, to read the fake LLM's call counts and course rows).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from core.config import Settings
from testkit import services
from testkit.cluster import Cluster
from testkit.services import PostgresSchema

REDIS_DB = int(os.environ.get("TEST_DISTRIBUTED_REDIS_DB", "13"))  # not used by other tests


@pytest.fixture
def dist(tmp_path: Path) -> Iterator[Cluster]:
    services.need_redis()
    services.need_postgres()
    url = services.redis_db_url(REDIS_DB)
    with redis.Redis.from_url(url) as r:
        r.flushdb()
    with PostgresSchema() as schema:
        cluster = Cluster(tmp_path, schema, url)
        try:
            yield cluster
        finally:
            cluster.close()
            with redis.Redis.from_url(url) as r:
                r.flushdb()


def settings_of(cluster: Cluster) -> Settings:
    return cluster.settings
