"""Cassettes: recorded model answers keyed by request, replayed through the real `ChatOpenAI`.

A cassette is a folder of JSON files, one per request: `{"key", "schema", "messages", "answer"}`
where `answer` is the JSON the model returned. The key is a hash of the normalized request (the
messages' roles and contents, whitespace-trimmed per line, and the response's JSON schema), so
any change to a prompt or a schema changes it. Replay (`cassette_chat_factory`) builds the same
ChatOpenAI the app uses (llm.factory.chat_openai) over an httpx transport that answers from the
cassette: only the transport differs from a live endpoint. A request with no recording is
answered 400 and noted in `Cassette.misses`, with the recorded request of the same schema it
most resembles and the first line where they differ: the test names the answer that no longer
matches its prompt.

Recordings are made by hand through testkit/byhand.py (docs/BYHAND.md).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from llm.registry import ModelSpec
from testkit.chat_request import Requested, requested


def _schema_of(body: dict[str, Any]) -> Requested:
    """(schema name, JSON schema, how the answer is sent: "tool" or "content")."""
    return requested(body, plain=("json", {}, "content"))


def _text(content: Any) -> str:
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return "\n".join(line.rstrip() for line in str(content or "").strip().splitlines())


def normalized(body: dict[str, Any]) -> dict[str, Any]:
    """What a recording is keyed by: the messages and the requested schema, nothing else
    (model name, temperature and token caps may differ between recording and replay)."""
    name, schema, _ = _schema_of(body)
    return {"schema_name": name, "schema": schema,
            "messages": [{"role": m.get("role", "user"), "content": _text(m.get("content"))}
                         for m in body.get("messages", [])]}


def request_key(body: dict[str, Any]) -> str:
    data = json.dumps(normalized(body), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:24]


def completion(body: dict[str, Any], answer: Any) -> dict[str, Any]:
    """An OpenAI chat.completion carrying `answer` the way the request asked for it."""
    name, _, mode = _schema_of(body)
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": text if mode == "content" else None}
    if mode == "tool":
        message["tool_calls"] = [{"id": "call_cassette", "type": "function",
                                  "function": {"name": name, "arguments": text}}]
    prompt_chars = sum(len(_text(m.get("content"))) for m in body.get("messages", []))
    return {"id": "chatcmpl-cassette", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "cassette"),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if mode == "tool" else "stop"}],
            "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(text) // 4,
                      "total_tokens": (prompt_chars + len(text)) // 4}}


@dataclass
class Miss:
    """A request the cassette has no answer for, and the recording it most resembles."""

    schema_name: str
    key: str
    nearest: str | None  # that recording's file name
    first_difference: str  # a short unified diff of the first differing lines

    def __str__(self) -> str:
        if self.nearest is None:
            return f"{self.schema_name} request {self.key}: nothing of that schema recorded"
        return (f"{self.schema_name} request {self.key}: the recorded answer {self.nearest} no "
                f"longer matches its prompt:\n{self.first_difference}")


@dataclass
class Cassette:
    folder: Path
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    misses: list[Miss] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path) -> Cassette:
        found = {}
        for path in sorted(folder.glob("*.json")):
            rec = json.loads(path.read_text(encoding="utf-8"))
            rec["file"] = path.name
            found[rec["key"]] = rec
        return cls(folder=folder, recordings=found)

    def save(self, body: dict[str, Any], answer: Any, name: str) -> Path:
        """Record `answer` for the request `body` as `<name>.json`."""
        key = request_key(body)
        rec = {"key": key, **normalized(body), "answer": answer}
        path = self.folder / f"{name}.json"
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.recordings[key] = {**rec, "file": path.name}
        return path

    def answer(self, body: dict[str, Any]) -> Any | None:
        key = request_key(body)
        rec = self.recordings.get(key)
        if rec is None:
            self.misses.append(self._miss(body, key))
            return None
        self.used.add(key)
        return rec["answer"]

    def unused(self) -> list[str]:
        return sorted(r["file"] for k, r in self.recordings.items() if k not in self.used)

    def _miss(self, body: dict[str, Any], key: str) -> Miss:
        want = normalized(body)
        text = _flat(want)
        same = [r for r in self.recordings.values() if r["schema_name"] == want["schema_name"]]
        if not same:
            return Miss(want["schema_name"], key, None, "")
        best = max(same, key=lambda r: difflib.SequenceMatcher(
            None, _flat(r), text, autojunk=False).quick_ratio())
        diff = list(difflib.unified_diff(_flat(best).splitlines(), text.splitlines(),
                                         "recorded", "sent", n=1, lineterm=""))
        return Miss(want["schema_name"], key, best["file"], "\n".join(diff[:12]))


def _flat(rec: dict[str, Any]) -> str:
    parts = [f"## {m['role']}\n{m['content']}" for m in rec["messages"]]
    return "\n".join(parts) + "\n## schema\n" + json.dumps(rec["schema"], indent=1,
                                                           sort_keys=True)


class CassetteTransport(httpx.AsyncBaseTransport):
    """Answers /chat/completions from a cassette: 200 with the recording, else 400."""

    def __init__(self, cassette: Cassette) -> None:
        self.cassette = cassette

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread() or b"{}")
        if not request.url.path.rstrip("/").endswith("/chat/completions"):
            return httpx.Response(404, json={"error": {"message": "not found"}})
        answer = self.cassette.answer(body)
        if answer is None:
            miss = self.cassette.misses[-1]
            return httpx.Response(400, json={"error": {
                "message": f"no recorded answer: {miss}", "type": "invalid_request_error",
                "code": "cassette_miss"}})
        return httpx.Response(200, json=completion(body, answer))


def cassette_chat_factory(cassette: Cassette, *, timeout: float = 30,
                          temperature: float = 0.2) -> Any:
    """A chat factory (llm.factory.ChatFactory) of real ChatOpenAI models whose HTTP client
    answers from `cassette`."""
    from llm.factory import chat_openai

    client = httpx.AsyncClient(transport=CassetteTransport(cassette),
                               base_url="http://cassette.invalid/v1")

    def make(spec: ModelSpec) -> Any:
        return chat_openai(spec, "http://cassette.invalid/v1", "sk-cassette", timeout,
                           temperature, http_async_client=client)

    return make


# The one model of recorded courses: prompts depend on the window (chunking, slice budgets),
# so recording and replay must use the same spec.
CASSETTE_SPEC = ModelSpec(name="byhand", api_key_env=None, context_window=128_000,
                          max_output=16_000, structured_method="json_schema")


def cassette_client(cassette: Cassette) -> Any:
    """An LLMClient on CASSETTE_SPEC answering from `cassette` (no retries: a miss is final)."""
    from llm.client import LLMClient
    from llm.registry import ModelRegistry

    return LLMClient(ModelRegistry([CASSETTE_SPEC]), chat_factory=cassette_chat_factory(
        cassette), max_retries=0, backoff_base=0.001, backoff_max=0.01)


_ENV_FACTORIES: dict[str, Any] = {}


def env_chat_factory(spec: ModelSpec) -> Any:
    """LLM_CHAT_FACTORY=testkit.cassette:env_chat_factory: any process (the CLI, the API, a
    worker) answered from the cassette folder named by CASSETTE_DIR, through its own
    ChatOpenAI. Give it COURSEGEN_MODELS=[CASSETTE_SPEC] so its prompts are the recorded ones."""
    import os

    folder = os.environ["CASSETTE_DIR"]
    if folder not in _ENV_FACTORIES:
        _ENV_FACTORIES[folder] = cassette_chat_factory(Cassette.load(Path(folder)))
    return _ENV_FACTORIES[folder](spec)
