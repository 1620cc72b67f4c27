"""Model registry and routing: which model serves a prompt of a given size.

The seed picked a model by prompt length; here the rule is the same but data-driven: every model
carries its context window, output limit and price, and `select_model` takes the cheapest one
whose window holds prompt + output, escalating to the long-context tier only when nothing else
fits. The registry comes from settings, so swapping providers is configuration, not code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, TypeAdapter

if TYPE_CHECKING:
    from core.config import Settings

Tier = Literal["small", "large", "long"]
Priority = Literal["cost", "quality"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]
# "llm": a chat model behind an OpenAI-compatible endpoint; "extractive": no model at all, the
# agents' non-generative strategies (nlp/) write the course from the transcript itself.
StrategyKind = Literal["llm", "extractive"]

LOCAL_MODEL_NAME = "smollm2-135m-instruct"
EXTRACTIVE_MODEL_NAME = "extractive"


class ModelSpec(BaseModel):
    """One chat model behind an OpenAI-compatible endpoint."""

    name: str
    base_url: str | None = None  # None: settings.openai_base_url, else the SDK default
    api_key_env: str | None = "OPENAI_API_KEY"
    context_window: int = Field(gt=0)
    max_output: int = Field(gt=0)
    price_in_per_m: float = Field(default=0.0, ge=0)
    price_out_per_m: float = Field(default=0.0, ge=0)
    # Input tokens the provider served from its prompt prefix cache; None: billed as input.
    price_cached_in_per_m: float | None = Field(default=None, ge=0)
    tier: Tier = "small"
    kind: StrategyKind = "llm"
    structured_method: StructuredMethod = "json_schema"
    local: bool = False
    # Ceiling of the adaptive in-flight window for this model (llm/concurrency.py): the client
    # starts at LLM_INITIAL_CONCURRENCY and grows towards this (and LLM_MAX_CONCURRENCY) while
    # the provider does not answer 429.
    max_concurrency: int = Field(default=32, ge=1)

    def cost_usd(self, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0
                 ) -> float:
        """`cached_input_tokens` are part of `input_tokens` (as providers report them)."""
        cached = min(cached_input_tokens, input_tokens)
        cached_price = (self.price_in_per_m if self.price_cached_in_per_m is None
                        else self.price_cached_in_per_m)
        return ((input_tokens - cached) * self.price_in_per_m + cached * cached_price
                + output_tokens * self.price_out_per_m) / 1e6

    def fits(self, prompt_tokens: int, output_tokens: int | None = None) -> bool:
        return prompt_tokens + self.output_reserve(output_tokens) <= self.context_window

    def output_reserve(self, output_tokens: int | None) -> int:
        """Tokens kept free for the answer: the caller's estimate, else the model's maximum."""
        if output_tokens is None:
            return self.max_output
        return min(output_tokens, self.max_output)

    def expected_cost(self, prompt_tokens: int, output_tokens: int | None) -> float:
        return self.cost_usd(prompt_tokens, self.output_reserve(output_tokens))


class ContextTooLarge(ValueError):
    """No registered model can hold this prompt plus its answer."""

    def __init__(self, prompt_tokens: int, output_tokens: int | None, largest_window: int) -> None:
        self.prompt_tokens = prompt_tokens
        self.output_tokens = output_tokens
        self.largest_window = largest_window
        super().__init__(
            f"prompt of {prompt_tokens} tokens plus {output_tokens or 'max'} output tokens fits "
            f"no registered model (largest window: {largest_window}); chunk the input"
        )


# Public list prices (USD per 1M tokens) and limits as published by OpenAI; cached input is what
# prompt caching bills for a reused prompt prefix (automatic from 1,024 prompt tokens on).
OPENAI_MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        name="gpt-4o-mini", context_window=128_000, max_output=16_384,
        price_in_per_m=0.15, price_out_per_m=0.60, price_cached_in_per_m=0.075, tier="small",
    ),
    ModelSpec(
        name="gpt-4o", context_window=128_000, max_output=16_384,
        price_in_per_m=2.50, price_out_per_m=10.0, price_cached_in_per_m=1.25, tier="large",
    ),
    ModelSpec(
        name="gpt-4.1", context_window=1_047_576, max_output=32_768,
        price_in_per_m=2.0, price_out_per_m=8.0, price_cached_in_per_m=0.50, tier="long",
    ),
)


def local_model_spec(settings: Settings) -> ModelSpec:
    """The embedded llama.cpp server (llm/local_model.py): free, tiny, 8k window."""
    return ModelSpec(
        name=LOCAL_MODEL_NAME,
        base_url=f"http://{settings.local_model_host}:{settings.local_model_port}/v1",
        api_key_env=None,
        context_window=8192,
        max_output=1024,
        tier="small",
        # llama.cpp returns 500 for response_format json_schema; tool calls work.
        structured_method="function_calling",
        local=True,
        # llama_cpp.server decodes one request at a time: more in flight only queue there, and
        # time out while queued
        max_concurrency=4,
    )


# The embedded default: free, offline, fast; its "window" is not a limit on anything.
EXTRACTIVE_MODEL = ModelSpec(name=EXTRACTIVE_MODEL_NAME, kind="extractive", api_key_env=None,
                             context_window=100_000_000, max_output=100_000_000)


class ModelRegistry:
    def __init__(self, models: Iterable[ModelSpec]) -> None:
        self.models: list[ModelSpec] = list(models)
        if not self.models:
            raise ValueError("the model registry is empty")
        names = [m.name for m in self.models]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate model names in registry: {names}")

    @classmethod
    def from_settings(cls, settings: Settings, *, generative: bool = False) -> ModelRegistry:
        """The configured models; `generative` when a chat model is supplied in code (tests,
        LLM_CHAT_FACTORY), which then stands in for the embedded local model."""
        if settings.models_json:
            raw = json.loads(settings.models_json)
            return cls(TypeAdapter(list[ModelSpec]).validate_python(raw))
        if settings.openai_api_key is not None or os.environ.get("OPENAI_API_KEY"):
            return cls(OPENAI_MODELS)
        if generative or settings.embedded_model == LOCAL_MODEL_NAME:
            return cls([local_model_spec(settings)])
        return cls([EXTRACTIVE_MODEL])

    @property
    def extractive(self) -> bool:
        """True when no generative model is registered: agents run their extractive strategy."""
        return all(m.kind == "extractive" for m in self.models)

    def get(self, name: str) -> ModelSpec:
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(f"model {name!r} is not registered")

    def generative(self) -> list[ModelSpec]:
        """The models an LLM call may use (all of them when the registry is extractive only)."""
        return [m for m in self.models if m.kind == "llm"] or self.models

    def smallest_window(self) -> int:
        """The window of the smallest model: chunk to this and every model can take a chunk."""
        return min(m.context_window for m in self.generative())

    def largest_window(self) -> int:
        return max(m.context_window for m in self.generative())

    def select_model(
        self, tokens: int, priority: Priority = "cost", output_tokens: int | None = None
    ) -> ModelSpec:
        """Cheapest model that fits prompt + output; the long tier only when nothing else fits.

        With priority "quality" a fitting "large" model wins over cheaper small ones.
        """
        if self.extractive:
            raise ValueError("the registry holds no generative model: agents run extractively")
        fitting = [m for m in self.generative() if m.fits(tokens, output_tokens)]
        if not fitting:
            raise ContextTooLarge(tokens, output_tokens, self.largest_window())

        def by_cost(m: ModelSpec) -> tuple[float, int]:
            # Ties (e.g. free local models) go to the smaller window: it is the lighter model.
            return (m.expected_cost(tokens, output_tokens), m.context_window)

        if priority == "quality":
            large = [m for m in fitting if m.tier == "large"]
            if large:
                return min(large, key=by_cost)
        regular = [m for m in fitting if m.tier != "long"]
        return min(regular or fitting, key=by_cost)
