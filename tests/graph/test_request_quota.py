"""A course against an OpenAI-compatible server that enforces a request quota with 429s.

The real ChatOpenAI client talks HTTP to testkit/fake_openai.py, which admits at most 2
requests per sliding second and refuses the rest with Retry-After and x-ratelimit-* headers, as
OpenAI does. The course must complete with no failed call although its first burst (the
writers, then the supplements, up to LLM_INITIAL_CONCURRENCY at once) overruns the quota,
even with a single retry allowed: waiting out a hinted 429 is pacing, not a failure.
"""

from __future__ import annotations

import json

from core.config import Settings
from core.domain import Preferences
from graph.runner import run_course_graph
from llm.client import build_llm_client
from testkit.fake_openai import FakeOpenAIServer, Faults

QUOTA = 2  # requests per second


def _settings(base_url: str) -> Settings:
    model = {"name": "fake-http", "base_url": base_url, "api_key_env": None, "local": True,
             "context_window": 8192, "max_output": 1024,
             "structured_method": "function_calling"}
    return Settings(_env_file=None, COURSEGEN_MODELS=json.dumps([model]), LLM_CACHE="false",
                    LLM_MAX_RETRIES=1, OPENAI_BASE_URL="", OPENAI_API_KEY="",
                    LOCAL_MODEL_AUTOSTART="false")


async def test_course_completes_within_a_request_quota(sample_transcript) -> None:
    with FakeOpenAIServer(Faults(quota_requests=QUOTA, quota_window=1.0)) as server:
        llm = build_llm_client(_settings(server.base_url))
        course = await run_course_graph(sample_transcript, Preferences(duration=24), llm=llm)
    assert len(course.sections) == 3
    assert all(s.supplement and s.supplement.quiz.questions for s in course.sections)
    assert sum(server.rate_limited.values()) > 0  # the quota was hit...
    assert server.max_admitted_in_window() <= QUOTA  # ...and enforced
    totals = llm.usage.totals()
    assert totals.failed_calls == 0 and totals.calls == sum(server.calls.values())
