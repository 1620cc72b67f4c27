"""LLMClient over the real ChatOpenAI + OpenAI SDK, with HTTP answered by a mock transport.

This checks the assumptions the fake mirrors: SDK error types and Retry-After, tool-call
parsing, and json_schema parse failures surfacing as exceptions carrying the raw response.
"""

from __future__ import annotations

import json

import httpx2
import pytest
from langchain_openai import ChatOpenAI

from llm.client import LLMClient, ModelRegistry

from .conftest import Lesson, spec

GOOD = {"title": "Tides", "summary": "Moon pulls water", "minutes": 5, "key_points": ["gravity"]}


def completion(message: dict) -> dict:
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", **message}}],
        "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
    }


def tool_call(args: str) -> dict:
    return {"content": None, "tool_calls": [{"id": "c1", "type": "function",
                                             "function": {"name": "Lesson", "arguments": args}}]}


def client_for(method: str, replies: list[httpx2.Response], **spec_kw
               ) -> tuple[LLMClient, list[dict]]:
    requests: list[dict] = []

    async def handler(request: httpx2.Request) -> httpx2.Response:
        requests.append(json.loads(request.content))
        return replies.pop(0)

    def factory(s):
        return ChatOpenAI(
            model=s.name, api_key="sk-test", base_url="http://llm.test/v1", max_retries=0,
            http_async_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)),
            include_response_headers=True,  # as llm/factory.py builds it
        )

    client = LLMClient(ModelRegistry([spec("m", method=method, **spec_kw)]), chat_factory=factory,
                       backoff_base=0.001)
    return client, requests


async def test_function_calling_with_429_then_success() -> None:
    replies = [
        httpx2.Response(429, headers={"retry-after-ms": "10"}, json={"error": {"message": "x"}}),
        httpx2.Response(200, json=completion(tool_call(json.dumps(GOOD)))),
    ]
    client, requests = client_for("function_calling", replies)
    lesson = await client.structured(Lesson, system="s", user="tides", node="writer")
    assert lesson == Lesson(**GOOD)
    assert requests[0]["tool_choice"]["function"]["name"] == "Lesson"
    [rec] = client.usage.records
    assert (rec.input_tokens, rec.output_tokens, rec.attempts) == (50, 20, 2)  # provider usage


async def test_function_calling_malformed_args_repaired() -> None:
    broken = '{"title": "Tides", "summary": "Moon\npulls", "minutes": 5, "key_points": ["g",]'
    client, _ = client_for("function_calling",
                           [httpx2.Response(200, json=completion(tool_call(broken)))])
    lesson = await client.structured(Lesson, system="s", user="tides", node="writer")
    assert lesson.summary == "Moon\npulls" and lesson.key_points == ["g"]


@pytest.mark.parametrize("content", ['{"title": "Tides", "summ', '{"unexpected": 1}'])
async def test_json_schema_parse_failure_is_reasked(content: str) -> None:
    replies = [httpx2.Response(200, json=completion({"content": content})),
               httpx2.Response(200, json=completion({"content": json.dumps(GOOD)}))]
    client, requests = client_for("json_schema", replies)
    lesson = await client.structured(Lesson, system="s", user="tides", node="writer")
    assert lesson == Lesson(**GOOD)
    assert requests[0]["response_format"]["type"] == "json_schema"
    assert "could not be used" in requests[1]["messages"][-1]["content"]
    assert client.usage.records[0].input_tokens == 100  # both attempts, as reported


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
async def test_cached_prompt_tokens_and_quota_headers_are_read(method: str) -> None:
    body = completion(tool_call(json.dumps(GOOD)) if method == "function_calling"
                      else {"content": json.dumps(GOOD)})
    body["usage"]["prompt_tokens_details"] = {"cached_tokens": 32}
    quota = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "2s"}
    client, _ = client_for(method, [httpx2.Response(200, json=body, headers=quota)],
                           price_cached_in_per_m=0.5)
    await client.structured(Lesson, system="s", user="tides", node="writer")
    [rec] = client.usage.records
    assert (rec.input_tokens, rec.cached_input_tokens) == (50, 32)
    assert rec.cost_usd == pytest.approx((18 * 1.0 + 32 * 0.5 + 20 * 2.0) / 1e6)
    # the last request of the quota was used: the next call waits for the reset
    assert 1.5 < client.limiter(client.registry.models[0]).paused_for() <= 2


async def test_json_schema_parse_failure_keeps_cached_tokens() -> None:
    body = completion({"content": '{"title": "Tides", "summ'})
    body["usage"]["prompt_tokens_details"] = {"cached_tokens": 40}
    replies = [httpx2.Response(200, json=body),
               httpx2.Response(200, json=completion({"content": json.dumps(GOOD)}))]
    client, _ = client_for("json_schema", replies)
    await client.structured(Lesson, system="s", user="tides", node="writer")
    assert client.usage.records[0].cached_input_tokens == 40
