"""Retries with backoff and Retry-After, timeouts, fallback model, the concurrency limit."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx2
import openai
import pytest

from llm.client import LLMCallFailed, LLMClient, ModelRegistry
from llm.errors import backoff_delay, is_retryable, retry_after_seconds
from testkit.scripted import FakeChatModel

from .conftest import Lesson, spec

USER = "Mitochondria produce ATP through cellular respiration"


async def test_429_waits_for_retry_after(make_client) -> None:
    # backoff_base is tiny, so any wait near 0.3 s can only come from the header
    client, fake = make_client(fake={"script": ["429", "ok"], "retry_after": 0.3})
    t0 = time.perf_counter()
    await client.structured(Lesson, system="s", user=USER, node="writer")
    elapsed = time.perf_counter() - t0
    assert 0.3 <= elapsed < 1.5
    assert [c.fault for c in fake.calls] == ["429", "ok"]
    assert client.usage.records[0].attempts == 2


async def test_retry_after_is_capped(make_client) -> None:
    client, _ = make_client(fake={"script": ["429", "ok"], "retry_after": 30}, backoff_max=0.05)
    t0 = time.perf_counter()
    await client.structured(Lesson, system="s", user=USER, node="writer")
    assert time.perf_counter() - t0 < 1.0


@pytest.mark.parametrize("fault", ["500", "timeout"])
async def test_transient_errors_are_retried(make_client, fault: str) -> None:
    client, fake = make_client(fake={"script": [fault, fault, "ok"]})
    lesson = await client.structured(Lesson, system="s", user=USER, node="writer")
    assert isinstance(lesson, Lesson)
    assert fake.count() == 3
    rec = client.usage.records[0]
    assert rec.attempts == 3 and rec.ok
    # failed attempts cost nothing; the successful one is recorded
    assert rec.output_tokens == fake.calls[-1].output_tokens


async def test_retries_exhausted_raise_llm_call_failed(make_client) -> None:
    client, fake = make_client(fake={"script": ["500"] * 5}, max_retries=2)
    with pytest.raises(LLMCallFailed) as exc:
        await client.structured(Lesson, system="s", user=USER, node="supplement")
    assert isinstance(exc.value.cause, openai.InternalServerError)
    assert exc.value.attempts == 3 and exc.value.models == ["fake-small"]
    assert fake.count() == 3
    assert client.usage.totals().failed_calls == 1


async def test_client_side_timeout_is_retried_then_fails(make_client) -> None:
    client, fake = make_client(fake={"latency_per_call": 0.5}, timeout=0.05, max_retries=1)
    t0 = time.perf_counter()
    with pytest.raises(LLMCallFailed) as exc:
        await client.structured(Lesson, system="s", user=USER, node="writer")
    assert isinstance(exc.value.cause, TimeoutError)
    assert fake.count() == 2
    assert time.perf_counter() - t0 < 0.5


async def test_bad_request_is_not_retried(make_client) -> None:
    client, fake = make_client(fake={"script": ["400", "ok"]})
    with pytest.raises(LLMCallFailed) as exc:
        await client.structured(Lesson, system="s", user=USER, node="writer")
    assert isinstance(exc.value.cause, openai.BadRequestError)
    assert fake.count() == 1


def _two_model_client(primary: FakeChatModel, backup: FakeChatModel, **kw) -> LLMClient:
    fakes = {"primary": primary, "backup": backup}
    backup_spec = spec("backup", context_window=32_000, price_in_per_m=3.0)
    return LLMClient(
        ModelRegistry([spec("primary"), backup_spec]),
        chat_factory=lambda s: fakes[s.name], fallback=backup_spec, backoff_base=0.001, **kw,
    )


async def test_fallback_model_after_retries_exhausted() -> None:
    primary, backup = FakeChatModel(script=["500"] * 3), FakeChatModel()
    client = _two_model_client(primary, backup, max_retries=2)
    lesson = await client.structured(Lesson, system="s", user=USER, node="writer")
    assert isinstance(lesson, Lesson)
    assert primary.count() == 3 and backup.count() == 1
    by_model = client.usage.by_model()
    assert by_model["primary"].failed_calls == 1
    assert by_model["backup"].calls == 1 and by_model["backup"].cost_usd > 0


async def test_fallback_is_tried_once_then_fails() -> None:
    primary, backup = FakeChatModel(script=["500"] * 2), FakeChatModel(script=["429", "ok"])
    client = _two_model_client(primary, backup, max_retries=1)
    with pytest.raises(LLMCallFailed) as exc:
        await client.structured(Lesson, system="s", user=USER, node="writer")
    assert exc.value.models == ["primary", "backup"]
    assert isinstance(exc.value.cause, openai.RateLimitError)
    assert backup.count() == 1


async def test_concurrency_limit_holds(make_client) -> None:
    # a hard bound: the adaptive window never grows past it however well calls go
    client, fake = make_client(fake={"latency_per_call": 0.05}, max_concurrency=3,
                               initial_concurrency=1)
    users = [f"{USER} variant {i}" for i in range(12)]
    results = await asyncio.gather(
        *(client.structured(Lesson, system="s", user=u, node="writer") for u in users)
    )
    assert len(results) == 12
    assert fake.max_in_flight == 3  # grown to from 1, never exceeded
    assert client.usage.totals().calls == 12


async def test_backoff_does_not_hold_a_slot(make_client) -> None:
    # One call backs off (0.3-0.6 s) after a 500 while another, with the single slot, proceeds.
    # (A 429's Retry-After, by contrast, holds back every caller: tests/llm/test_concurrency.py.)
    client, fake = make_client(fake={"script": ["500"]}, max_concurrency=1, backoff_base=0.6)
    t0 = time.perf_counter()
    done: list[float] = []

    async def run(user: str) -> None:
        await client.structured(Lesson, system="s", user=user, node="n")
        done.append(time.perf_counter() - t0)

    await asyncio.gather(run("first call"), run("second call"))
    assert min(done) < 0.2 <= 0.3 <= max(done)


def test_retry_after_header_forms() -> None:
    req = httpx2.Request("POST", "http://x/v1/chat/completions")

    def err(headers: dict[str, str]) -> openai.RateLimitError:
        resp = httpx2.Response(429, headers=headers, request=req)
        return openai.RateLimitError("limited", response=resp, body=None)

    assert retry_after_seconds(err({"retry-after-ms": "1500"})) == pytest.approx(1.5)
    assert retry_after_seconds(err({"retry-after": "2"})) == 2.0
    date = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    assert 15 < retry_after_seconds(err({"retry-after": date})) <= 20  # type: ignore[operator]
    assert retry_after_seconds(err({})) is None
    rng = random.Random(0)
    assert backoff_delay(err({"retry-after": "90"}), 1, base=1, cap=10, rng=rng) == 10
    delays = [backoff_delay(err({}), n, base=1, cap=100, rng=rng) for n in (1, 2, 3, 4)]
    assert all(2 ** (n - 1) * 0.5 <= d <= 2 ** (n - 1) for n, d in enumerate(delays, 1))


def test_retryable_classification() -> None:
    req = httpx2.Request("POST", "http://x")

    def status(code: int) -> openai.APIStatusError:
        return openai.APIStatusError("x", response=httpx2.Response(code, request=req), body=None)

    assert is_retryable(status(503)) and is_retryable(status(409)) and is_retryable(status(408))
    assert not is_retryable(status(400)) and not is_retryable(status(401))
    assert is_retryable(openai.APITimeoutError(request=req))
    assert is_retryable(openai.APIConnectionError(request=req))
    assert is_retryable(TimeoutError())
    assert not is_retryable(ValueError())


async def test_paced_429s_do_not_spend_the_retry_budget(make_client) -> None:
    # Five 429s that each say when to come back: the call waits them out with one retry left.
    client, fake = make_client(fake={"script": ["429"] * 5, "retry_after": 0.01}, max_retries=1)
    assert isinstance(await client.structured(Lesson, system="s", user=USER, node="writer"),
                      Lesson)
    assert fake.count() == 6 and client.usage.totals().failed_calls == 0
    # ...but only for a bounded total wait (LLM_MAX_RETRIES x the backoff cap) and number of
    # asks (4 per retry), and a 500 still spends the budget.
    for script, kw, asked in ((["429"] * 5, {"backoff_max": 0.025}, 4),
                              (["429"] * 9, {}, 6), (["500"] * 2, {}, 2)):
        client, fake = make_client(fake={"script": script, "retry_after": 0.01},
                                   max_retries=1, **kw)
        with pytest.raises(LLMCallFailed):
            await client.structured(Lesson, system="s", user=USER, node="writer")
        assert fake.count() == asked
