"""An `LLMClient` around a scripted fake chat model: one small model spec, fast backoff. For tests,
benchmarks and `evals --fake` (never a default: import-linter keeps shipped code off it)."""

from __future__ import annotations

from llm.client import LLMClient
from llm.registry import ModelRegistry, ModelSpec
from testkit.scripted import FakeChatModel

# The embedded local model's window: long transcripts go map-reduce, as they would on it.
FAKE_WINDOW = 8192


def scripted_client(fake: FakeChatModel, *, window: int = FAKE_WINDOW, concurrency: int = 16,
                    initial: int | None = None) -> LLMClient:
    """`concurrency` bounds the calls in flight; the window starts there unless `initial`."""
    spec = ModelSpec(name="fake-small", context_window=window, max_output=1024,
                     price_in_per_m=0.15, price_out_per_m=0.6,
                     structured_method="function_calling")
    return LLMClient(ModelRegistry([spec]), chat_factory=lambda _spec: fake,
                     max_concurrency=concurrency, initial_concurrency=initial or concurrency,
                     backoff_base=0.001, backoff_max=0.01)
