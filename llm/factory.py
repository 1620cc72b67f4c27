"""Building chat models for model specs, and the process-wide LLM call cache."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import BaseChatModel

from llm.registry import ModelSpec

if TYPE_CHECKING:
    from langchain_core.caches import BaseCache

    from core.config import Settings

ChatFactory = Callable[[ModelSpec], BaseChatModel]
NO_KEY = "sk-no-key-required"  # llama.cpp ignores the key but the SDK insists on one


# One ChatOpenAI per distinct configuration in the process: each run builds its own LLMClient,
# and a shared model lets it reuse the structured-output runnables built for earlier runs.
_CHATS: dict[tuple[Any, ...], BaseChatModel] = {}


def openai_chat_factory(settings: Settings, *, timeout: float, temperature: float) -> ChatFactory:
    """`ChatOpenAI` per model spec; the key comes from the spec's env var or the settings."""

    def make(spec: ModelSpec) -> BaseChatModel:
        key: str | None = os.environ.get(spec.api_key_env) if spec.api_key_env else None
        if key is None and spec.api_key_env == "OPENAI_API_KEY" and settings.openai_api_key:
            key = settings.openai_api_key.get_secret_value()
        if key is None and spec.local:
            key = NO_KEY
        base_url = spec.base_url or settings.openai_base_url
        config = (spec.name, base_url, key, timeout, temperature, spec.max_output, spec.local)
        if config not in _CHATS:
            _CHATS[config] = _chat_openai(spec, base_url, key, timeout, temperature)
        return _CHATS[config]

    return make


def _chat_openai(spec: ModelSpec, base_url: str | None, key: str | None, timeout: float,
                 temperature: float, http_async_client: Any = None) -> BaseChatModel:
    """The ChatOpenAI every real call goes through; `http_async_client` swaps only its HTTP
    transport (testkit/cassette.py replays recorded answers through it)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=spec.name,
        base_url=base_url,
        api_key=key,  # type: ignore[arg-type]
        timeout=timeout,
        max_retries=0,  # retries happen in LLMClient, with Retry-After and a fallback
        temperature=temperature,
        # the field `max_tokens` under its pydantic alias: mypy (no pydantic plugin) only
        # knows the alias as an __init__ keyword
        max_completion_tokens=spec.max_output,
        # ChatOpenAI sends the cap as `max_completion_tokens`, which llama.cpp's server
        # ignores (it then generates until the context is full): send `max_tokens` too.
        extra_body={"max_tokens": spec.max_output} if spec.local else None,
        # x-ratelimit-* headers of successful replies feed the adaptive limiter.
        include_response_headers=True,
        http_async_client=http_async_client,
    )


chat_openai = _chat_openai


def enable_llm_cache(settings: Settings) -> BaseCache | None:
    """Install the process-wide LLM call cache: Redis when configured, else SQLite in data_dir.

    A resumed or retried node then never pays twice for an identical call.
    """
    from langchain_core.globals import set_llm_cache

    if not settings.llm_cache:
        return None
    cache: BaseCache
    if settings.redis_url:
        import redis
        from langchain_community.cache import RedisCache

        cache = RedisCache(redis.Redis.from_url(settings.redis_url),
                           ttl=settings.cache_ttl_seconds)
    else:
        from langchain_community.cache import SQLiteCache

        cache = SQLiteCache(database_path=str(settings.ensure_data_dir() / "llm_cache.sqlite"))
    set_llm_cache(cache)
    return cache
