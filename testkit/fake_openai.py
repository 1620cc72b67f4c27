"""A tiny OpenAI-compatible chat server answering the course schemas, for processes we do not own.

`langgraph dev`, `coursegen serve` and workers run the graphs in their own process, where our
in-memory fake LLM cannot reach; pointed at this server (COURSEGEN_MODELS with its base_url) the
real `ChatOpenAI` path runs end to end over HTTP. Answers come from testkit/scripted_course.py's
responder (or fill the requested schema), as forced tool calls (function_calling) or JSON content
(json_schema / json_object). `Faults` makes it misbehave the way providers do: 500 for chosen
schemas or all of them, slow answers, an outage that ends. `log` records every request's
arrival and answer on this process's monotonic clock, and the characters it carried.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from llm.tokens import count_tokens
from testkit import quota
from testkit.chat_request import Requested, requested
from testkit.http import send_json
from testkit.scripted import fill_schema
from testkit.scripted_course import course_responder

ROLES = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def _messages(raw: list[dict[str, Any]]) -> list[BaseMessage]:
    out: list[BaseMessage] = []
    for m in raw:
        content = m.get("content") or ""
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        out.append(ROLES.get(m.get("role", "user"), HumanMessage)(content=content))
    return out


# a request with no schema is answered as a one-field object
PLAIN_ANSWER: Requested = (
    "object", {"type": "object", "properties": {"answer": {"type": "string"}}}, "content")


def _requested(body: dict[str, Any]) -> Requested:
    """(schema name, JSON schema, how to answer) from an OpenAI chat request."""
    return requested(body, plain=PLAIN_ANSWER)


def completion(body: dict[str, Any]) -> dict[str, Any]:
    name, schema, mode = _requested(body)
    messages = _messages(body.get("messages", []))
    data = course_responder(name, messages)
    if data is None:
        words = " ".join(str(m.content) for m in messages if m.type == "human").split()
        data = fill_schema(schema, words)
    text = json.dumps(data)
    prompt_tokens = count_tokens("\n\n".join(str(m.content) for m in messages))
    message: dict[str, Any] = {"role": "assistant", "content": text if mode == "content" else None}
    if mode == "tool":
        message["tool_calls"] = [{"id": f"call_{time.monotonic_ns()}", "type": "function",
                                  "function": {"name": name, "arguments": text}}]
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}", "object": "chat.completion",
        "created": int(time.time()), "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": message,
                     "finish_reason": "tool_calls" if mode == "tool" else "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": count_tokens(text),
                  "total_tokens": prompt_tokens + count_tokens(text)},
    }


@dataclass(frozen=True)
class CallRecord:
    """One request as the server saw it: from its body read to its answer written."""

    schema: str
    started: float  # time.monotonic()
    ended: float
    status: int
    input_chars: int  # message contents, all roles
    schema_chars: int  # the tool / response_format JSON schema sent with it


def input_chars(body: dict[str, Any]) -> int:
    return sum(len(str(m.content)) for m in _messages(body.get("messages", [])))


def schema_chars(body: dict[str, Any]) -> int:
    spec = body.get("tools") or (body.get("response_format") or {}).get("json_schema") or {}
    return len(json.dumps(spec)) if spec else 0


@dataclass
class Faults:
    """How the server misbehaves; swap `server.faults` between runs."""

    refuse: frozenset[str] = field(default_factory=frozenset)  # schema names answered 500
    refuse_all: bool = False
    delay_seconds: float = 0.0  # before every answer (refusals included)
    # each answer takes this long from the request's arrival, the fake's own work included
    # (a provider with a fixed latency; delay_seconds adds to the work instead)
    answer_seconds: float = 0.0
    outage_until: float = 0.0  # time.monotonic() before which every call is 500
    # A request quota as OpenAI enforces it: at most `quota_requests` per sliding
    # `quota_window` seconds (0: none); beyond it a 429 with Retry-After, and every answer
    # carries x-ratelimit-remaining-requests / x-ratelimit-reset-requests.
    quota_requests: int = 0
    quota_window: float = 1.0

    def status(self, schema: str) -> int:
        if self.refuse_all or schema in self.refuse or time.monotonic() < self.outage_until:
            return 500
        return 200


class FakeOpenAIServer:
    """Serve /v1/chat/completions on 127.0.0.1 from a background thread; counts calls by schema
    (`calls`: answered, `refused`: answered 500) and logs each one (`log`)."""

    def __init__(self, faults: Faults | None = None) -> None:
        self.calls: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.log: list[CallRecord] = []
        self.faults = faults or Faults()
        self.rate_limited: Counter[str] = Counter()  # 429s sent, by schema
        self.admitted: list[float] = []  # arrival of every request the quota let through
        self._quota_lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                started = time.monotonic()
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self.send_error(404)
                    return
                schema = _requested(body)[0]
                status = self._handle(schema, body, started)
                owner.log.append(CallRecord(schema, started, time.monotonic(), status,
                                            input_chars(body), schema_chars(body)))

            def _handle(self, schema: str, body: dict[str, Any], started: float) -> int:
                faults = owner.faults
                if faults.delay_seconds:
                    time.sleep(faults.delay_seconds)  # a handler thread per request
                refused, quota = owner.admit(started)
                if refused:
                    owner.rate_limited[schema] += 1
                    send_json(self, 429, {"error": {
                        "message": "Rate limit reached for requests", "type": "requests",
                        "code": "rate_limit_exceeded"}}, quota)
                    return 429
                status = faults.status(schema)
                if status != 200:
                    owner.refused[schema] += 1
                    self._answer(status, {"error": {"message": f"fake outage ({schema})",
                                                    "type": "server_error", "code": None}})
                    return status
                owner.calls[schema] += 1
                answer = completion(body)
                time.sleep(max(0.0, started + faults.answer_seconds - time.monotonic()))
                self._answer(200, answer, quota)
                return 200

            def _answer(self, status: int, body: dict[str, Any],
                        headers: dict[str, str] | None = None) -> None:
                send_json(self, status, body, headers)

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def admit(self, now: float) -> tuple[bool, dict[str, str] | None]:
        """Whether the quota refuses a request arriving at `now`, and the quota's headers for
        the answer (None without a quota)."""
        if not self.faults.quota_requests:
            return False, None
        with self._quota_lock:
            return quota.admit(self.admitted, self.faults.quota_requests,
                               self.faults.quota_window, now)

    def max_admitted_in_window(self) -> int:
        """The most requests the quota let through in any one window (checks the quota)."""
        window = self.faults.quota_window
        times = sorted(self.admitted)
        return max((sum(1 for u in times if t <= u < t + window) for t in times), default=0)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
