"""The fake OpenAI server misbehaves as told: the fault benchmark's cases depend on it."""

from __future__ import annotations

import time

import httpx

from testkit.fake_openai import FakeOpenAIServer, Faults


def ask(server: FakeOpenAIServer, schema: str) -> httpx.Response:
    tool = {"type": "function", "function": {"name": schema, "parameters": {
        "type": "object", "properties": {"answer": {"type": "string"}}}}}
    body = {"model": "fake", "messages": [{"role": "user", "content": "hello there"}],
            "tools": [tool], "tool_choice": {"type": "function", "function": {"name": schema}}}
    return httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=10)


def test_refuses_the_chosen_schemas_then_all_then_recovers_after_an_outage() -> None:
    with FakeOpenAIServer(Faults(refuse=frozenset({"LessonDraft"}))) as server:
        assert ask(server, "LessonDraft").status_code == 500
        answered = ask(server, "Analysis")
        assert answered.status_code == 200
        assert answered.json()["choices"][0]["message"]["tool_calls"]
        server.faults = Faults(refuse_all=True)
        assert ask(server, "Analysis").status_code == 500
        server.faults = Faults(outage_until=time.monotonic() + 60)
        assert ask(server, "Analysis").status_code == 500
        server.faults = Faults(outage_until=time.monotonic() - 1)  # the outage is over
        assert ask(server, "Analysis").status_code == 200
        assert server.refused == {"LessonDraft": 1, "Analysis": 2}
        assert server.calls == {"Analysis": 2}
