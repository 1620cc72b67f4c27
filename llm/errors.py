"""Error types of the LLM layer and the retry policy (which failures are worth another try)."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import Any

import openai

# Transient by nature: the same request may well succeed a moment later.
RETRYABLE_ERRORS: tuple[type[BaseException], ...] = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APIConnectionError,  # includes APITimeoutError
    TimeoutError,  # asyncio.wait_for raises the builtin since 3.11
)
# Same list as the OpenAI SDK's own retry rule: request timeout, lock conflict, rate limit, 5xx.
RETRYABLE_STATUS = {408, 409, 429}


class LLMCallFailed(RuntimeError):
    """A structured LLM call could not be completed (retries and fallback exhausted)."""

    def __init__(
        self, *, node: str, cause: BaseException, models: list[str], attempts: int
    ) -> None:
        self.node = node
        self.cause = cause
        self.models = models
        self.attempts = attempts
        super().__init__(
            f"LLM call for node {node!r} failed on {' then '.join(models)} after {attempts} "
            f"attempt(s): {type(cause).__name__}: {cause}"
        )


class StructuredOutputInvalid(ValueError):
    """The model's answer did not validate against the schema, even after repair and re-ask."""

    def __init__(self, schema_name: str, error: str, raw_text: str) -> None:
        self.schema_name = schema_name
        self.error = error
        self.raw_text = raw_text
        super().__init__(
            f"output for {schema_name} invalid after repair and re-ask: {error[:500]}"
        )


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, RETRYABLE_ERRORS):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's own wait hint (`retry-after-ms` or `retry-after`), if it sent one."""
    response: Any = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:  # HTTP-date form
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def backoff_delay(
    exc: BaseException, retry_number: int, *, base: float, cap: float, rng: random.Random
) -> float:
    """Retry-After when given (capped), else exponential backoff with jitter.

    Jitter spreads out the parallel section writers that all hit the same 429 at once.
    """
    hinted = retry_after_seconds(exc)
    if hinted is not None:
        return min(hinted, cap)
    exp = min(cap, base * (2 ** (retry_number - 1)))
    return exp * rng.uniform(0.5, 1.0)
