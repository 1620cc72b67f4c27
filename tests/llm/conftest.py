from __future__ import annotations

from collections.abc import Callable

import pytest
from langchain_core.globals import get_llm_cache, set_llm_cache
from pydantic import BaseModel, Field

from llm.client import LLMClient, ModelRegistry, ModelSpec
from testkit.scripted import FakeChatModel


class Lesson(BaseModel):
    title: str
    summary: str
    minutes: int = Field(ge=1, le=120)
    key_points: list[str]


def spec(name: str = "fake-small", method: str = "function_calling", **kw) -> ModelSpec:
    base = dict(context_window=8192, max_output=1024, price_in_per_m=1.0, price_out_per_m=2.0)
    return ModelSpec(name=name, structured_method=method, **{**base, **kw})


@pytest.fixture
def make_client() -> Callable[..., tuple[LLMClient, FakeChatModel]]:
    """A client over one fake model; extra kwargs go to LLMClient, `fake=` to FakeChatModel."""

    def make(
        method: str = "function_calling", *, fake: dict | None = None, **client_kw
    ) -> tuple[LLMClient, FakeChatModel]:
        model = FakeChatModel(**(fake or {}))
        client_kw.setdefault("backoff_base", 0.001)
        client_kw.setdefault("seed", 1)
        client = LLMClient(
            ModelRegistry([spec(method=method)]), chat_factory=lambda _s: model, **client_kw
        )
        return client, model

    return make


@pytest.fixture
def no_global_llm_cache():
    """Tests that install the process-wide LLM cache must not leak it into other tests."""
    before = get_llm_cache()
    set_llm_cache(None)
    yield
    set_llm_cache(before)
