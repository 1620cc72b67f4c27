"""The one LLM factory every agent uses: routing, structured output, retries, fallback, ledger.

`LLMClient.structured(Schema, system=..., user=..., node=...)` picks a model for the prompt size
(llm/registry.py), asks for structured output the way that model supports it, repairs or
re-asks malformed answers, retries transient failures with backoff, falls back to a second model
and records tokens, cost and latency per node (llm/usage.py). Any OpenAI-compatible server works
through `ChatOpenAI`; tests inject a fake chat model through `chat_factory`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError
from redis import asyncio as aredis

from llm.concurrency import AdaptiveLimiter, is_rate_limited
from llm.errors import (
    LLMCallFailed,
    StructuredOutputInvalid,
    backoff_delay,
    is_retryable,
    retry_after_seconds,
)
from llm.factory import ChatFactory, enable_llm_cache, openai_chat_factory
from llm.outcomes import Outcome, outcome_from_parse_error, plain_errors, raw_text
from llm.registry import ContextTooLarge, ModelRegistry, ModelSpec, Priority
from llm.repair import JSONRepairError, repair_json
from llm.shared_window import SharedWindow
from llm.usage import UsageLedger, UsageRecord

if TYPE_CHECKING:
    from core.config import Settings

from llm.tokens import count_tokens

__all__ = [
    "ContextTooLarge", "LLMCallFailed", "LLMClient", "ModelRegistry", "ModelSpec",
    "StructuredOutputInvalid", "UsageLedger", "build_llm_client", "enable_llm_cache",
    "openai_chat_factory",
]

# Objects built from a chat model that outlive the LLMClient of one run: a structured-output
# runnable derefs its schema when built (~8-15 ms), and every course asks for the same few.
# Keyed by the chat model's id; each entry holds that model, so the id is not reused while the
# entry lives. LRU-bounded, for processes that make many models (tests).
_SHARED: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()
_MAX_SHARED = 128


def _shared(key: tuple[Any, ...], build: Callable[[], tuple[Any, Any]]) -> Any:
    """The object cached under `key`, built by `build` (-> (kept-alive owner, object))."""
    entry = _SHARED.get(key)
    if entry is None:
        entry = _SHARED[key] = build()
        while len(_SHARED) > _MAX_SHARED:
            _SHARED.popitem(last=False)
    else:
        _SHARED.move_to_end(key)
    return entry[1]


# Hinted 429s a call may wait out per retry it is allowed: a sliding-window quota refills slot
# by slot, so a call can be refused a few times in a row while it does.
PACED_PER_RETRY = 4
log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
REASK = (
    "Your previous answer could not be used: {error}\n"
    "Answer again with only the complete, valid JSON for the requested schema."
)
TRUNCATED_REASK = (
    "Your previous answer was cut off at the length limit. Answer again, more concisely, with "
    "the complete JSON for the requested schema (every requested item, shorter texts)."
)


@dataclass
class _Call:
    schema: type[BaseModel]
    system: str
    user: str
    node: str
    max_output_tokens: int | None
    cache: bool


class _Failure(Exception):
    """Internal: one model gave up; carries the cause to the fallback / LLMCallFailed."""

    def __init__(self, cause: BaseException, attempts: int) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.attempts = attempts


class LLMClient:
    def __init__(
        self,
        registry: ModelRegistry,
        *,
        chat_factory: ChatFactory | None = None,
        settings: Settings | None = None,
        max_concurrency: int = 32,
        initial_concurrency: int = 4,
        max_retries: int = 4,
        timeout: float = 180,
        temperature: float = 0.2,
        fallback: ModelSpec | None = None,
        priority: Priority = "cost",
        shared_window_url: str | None = None,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        seed: int | None = None,
    ) -> None:
        if chat_factory is None:
            from core.config import get_settings

            chat_factory = openai_chat_factory(
                settings or get_settings(), timeout=timeout, temperature=temperature
            )
        self.registry = registry
        self.chat_factory = chat_factory
        self.max_concurrency = max_concurrency  # hard bound of the adaptive window
        self.initial_concurrency = min(initial_concurrency, max_concurrency)
        self.max_retries = max_retries
        self.timeout = timeout
        self.fallback = fallback
        self.priority: Priority = priority
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.usage = UsageLedger()
        self._rng = random.Random(seed)
        self._chats: dict[tuple[str, bool], BaseChatModel] = {}
        self._runnables: dict[tuple[Any, ...], Any] = {}
        # One limiter per event loop and model: asyncio futures are bound to their loop, and
        # each model (provider) has its own rate limits.
        self._limiters: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, AdaptiveLimiter]] = weakref.WeakKeyDictionary()
        # With Redis, every worker's limiter merges into one window per model.
        self.shared_window_url = shared_window_url
        self._window_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, aredis.Redis] = weakref.WeakKeyDictionary()

    def limiter(self, spec: ModelSpec) -> AdaptiveLimiter:
        """The adaptive window for `spec` on the running loop: starts at `initial_concurrency`,
        grows on success up to `max_concurrency` and `spec.max_concurrency`, halves on 429
        (llm/concurrency.py)."""
        per_model = self._limiters.setdefault(asyncio.get_running_loop(), {})
        limiter = per_model.get(spec.name)
        if limiter is None:
            limiter = per_model[spec.name] = AdaptiveLimiter(
                self.initial_concurrency, min(self.max_concurrency, spec.max_concurrency),
                max_pause=self.backoff_max, shared=self._shared_window(spec.name))
        return limiter

    def _shared_window(self, model: str) -> SharedWindow | None:
        if not self.shared_window_url:
            return None
        loop = asyncio.get_running_loop()
        client = self._window_clients.get(loop)
        if client is None:  # per loop: an asyncio Redis connection is bound to its loop
            client = self._window_clients[loop] = aredis.Redis.from_url(
                self.shared_window_url, socket_timeout=2, socket_connect_timeout=2)
        return SharedWindow(client, model)

    def chat_model(self, spec: ModelSpec, *, cache: bool = True) -> BaseChatModel:
        key = (spec.name, cache)
        if key not in self._chats:
            chat = self.chat_factory(spec)
            # cache=False makes langchain skip the global LLM cache for this model entirely.
            # (a copy per client, made when first asked: it snapshots the model's fields)
            self._chats[key] = chat if cache else chat.model_copy(update={"cache": False})
        return self._chats[key]

    async def structured(
        self,
        schema: type[T],
        *,
        system: str,
        user: str,
        node: str,
        priority: Priority | None = None,
        max_output_tokens: int | None = None,
        cache: bool = True,
    ) -> T:
        """Ask for an instance of `schema`; raises LLMCallFailed or ContextTooLarge."""
        prompt_tokens = count_tokens(system + "\n\n" + user)
        spec = self.registry.select_model(
            prompt_tokens, priority or self.priority, output_tokens=max_output_tokens
        )
        call = _Call(schema, system, user, node, max_output_tokens, cache)
        try:
            return await self._run(spec, call, self.max_retries)  # type: ignore[return-value]
        except _Failure as first:
            fb = self.fallback
            if fb is None or fb.name == spec.name or not fb.fits(prompt_tokens, max_output_tokens):
                raise LLMCallFailed(
                    node=node, cause=first.cause, models=[spec.name], attempts=first.attempts
                ) from first.cause
            log.warning("node %s: %s failed (%s); trying fallback %s",
                        node, spec.name, type(first.cause).__name__, fb.name)
            try:
                return await self._run(fb, call, 0)  # type: ignore[return-value]
            except _Failure as second:
                raise LLMCallFailed(
                    node=node, cause=second.cause, models=[spec.name, fb.name],
                    attempts=first.attempts + second.attempts,
                ) from second.cause

    def _messages(self, spec: ModelSpec, call: _Call) -> list[BaseMessage]:
        system = call.system
        if spec.structured_method == "json_mode":
            # json_mode sends no schema to the model, so the prompt must carry it.
            schema = json.dumps(call.schema.model_json_schema())
            system += f"\n\nReply with one JSON object matching this JSON schema:\n{schema}"
        return [SystemMessage(system), HumanMessage(call.user)]

    async def _run(self, spec: ModelSpec, call: _Call, retries: int) -> BaseModel:
        messages = self._messages(spec, call)
        started = time.perf_counter()
        attempts = transient = in_tok = out_tok = cached_in = 0
        paced, paced_calls = 0.0, 0  # waits on the provider's Retry-After hints
        cached, reasked = True, False

        def record(ok: bool) -> None:
            self.usage.add(UsageRecord(
                node=call.node, model=spec.name, input_tokens=in_tok, output_tokens=out_tok,
                cached_input_tokens=cached_in, cost_usd=spec.cost_usd(in_tok, out_tok, cached_in),
                latency_s=time.perf_counter() - started,
                attempts=attempts, cached=cached and attempts > transient, ok=ok,
            ))

        while True:
            attempts += 1
            try:
                outcome = await self._invoke(spec, call, messages, attempts)
            except (TimeoutError, openai.OpenAIError) as exc:
                hint = retry_after_seconds(exc) if is_rate_limited(exc) else None
                if (hint is not None and retries and paced_calls < PACED_PER_RETRY * retries
                        and paced + hint <= self.backoff_max * retries):
                    # A 429 that says when to come back is pacing, not a failure: it does not
                    # spend the retry budget, only a bounded wait and number of asks (a call
                    # allowed no retry, as a fallback's, still gets none).
                    paced += hint
                    paced_calls += 1
                    log.info("node %s: rate limited on %s, back in %.2fs",
                             call.node, spec.name, hint)
                    await asyncio.sleep(hint)
                    continue
                if not is_retryable(exc) or transient >= retries:
                    record(ok=False)
                    raise _Failure(exc, attempts) from exc
                transient += 1
                delay = backoff_delay(exc, transient, base=self.backoff_base,
                                      cap=self.backoff_max, rng=self._rng)
                log.info("node %s: %s on %s, retry %d in %.2fs",
                         call.node, type(exc).__name__, spec.name, transient, delay)
                await asyncio.sleep(delay)
                continue
            in_tok += outcome.input_tokens
            out_tok += outcome.output_tokens
            cached_in += outcome.cached_input_tokens
            cached = cached and outcome.cached
            if outcome.truncated and not reasked:
                # A cut-off answer "repaired" by closing brackets would silently lose items
                # (e.g. outline sections): ask once for a complete, shorter one. A second cut
                # answer is repaired as a last resort rather than failing the course.
                reasked = True
                log.info("node %s: %s answer from %s was cut off, re-asking",
                         call.node, call.schema.__name__, spec.name)
                messages = [*messages, HumanMessage(TRUNCATED_REASK)]
                continue
            if outcome.parsed is not None:
                record(ok=True)
                return outcome.parsed
            try:
                result = call.schema.model_validate(repair_json(outcome.raw_text))
                record(ok=True)
                return result
            except (JSONRepairError, ValidationError) as err:
                if reasked:
                    record(ok=False)
                    invalid = StructuredOutputInvalid(
                        call.schema.__name__, plain_errors(err), outcome.raw_text
                    )
                    raise _Failure(invalid, attempts) from err
                reasked = True
                log.info("node %s: invalid %s from %s, re-asking",
                         call.node, call.schema.__name__, spec.name)
                messages = [*messages, AIMessage(outcome.raw_text),
                            HumanMessage(REASK.format(error=plain_errors(err)[:2000]))]

    def prepare(self, *schemas: type[BaseModel]) -> None:
        """Build the structured-output runnables of `schemas` for every generative model now
        (at process start), not inside the first course that asks for each."""
        for spec in self.registry.generative():
            for schema in schemas:
                self._structured_runnable(spec, _Call(schema, "", "", "", None, True))

    def _structured_runnable(self, spec: ModelSpec, call: _Call) -> Any:
        """Built once per (model, schema, options): building derefs the JSON schema, ~8 ms of
        CPU on the event loop per call otherwise."""
        kwargs: dict[str, Any] = {"method": spec.structured_method, "include_raw": True}
        if call.max_output_tokens is not None:
            kwargs["max_tokens"] = call.max_output_tokens
        key = (spec.name, call.cache, call.schema, call.max_output_tokens)
        runnable = self._runnables.get(key)
        if runnable is None:
            chat = self.chat_model(spec, cache=call.cache)
            if call.cache:  # the shared model: runs share its runnables
                runnable = _shared(
                    ("structured", id(chat), call.schema, tuple(sorted(kwargs.items()))),
                    lambda: (chat, chat.with_structured_output(call.schema, **kwargs)))
            else:  # validate's rare uncached asks: this client's own copy
                runnable = chat.with_structured_output(call.schema, **kwargs)
            self._runnables[key] = runnable
        return runnable

    async def _invoke(
        self, spec: ModelSpec, call: _Call, messages: list[BaseMessage], attempt: int
    ) -> Outcome:
        runnable = self._structured_runnable(spec, call)
        config: dict[str, Any] = {
            "run_name": call.node,
            "tags": [call.node, f"model:{spec.name}"],
            "metadata": {"node": call.node, "model": spec.name, "tier": spec.tier,
                         "attempt": attempt, "schema": call.schema.__name__},
        }
        async with self.limiter(spec).slot() as slot:
            try:
                out = await asyncio.wait_for(
                    runnable.ainvoke(messages, config=config), self.timeout  # type: ignore[arg-type]
                )
            except (ValidationError, json.JSONDecodeError, openai.LengthFinishReasonError) as exc:
                # json_schema goes through the SDK's parse(), which raises on bad JSON before
                # langchain sees a message; the raw reply is still on the exception.
                outcome = outcome_from_parse_error(exc)
                if outcome is None:
                    raise
                return outcome
            out = cast(dict[str, Any], out)  # include_raw: {"raw", "parsed", "parsing_error"}
            raw: AIMessage = out["raw"]
            # ChatOpenAI(include_response_headers=True) puts the HTTP headers here.
            slot.observe(raw.response_metadata.get("headers"))
        parsed = out["parsed"]
        text = raw_text(raw)
        usage = raw.usage_metadata
        cached_in = 0
        if usage:
            in_tok, out_tok = usage["input_tokens"], usage["output_tokens"]
            # langchain maps OpenAI's prompt_tokens_details.cached_tokens here
            cached_in = (usage.get("input_token_details") or {}).get("cache_read") or 0
        else:
            in_tok = count_tokens("\n\n".join(str(m.content) for m in messages))
            out_tok = count_tokens(text)
        # langchain marks replies served from the LLM cache with total_cost 0.
        cached = bool(usage) and usage.get("total_cost", None) == 0  # type: ignore[union-attr]
        if cached:
            in_tok = out_tok = cached_in = 0
        ok = isinstance(parsed, call.schema)
        truncated = raw.response_metadata.get("finish_reason") == "length"
        return Outcome(parsed if ok else None, text, in_tok, out_tok, cached, truncated,
                        cached_in)


def build_llm_client(
    settings: Settings | None = None, *, chat_factory: ChatFactory | None = None
) -> LLMClient:
    from core.config import get_settings

    settings = settings or get_settings()
    registry = ModelRegistry.from_settings(settings, generative=chat_factory is not None)
    fallback_name = settings.llm_fallback_model
    return LLMClient(
        registry,
        chat_factory=chat_factory,
        settings=settings,
        max_concurrency=settings.llm_max_concurrency,
        initial_concurrency=settings.llm_initial_concurrency,
        max_retries=settings.llm_max_retries,
        timeout=settings.llm_timeout_seconds,
        temperature=settings.llm_temperature,
        fallback=registry.get(fallback_name) if fallback_name else None,
        priority=settings.default_priority,
        shared_window_url=settings.redis_url,
    )
