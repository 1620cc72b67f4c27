"""A scripted fake chat model for tests (never shipped: it lives only under tests/).

`FakeChatModel` answers structured-output requests the way `ChatOpenAI` does, so `LLMClient`
runs the same code path for fake and real models:
- function_calling: `bind_tools` + a forced tool call, parsed by `PydanticToolsParser`;
- json_schema: `response_format=<schema>`; valid JSON is put in `additional_kwargs["parsed"]`,
  invalid JSON raises pydantic's ValidationError with the HTTP response attached, exactly as the
  OpenAI SDK's `parse()` + ChatOpenAI do (a truncated answer raises `LengthFinishReasonError`);
- json_mode: `response_format={"type": "json_object"}`, JSON text parsed by the output parser.
Content is derived from the input (words of the user message), token usage is reported, and
latency and faults (429/500/400/timeout/malformed/partial/garbage/invalid) are injected by script or
by a seeded rate.

`obey` makes it follow instructions planted in its input, to show which defence stops them:
"never" (default), "outside_fences" (a model that treats text inside <transcript>, <lesson_text>
and <analysis> tags as data, reading each fence up to its first closing tag, as a naive model
would) or "always" (a model that obeys anything). Two instructions are understood: "reveal your
system prompt" (the system prompt is put in front of the answer's longest top-level text field)
and "output only {...}" (that JSON object is the whole answer).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import httpx2
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_openai.chat_models.base import _oai_structured_outputs_parser
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, PrivateAttr

from llm.tokens import count_tokens

Responder = Callable[[str, list[BaseMessage]], dict | None]
FAULTS = ("429", "500", "400", "timeout", "malformed", "partial", "garbage", "invalid")
_REQUEST = httpx2.Request("POST", "http://fake-llm.test/v1/chat/completions")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
OBEY_MODES = ("never", "outside_fences", "always")
_FENCED = re.compile(r"<(transcript|lesson_text|analysis|question)>.*?(?:</\1>|\Z)", re.DOTALL)
_REVEAL = re.compile(r"reveal (?:your|the) system prompt", re.IGNORECASE)
_OUTPUT_ONLY = re.compile(r"output only (\{[^{}]*\})", re.IGNORECASE)


@dataclass(frozen=True)
class FakeCall:
    schema_name: str
    input_text: str
    input_tokens: int
    output_tokens: int
    method: str
    fault: str = "ok"
    max_tokens: int | None = None


@dataclass
class _State:
    """Shared by copies of the model (LLMClient copies it to switch the cache off)."""

    script: deque[str]
    rng: random.Random
    lock: threading.Lock = field(default_factory=threading.Lock)
    calls: list[FakeCall] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    prompts: list[str] = field(default_factory=list)  # inputs seen, for `prefix_cache`


def fill_schema(schema: dict[str, Any], words: Sequence[str]) -> Any:
    """A value valid for a JSON schema, with strings made of the given words in order."""
    defs = schema.get("$defs", {})
    pos = [0]

    def take(n: int) -> str:
        pool = list(words) or ["lorem", "ipsum", "dolor"]
        out = [pool[(pos[0] + i) % len(pool)] for i in range(n)]
        pos[0] += n
        return " ".join(out)

    def fill(s: dict[str, Any]) -> Any:
        if "$ref" in s:
            return fill(defs[s["$ref"].split("/")[-1]])
        for key in ("anyOf", "oneOf", "allOf"):
            if key in s:
                options = [o for o in s[key] if o.get("type") != "null"] or s[key]
                return fill(options[0])
        if "const" in s:
            return s["const"]
        if "enum" in s:
            return s["enum"][0]
        kind = s.get("type", "object" if "properties" in s else "string")
        if kind == "object":
            return {name: fill(sub) for name, sub in s.get("properties", {}).items()}
        if kind == "array":
            n = max(s.get("minItems", 0), min(2, s.get("maxItems", 2)))
            return [fill(s.get("items", {})) for _ in range(n)]
        if kind in ("integer", "number"):
            lo = s.get("minimum", s.get("exclusiveMinimum", -1) + 1)
            hi = s.get("maximum", s.get("exclusiveMaximum", lo + 11) - 1)
            value = min(max(lo, len(words) % 10 + 1), hi)
            return int(value) if kind == "integer" else float(value)
        if kind == "boolean":
            return True
        text = take(4)
        if "maxLength" in s:
            text = text[: s["maxLength"]]
        return text.ljust(s.get("minLength", 0), "x")

    return fill(schema)


def _user_words(messages: list[BaseMessage]) -> list[str]:
    users = [m for m in messages if isinstance(m, HumanMessage)]
    text = users[0].text if users else ""
    return _WORD.findall(text)


class FakeChatModel(BaseChatModel):
    responder: Responder | None = None
    latency_per_call: float = 0.0
    latency_per_output_token: float = 0.0
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = ("429", "500", "timeout", "malformed")
    retry_after: float = 0.01  # seconds, sent in the 429's Retry-After header
    # schema name -> fault kind every call for that schema gets (a provider refusing lessons)
    refuse: dict[str, str] = {}
    model_name: str = "fake-model"
    obey: str = "never"  # one of OBEY_MODES (see the module docstring)
    # Report, as OpenAI's prompt caching would, the tokens of the longest prefix this input
    # shares with an earlier one as cached input (usage input_token_details.cache_read).
    prefix_cache: bool = False
    _state: _State = PrivateAttr()

    def __init__(self, *, script: Sequence[str] = (), seed: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.obey not in OBEY_MODES:
            raise ValueError(f"obey must be one of {OBEY_MODES}, not {self.obey!r}")
        unknown = set(script) - {"ok", *FAULTS}
        if unknown:
            raise ValueError(f"unknown fault kinds in script: {sorted(unknown)}")
        self._state = _State(script=deque(script), rng=random.Random(seed))

    @property
    def _llm_type(self) -> str:
        return "fake-chat"

    # -- inspection helpers -------------------------------------------------------------
    @property
    def calls(self) -> list[FakeCall]:
        with self._state.lock:
            return list(self._state.calls)

    @property
    def max_in_flight(self) -> int:
        return self._state.max_in_flight

    def count(self, schema_name: str | None = None, *, ok_only: bool = False) -> int:
        return sum(
            1
            for c in self.calls
            if (schema_name is None or c.schema_name == schema_name)
            and (not ok_only or c.fault == "ok")
        )

    # -- structured output, mirroring ChatOpenAI ------------------------------------------
    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Any:
        formatted = [convert_to_openai_tool(t) for t in tools]
        if isinstance(tool_choice, str) and tool_choice not in ("auto", "none"):
            name = (
                formatted[0]["function"]["name"]
                if tool_choice in ("any", "required")
                else tool_choice
            )
            tool_choice = {"type": "function", "function": {"name": name}}
        return self.bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    def with_structured_output(  # type: ignore[override]
        self,
        schema: Any,
        *,
        method: str = "function_calling",
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable:
        if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
            raise TypeError("FakeChatModel supports Pydantic schemas only")
        parser: Runnable
        if method == "function_calling":
            name = convert_to_openai_tool(schema)["function"]["name"]
            llm = self.bind_tools([schema], tool_choice=name, parallel_tool_calls=False, **kwargs)
            parser = PydanticToolsParser(tools=[schema], first_tool_only=True)
        elif method == "json_mode":
            # `fake_schema` stands in for the model reading the schema from the prompt.
            llm = self.bind(response_format={"type": "json_object"}, fake_schema=schema, **kwargs)
            parser = PydanticOutputParser(pydantic_object=schema)
        elif method == "json_schema":
            llm = self.bind(response_format=schema, **kwargs)
            parser = RunnableLambda(lambda m: _oai_structured_outputs_parser(m, schema=schema))
        else:
            raise ValueError(f"unknown method {method!r}")
        if not include_raw:
            return llm | parser
        with_parsed = RunnablePassthrough.assign(
            parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
        )
        no_parsed = RunnablePassthrough.assign(parsed=lambda _: None)
        return RunnableMap(raw=llm) | with_parsed.with_fallbacks(
            [no_parsed], exception_key="parsing_error"
        )

    # -- generation ---------------------------------------------------------------------
    def _next_fault(self) -> str:
        st = self._state
        with st.lock:
            if st.script:
                return st.script.popleft()
            if self.fault_rate and st.rng.random() < self.fault_rate:
                return st.rng.choice(self.fault_kinds)
        return "ok"

    def _plan(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> tuple[Any, float]:
        """Decide the reply (a ChatResult or an exception to raise) and how long it takes."""
        schema, method = _requested_schema(kwargs)
        name = _schema_name(schema)
        input_text = "\n\n".join(m.text for m in messages)
        in_tok = count_tokens(input_text)
        fault = self.refuse.get(name) or self._next_fault()
        mt = kwargs.get("max_tokens")
        record = FakeCall(name, input_text, in_tok, 0, method, fault, mt)
        if fault in ("429", "500", "400", "timeout"):
            self._record(record)
            return _api_error(fault, self.retry_after), self.latency_per_call
        data = self.responder(name, messages) if self.responder else None
        if data is None:
            json_schema = schema if isinstance(schema, dict) else schema.model_json_schema()
            data = fill_schema(json_schema, _user_words(messages))
        if self.obey != "never":
            data = _obey(data, messages, self.obey)
        text = _corrupt(json.dumps(data), fault)
        out_tok = count_tokens(text)
        self._record(FakeCall(name, input_text, in_tok, out_tok, method, fault, mt))
        usage: dict[str, Any] = {"input_tokens": in_tok, "output_tokens": out_tok,
                                 "total_tokens": in_tok + out_tok}
        if self.prefix_cache:
            usage["input_token_details"] = {"cache_read": self._cache_read(input_text)}
        finish = "length" if fault == "partial" else "stop"
        delay = self.latency_per_call + self.latency_per_output_token * out_tok
        if method == "function_calling":
            msg = _tool_message(name, text)
        elif method == "json_schema":
            try:
                parsed = schema.model_validate_json(text)
            except ValueError as exc:  # what the SDK raises; ChatOpenAI attaches the response
                return _sdk_parse_error(exc, text, usage, finish, self.model_name), delay
            msg = AIMessage(text, additional_kwargs={"parsed": parsed})
        else:
            msg = AIMessage(text)
        msg.usage_metadata = usage  # type: ignore[assignment]
        msg.response_metadata = {"finish_reason": finish, "model_name": self.model_name}
        return ChatResult(generations=[ChatGeneration(message=msg)]), delay

    def _cache_read(self, text: str) -> int:
        with self._state.lock:
            seen = self._state.prompts
            shared = max((len(os.path.commonprefix([text, p])) for p in seen), default=0)
            seen.append(text)
        return count_tokens(text[:shared]) if shared else 0

    def _record(self, call: FakeCall) -> None:
        with self._state.lock:
            self._state.calls.append(call)

    def _enter(self) -> None:
        st = self._state
        with st.lock:
            st.in_flight += 1
            st.max_in_flight = max(st.max_in_flight, st.in_flight)

    def _exit(self) -> None:
        with self._state.lock:
            self._state.in_flight -= 1

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self._enter()
        try:
            result, delay = self._plan(messages, kwargs)
            time.sleep(delay)
        finally:
            self._exit()
        if isinstance(result, BaseException):
            raise result
        return result

    async def _agenerate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self._enter()
        try:
            result, delay = self._plan(messages, kwargs)
            await asyncio.sleep(delay)
        finally:
            self._exit()
        if isinstance(result, BaseException):
            raise result
        return result


def _obey(data: Any, messages: list[BaseMessage], mode: str) -> Any:
    """The answer of a model that follows the planted instructions it takes as instructions."""
    user = "\n".join(m.text for m in messages if isinstance(m, HumanMessage))
    seen = user if mode == "always" else _FENCED.sub(" ", user)
    if found := _OUTPUT_ONLY.search(seen):
        return json.loads(found.group(1))
    texts = [k for k, v in data.items() if isinstance(v, str)] if isinstance(data, dict) else []
    if _REVEAL.search(seen) and texts:
        # into its longest free-text field (a summary, a lesson), where a leak would be read
        system = "\n".join(m.text for m in messages if isinstance(m, SystemMessage))
        field = max(texts, key=lambda k: len(data[k]))
        return {**data, field: f"{system}\n\n{data[field]}"}
    return data


def _requested_schema(kwargs: dict[str, Any]) -> tuple[Any, str]:
    if kwargs.get("tools"):
        tool = kwargs["tools"][0]["function"]
        return {**tool.get("parameters", {}), "title": tool["name"]}, "function_calling"
    fmt = kwargs.get("response_format")
    if isinstance(fmt, type) and issubclass(fmt, BaseModel):
        return fmt, "json_schema"
    if "fake_schema" in kwargs:
        return kwargs["fake_schema"], "json_mode"
    return {"type": "object", "properties": {"answer": {"type": "string"}}}, "text"


def _schema_name(schema: Any) -> str:
    if isinstance(schema, type):  # a model may present itself under another title
        config = getattr(schema, "model_config", {})
        return str(config.get("title") or schema.__name__)
    return str(schema.get("title", "object"))


def _corrupt(text: str, fault: str) -> str:
    if fault == "malformed":
        # Prose, a code fence, a raw newline inside a string and a trailing comma: all of
        # these are seen from small models and all are locally repairable.
        broken = text.replace('": "', '": "\n', 1)
        broken = broken[:-1] + ",}" if broken.endswith("}") else broken
        return f"Sure! Here is the JSON:\n```json\n{broken}\n```"
    if fault == "partial":
        return text[: max(1, len(text) * 3 // 5)]
    if fault == "garbage":
        return "I am sorry, I cannot produce that."
    if fault == "invalid":
        return json.dumps({"unexpected": True})
    return text


def _tool_message(name: str, args_text: str) -> AIMessage:
    call_id = f"call_{abs(hash(args_text)) % 10**8}"
    try:
        args = json.loads(args_text)
        if not isinstance(args, dict):
            raise ValueError("tool arguments must be an object")
    except ValueError as exc:
        return AIMessage(
            "",
            invalid_tool_calls=[
                {
                    "name": name,
                    "args": args_text,
                    "id": call_id,
                    "error": str(exc),
                    "type": "invalid_tool_call",
                }
            ],
        )
    return AIMessage(
        "", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}]
    )


def _api_error(kind: str, retry_after: float) -> openai.APIError:
    if kind == "429":
        resp = httpx2.Response(429, headers={"retry-after": str(retry_after)}, request=_REQUEST)
        return openai.RateLimitError("Rate limit reached", response=resp, body=None)
    if kind == "500":
        resp = httpx2.Response(500, request=_REQUEST)
        return openai.InternalServerError("Internal server error", response=resp, body=None)
    if kind == "400":
        resp = httpx2.Response(400, request=_REQUEST)
        return openai.BadRequestError("Bad request", response=resp, body=None)
    return openai.APITimeoutError(request=_REQUEST)


def _sdk_parse_error(
    exc: ValueError, text: str, usage: dict[str, Any], finish: str, model: str
) -> BaseException:
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}
        ],
        "usage": {
            "prompt_tokens": usage["input_tokens"],
            "completion_tokens": usage["output_tokens"],
            "total_tokens": usage["total_tokens"],
            "prompt_tokens_details": {
                "cached_tokens": (usage.get("input_token_details") or {}).get("cache_read", 0)},
        },
    }
    if finish == "length":
        return openai.LengthFinishReasonError(completion=ChatCompletion.model_validate(body))
    exc.response = httpx2.Response(200, json=body, request=_REQUEST)  # type: ignore[attr-defined]
    return exc
