from __future__ import annotations

import json

import pytest

from core.config import Settings
from llm.client import ContextTooLarge, ModelRegistry, ModelSpec
from llm.registry import LOCAL_MODEL_NAME, OPENAI_MODELS

from .conftest import spec


@pytest.fixture
def openai_registry() -> ModelRegistry:
    return ModelRegistry(OPENAI_MODELS)


def test_cheapest_model_that_fits(openai_registry: ModelRegistry) -> None:
    assert openai_registry.select_model(1_000).name == "gpt-4o-mini"
    # 120k prompt + an explicit 1k answer still fits the 128k window
    assert openai_registry.select_model(120_000, output_tokens=1_000).name == "gpt-4o-mini"


def test_escalates_to_long_tier_only_when_needed(openai_registry: ModelRegistry) -> None:
    # Without an output estimate the model's full max_output (16,384) is reserved: 120k no
    # longer fits 128k, so the long-context model is the only option.
    assert openai_registry.select_model(120_000).name == "gpt-4.1"
    assert openai_registry.select_model(500_000, output_tokens=4_000).tier == "long"


def test_quality_prefers_large_tier_when_it_fits(openai_registry: ModelRegistry) -> None:
    assert openai_registry.select_model(1_000, "quality").name == "gpt-4o"
    # the large model does not fit: quality falls back to what fits
    assert openai_registry.select_model(200_000, "quality").name == "gpt-4.1"


def test_long_tier_not_chosen_even_if_cheaper() -> None:
    reg = ModelRegistry([
        spec("long-cheap", tier="long", context_window=1_000_000, price_in_per_m=0.01),
        spec("small-dear", tier="small", context_window=16_000, price_in_per_m=5.0),
    ])
    assert reg.select_model(2_000).name == "small-dear"
    assert reg.select_model(20_000).name == "long-cheap"


def test_cheapest_by_price_among_fitting() -> None:
    reg = ModelRegistry([
        spec("dear", context_window=100_000, price_in_per_m=3.0, price_out_per_m=9.0),
        spec("cheap", context_window=10_000, price_in_per_m=0.1, price_out_per_m=0.2),
    ])
    assert reg.select_model(5_000, output_tokens=500).name == "cheap"
    assert reg.select_model(9_800, output_tokens=500).name == "dear"


def test_context_too_large_carries_the_numbers(openai_registry: ModelRegistry) -> None:
    with pytest.raises(ContextTooLarge) as exc:
        openai_registry.select_model(2_000_000, output_tokens=100)
    assert exc.value.prompt_tokens == 2_000_000
    assert exc.value.output_tokens == 100
    assert exc.value.largest_window == 1_047_576
    assert "2000000" in str(exc.value)


def test_smallest_window() -> None:
    reg = ModelRegistry([spec("a", context_window=8192), spec("b", context_window=128_000)])
    assert reg.smallest_window() == 8192
    assert ModelRegistry(OPENAI_MODELS).smallest_window() == 128_000


def test_cost_computation() -> None:
    m = ModelSpec(name="x", context_window=10, max_output=5, price_in_per_m=2.0,
                  price_out_per_m=8.0)
    assert m.cost_usd(1_000_000, 0) == pytest.approx(2.0)
    assert m.cost_usd(1_500, 500) == pytest.approx((1_500 * 2 + 500 * 8) / 1e6)
    # no cached-input price: a prompt-cache hit is billed as ordinary input
    assert m.cost_usd(1_500, 500, 1_000) == m.cost_usd(1_500, 500)
    c = m.model_copy(update={"price_cached_in_per_m": 0.5})
    assert c.cost_usd(1_500, 500, 1_000) == pytest.approx((500 * 2 + 1_000 * 0.5 + 500 * 8) / 1e6)
    assert ModelRegistry(OPENAI_MODELS).get("gpt-4o").price_cached_in_per_m == 1.25  # 50 %


def test_registry_rejects_duplicates_and_empty() -> None:
    with pytest.raises(ValueError):
        ModelRegistry([])
    with pytest.raises(ValueError):
        ModelRegistry([spec("a"), spec("a")])


def test_from_settings_extractive_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("COURSEGEN_MODELS", raising=False)
    reg = ModelRegistry.from_settings(Settings(_env_file=None))
    assert [m.kind for m in reg.models] == ["extractive"] and reg.extractive
    with pytest.raises(ValueError, match="no generative model"):
        reg.select_model(10)
    # a chat model supplied in code (LLM_CHAT_FACTORY, tests) makes it generative
    assert not ModelRegistry.from_settings(Settings(_env_file=None), generative=True).extractive


def test_from_settings_local_model_by_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("COURSEGEN_MODELS", raising=False)
    s = Settings(_env_file=None, LOCAL_MODEL_HOST="127.0.0.1", LOCAL_MODEL_PORT=9123,
                 EMBEDDED_MODEL="smollm2-135m-instruct")
    reg = ModelRegistry.from_settings(s)
    [local] = reg.models
    assert local.name == LOCAL_MODEL_NAME
    assert local.base_url == "http://127.0.0.1:9123/v1"
    assert (local.context_window, local.max_output, local.local) == (8192, 1024, True)
    assert local.structured_method == "function_calling"
    assert local.cost_usd(10_000, 10_000) == 0
    # a prompt that needs more than 8192 - 1024 tokens must be chunked by the caller
    with pytest.raises(ContextTooLarge):
        reg.select_model(7_500)


def test_from_settings_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("COURSEGEN_MODELS", raising=False)
    reg = ModelRegistry.from_settings(Settings(_env_file=None, OPENAI_API_KEY="sk-test"))
    assert {m.name for m in reg.models} == {"gpt-4o-mini", "gpt-4o", "gpt-4.1"}
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    assert len(ModelRegistry.from_settings(Settings(_env_file=None)).models) == 3


def test_from_settings_models_json(monkeypatch: pytest.MonkeyPatch) -> None:
    models = [{"name": "llama-3-70b", "base_url": "http://gpu:8000/v1", "api_key_env": None,
               "context_window": 32000, "max_output": 4000, "tier": "large"}]
    monkeypatch.setenv("COURSEGEN_MODELS", json.dumps(models))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-ignored-when-models-given")
    reg = ModelRegistry.from_settings(Settings(_env_file=None))
    assert [m.name for m in reg.models] == ["llama-3-70b"]
    assert reg.get("llama-3-70b").base_url == "http://gpu:8000/v1"
    with pytest.raises(KeyError):
        reg.get("nope")
