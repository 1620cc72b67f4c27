"""The default ChatOpenAI factory and build_llm_client (construction only, no network)."""

from __future__ import annotations

import pytest
from langchain_openai import ChatOpenAI

from core.config import Settings
from llm.client import build_llm_client
from llm.factory import NO_KEY
from testkit.scripted import FakeChatModel


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COURSEGEN_MODELS", "LLM_FALLBACK_MODEL"):
        monkeypatch.delenv(var, raising=False)


def test_local_model_client_uses_dummy_key_and_local_url() -> None:
    s = Settings(_env_file=None, LOCAL_MODEL_PORT=9999, LLM_MAX_CONCURRENCY=2,
                 LLM_TIMEOUT_SECONDS=42, EMBEDDED_MODEL="smollm2-135m-instruct")
    client = build_llm_client(s)
    [spec] = client.registry.models
    chat = client.chat_model(spec)
    assert isinstance(chat, ChatOpenAI)
    assert chat.openai_api_base == "http://127.0.0.1:9999/v1"
    assert chat.openai_api_key.get_secret_value() == NO_KEY
    assert chat.max_retries == 0 and chat.request_timeout == 42
    assert client.max_concurrency == 2 and client.initial_concurrency == 2  # start <= bound
    assert client.chat_model(spec, cache=False).cache is False
    assert client.chat_model(spec).cache is None


def test_openai_client_honours_key_base_url_and_fallback() -> None:
    s = Settings(_env_file=None, OPENAI_API_KEY="sk-abc", OPENAI_BASE_URL="http://proxy/v1",
                 LLM_FALLBACK_MODEL="gpt-4o", LLM_PRIORITY="quality")
    client = build_llm_client(s)
    chat = client.chat_model(client.registry.get("gpt-4o-mini"))
    assert chat.openai_api_key.get_secret_value() == "sk-abc"
    assert chat.openai_api_base == "http://proxy/v1"
    assert chat.model_name == "gpt-4o-mini"
    assert client.fallback is not None and client.fallback.name == "gpt-4o"
    assert client.priority == "quality"


async def test_build_with_fake_factory() -> None:
    fake = FakeChatModel()
    client = build_llm_client(Settings(_env_file=None), chat_factory=lambda _s: fake)
    from .conftest import Lesson

    await client.structured(Lesson, system="s", user="Volcanoes erupt", node="n")
    assert fake.count() == 1
    assert client.usage.totals().cost_usd == 0  # the local model is free


def test_runs_share_chat_models_and_structured_runnables() -> None:
    # Each run builds its own client; the second must not rebuild what the first built (the
    # runnable derefs its schema: ~10 ms each on the event loop), unless its settings differ.
    from llm.client import _Call

    from .conftest import Lesson

    s = Settings(_env_file=None, OPENAI_API_KEY="sk-abc")
    first, second = build_llm_client(s), build_llm_client(s)
    spec = first.registry.get("gpt-4o-mini")
    call = _Call(Lesson, "s", "u", "writer", None, True)
    assert first.chat_model(spec) is second.chat_model(spec)
    assert first._structured_runnable(spec, call) is second._structured_runnable(spec, call)
    # an uncached copy is each client's own, made when first asked (it snapshots the model)
    assert first.chat_model(spec, cache=False) is not second.chat_model(spec, cache=False)
    assert first.chat_model(spec, cache=False).cache is False
    other = build_llm_client(Settings(_env_file=None, OPENAI_API_KEY="sk-other"))
    assert other.chat_model(spec) is not first.chat_model(spec)
