"""Ledger totals and cost; the LLM call cache (SQLite embedded, Redis) and its bypass."""

from __future__ import annotations

import json
import uuid

import pytest
from langchain_community.cache import RedisCache, SQLiteCache

from core.config import Settings
from llm.client import enable_llm_cache
from llm.usage import UsageLedger, UsageRecord
from testkit import services

from .conftest import Lesson

USER = "Plate tectonics explains earthquakes volcanoes and mountain ranges"


async def test_ledger_totals_by_node_and_cost(make_client) -> None:
    client, fake = make_client()
    for node in ("analyze", "writer", "writer"):
        await client.structured(Lesson, system="s", user=f"{USER} {node}", node=node)
    totals = client.usage.totals()
    assert totals.calls == 3 == fake.count()
    assert totals.input_tokens == sum(c.input_tokens for c in fake.calls)
    assert totals.output_tokens == sum(c.output_tokens for c in fake.calls)
    # spec prices: $1 per 1M input, $2 per 1M output
    expected = (totals.input_tokens * 1.0 + totals.output_tokens * 2.0) / 1e6
    assert totals.cost_usd == pytest.approx(expected)
    by_node = client.usage.by_node()
    assert by_node["writer"].calls == 2 and by_node["analyze"].calls == 1
    assert by_node["writer"].cost_usd + by_node["analyze"].cost_usd == pytest.approx(expected)
    assert all(r.latency_s >= 0 for r in client.usage.records)
    d = client.usage.to_dict()
    json.dumps(d)  # lands in courses.metadata
    assert d["totals"]["calls"] == 3 and set(d["by_node"]) == {"analyze", "writer"}
    assert d["by_model"]["fake-small"]["input_tokens"] == totals.input_tokens


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
async def test_prompt_cache_hits_are_recorded_and_priced(make_client, method: str) -> None:
    # the provider reports the reused prompt prefix; the ledger counts it and bills it at the
    # model's cached-input price ($0.25 per 1M here, against $1 for fresh input)
    client, fake = make_client(method, fake={"prefix_cache": True})
    client.registry.models[0] = client.registry.models[0].model_copy(
        update={"price_cached_in_per_m": 0.25})
    system = "You are a careful teacher. " * 40  # the shared, static part of every call
    for part in ("first", "second"):
        await client.structured(Lesson, system=system, user=f"{part}: {USER}", node="writer")
    first, second = client.usage.records
    assert first.cached_input_tokens == 0
    assert 0 < second.cached_input_tokens < second.input_tokens
    fresh = second.input_tokens - second.cached_input_tokens
    assert second.cost_usd == pytest.approx(
        (fresh * 1.0 + second.cached_input_tokens * 0.25 + second.output_tokens * 2.0) / 1e6)
    assert client.usage.totals().cached_input_tokens == second.cached_input_tokens


def test_ledger_is_safe_under_threads() -> None:
    import threading

    ledger = UsageLedger()
    rec = UsageRecord(node="n", model="m", input_tokens=1, output_tokens=2, cost_usd=0.5,
                      latency_s=0.1, attempts=1)
    threads = [threading.Thread(target=lambda: [ledger.add(rec) for _ in range(500)])
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ledger.totals().calls == 2000
    assert ledger.totals().cost_usd == pytest.approx(1000.0)


async def test_latency_injection_is_measured(make_client) -> None:
    client, fake = make_client(fake={"latency_per_call": 0.05, "latency_per_output_token": 0.001})
    await client.structured(Lesson, system="s", user=USER, node="n")
    expected = 0.05 + 0.001 * fake.calls[0].output_tokens
    assert client.usage.records[0].latency_s >= expected


async def test_sqlite_cache_serves_repeat_and_can_be_bypassed(
    make_client, tmp_path, no_global_llm_cache
) -> None:
    cache = enable_llm_cache(Settings(_env_file=None, COURSEGEN_DATA_DIR=str(tmp_path)))
    assert isinstance(cache, SQLiteCache)
    assert (tmp_path / "llm_cache.sqlite").exists()
    client, fake = make_client()
    a = await client.structured(Lesson, system="s", user=USER, node="writer")
    b = await client.structured(Lesson, system="s", user=USER, node="writer")
    assert a == b and fake.count() == 1
    first, second = client.usage.records
    assert not first.cached and first.cost_usd > 0
    assert second.cached and second.cost_usd == 0 and second.input_tokens == 0
    # regenerating a rejected answer must reach the model again
    await client.structured(Lesson, system="s", user=USER, node="writer", cache=False)
    assert fake.count() == 2


@pytest.mark.parametrize("method", ["json_schema", "json_mode"])
async def test_cache_roundtrip_for_json_methods(
    make_client, tmp_path, no_global_llm_cache, method: str
) -> None:
    enable_llm_cache(Settings(_env_file=None, COURSEGEN_DATA_DIR=str(tmp_path)))
    client, fake = make_client(method)
    a = await client.structured(Lesson, system="s", user=USER, node="writer")
    b = await client.structured(Lesson, system="s", user=USER, node="writer")
    assert a == b and fake.count() == 1


def test_cache_disabled_by_setting(tmp_path, no_global_llm_cache) -> None:
    s = Settings(_env_file=None, COURSEGEN_DATA_DIR=str(tmp_path), LLM_CACHE=False)
    assert enable_llm_cache(s) is None


@pytest.mark.redis
async def test_redis_cache(make_client, no_global_llm_cache) -> None:
    url = services.need_redis()
    cache = enable_llm_cache(Settings(_env_file=None, REDIS_URL=url, CACHE_TTL_SECONDS=60))
    assert isinstance(cache, RedisCache)
    client, fake = make_client()
    user = f"{USER} {uuid.uuid4().hex}"  # fresh key: no hit from an earlier run
    a = await client.structured(Lesson, system="s", user=user, node="writer")
    b = await client.structured(Lesson, system="s", user=user, node="writer")
    assert a == b and fake.count() == 1
