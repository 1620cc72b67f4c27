"""open_checkpointer selects and opens every supported backend."""

from __future__ import annotations

import importlib.util
import uuid
from collections import Counter
from pathlib import Path

import pytest

from core.config import Settings
from infra.checkpoint import CheckpointerConfigError, open_checkpointer, plain_postgres_url
from testkit import services

from .conftest import REDIS_URL
from .test_checkpoint_redis import build_fan_graph


def _settings(tmp_path: Path, kind: str, **kw) -> Settings:
    return Settings(COURSEGEN_DATA_DIR=tmp_path, CHECKPOINTER=kind, **kw)


async def _roundtrip(settings: Settings) -> str:
    async with open_checkpointer(settings) as saver:
        graph = build_fan_graph(Counter(), set()).compile(checkpointer=saver)
        tid = f"oc-{uuid.uuid4()}"
        config = {"configurable": {"thread_id": tid}}
        out = await graph.ainvoke({"sections": ["a", "b"], "written": []}, config)
        assert sorted(out["written"]) == ["body of a", "body of b"]
        assert (await saver.aget_tuple(config)) is not None
        await saver.adelete_thread(tid)
        assert (await saver.aget_tuple(config)) is None
        return type(saver).__name__


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("memory", "InMemorySaver"), ("sqlite", "AsyncSqliteSaver")],
)
async def test_embedded_backends(tmp_path: Path, kind: str, expected: str) -> None:
    assert await _roundtrip(_settings(tmp_path, kind)) == expected
    if kind == "sqlite":
        assert (tmp_path / "checkpoints.sqlite").exists()


@pytest.mark.redis
async def test_redis_backend(tmp_path: Path) -> None:
    s = _settings(tmp_path, "redis", REDIS_URL=REDIS_URL, CHECKPOINT_TTL_SECONDS=120)
    assert await _roundtrip(s) == "PlainRedisSaver"


@pytest.mark.postgres
async def test_postgres_backend(tmp_path: Path) -> None:
    s = _settings(tmp_path, "postgres", DATABASE_URL=services.POSTGRES_URL)
    assert await _roundtrip(s) == "AsyncPostgresSaver"


@pytest.mark.skipif(
    importlib.util.find_spec("langgraph.checkpoint.redis") is not None,
    reason="langgraph-checkpoint-redis is installed",
)
async def test_redis_stack_without_package_says_how_to_fix(tmp_path: Path) -> None:
    s = _settings(tmp_path, "redis-stack", REDIS_URL=REDIS_URL)
    with pytest.raises(CheckpointerConfigError, match="pip install langgraph-checkpoint-redis"):
        async with open_checkpointer(s):
            pass


async def test_missing_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CheckpointerConfigError, match="REDIS_URL"):
        async with open_checkpointer(_settings(tmp_path, "redis", REDIS_URL=None)):
            pass


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:p@h:5432/db",
        "postgresql://u:p@h:5432/db",
        "postgresql+psycopg://u:p@h:5432/db",
        "postgresql+asyncpg://u:p@h:5432/db",
    ],
)
def test_plain_postgres_url(url: str) -> None:
    assert plain_postgres_url(url) == "postgresql://u:p@h:5432/db"
