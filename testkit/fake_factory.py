"""The fake LLM for worker processes, named by LLM_CHAT_FACTORY=testkit.fake_factory:
chat_factory. It answers the course schemas (testkit/scripted_course.py) after FAKE_LLM_LATENCY
seconds and counts every call in a Redis hash (FAKE_LLM_COUNTS names it), so the test process can
count calls made by any number of processes, including ones it SIGKILLed.

Fields: `started:<Schema>` when a call begins, `done:<Schema>` when its answer is returned, and
`done:<Schema>:<section>` per section for LessonDraft (section number) and SupplementDraft
(start second of the section's range).
"""

from __future__ import annotations

import os
import re
from typing import Any

import redis
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult

from testkit.scripted import FakeChatModel, _requested_schema, _schema_name
from testkit.scripted_course import course_responder

_SECTION = {"LessonDraft": re.compile(r'section (\d+), "'),
            "SupplementDraft": re.compile(r"range ([\d.]+)-")}


class CountingFake(FakeChatModel):
    """A course-writing FakeChatModel that reports its calls to Redis."""

    def _count(self, field: str) -> None:
        url, key = os.environ.get("REDIS_URL"), os.environ.get("FAKE_LLM_COUNTS")
        if not url or not key:
            return  # an embedded server (no Redis): nothing counts the calls
        try:
            with redis.Redis.from_url(url, socket_timeout=2) as client:
                client.hincrby(key, field, 1)
        except redis.RedisError:
            pass  # Redis restarted under the test: counts are not asserted there

    async def _agenerate(self, messages: list[BaseMessage], stop: Any = None,
                         run_manager: Any = None, **kwargs: Any) -> ChatResult:
        schema, _ = _requested_schema(kwargs)
        name = _schema_name(schema)
        self._count(f"started:{name}")
        result = await super()._agenerate(messages, stop, run_manager, **kwargs)
        self._count(f"done:{name}")
        pattern = _SECTION.get(name)
        found = pattern.search("\n".join(str(m.content) for m in messages)) if pattern else None
        if found:
            self._count(f"done:{name}:{found.group(1)}")
        return result


_model: CountingFake | None = None


def chat_factory(_spec: Any) -> CountingFake:
    """One model per process, whatever the model spec (routing is not under test here)."""
    global _model
    if _model is None:
        _model = CountingFake(responder=course_responder,
                              latency_per_call=float(os.environ.get("FAKE_LLM_LATENCY", "0")))
    return _model
