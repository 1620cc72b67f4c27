"""llm_judge against the scripted model: what it sends (transcript and course, each fenced as
data), how a verdict becomes a score, that it skips without a key, and that a verdict outside the
1-5 scale is an error rather than a score."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from core.config import Settings
from evals.evaluators.judge import SYSTEM, llm_judge
from llm.errors import LLMCallFailed
from testkit.scripted import FakeChatModel
from testkit.scripted_client import scripted_client

KEYED = {"OPENAI_API_KEY": "sk-test-not-a-real-key-0000"}


def _judge(verdict: dict[str, Any]) -> FakeChatModel:
    def responder(schema: str, _messages: list[BaseMessage]) -> dict[str, Any] | None:
        return verdict if schema == "Verdict" else None
    return FakeChatModel(responder=responder)


async def test_verdict_becomes_a_score_on_fenced_inputs(photo, photo_course, tmp_path):
    fake = _judge({"faithfulness": 4, "structure": 2, "titles": 3, "quiz": 1, "cards": 5,
                   "lesson": 3, "learner_ready": False, "reason": "Mostly supported."})
    settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=tmp_path, **KEYED)  # type: ignore[call-arg]
    res = await llm_judge(photo_course, photo, llm=scripted_client(fake), settings=settings)
    assert res["score"] == pytest.approx((3 + 1 + 2 + 0 + 4 + 2) / 24)
    assert "faithfulness 4/5" in res["comment"] and "quiz 1/5" in res["comment"]
    assert "learner-ready no" in res["comment"] and "judge/v2" in res["comment"]
    assert "Mostly supported." in res["comment"]
    (call,) = fake.calls
    assert call.schema_name == "Verdict"
    user = call.input_text.split(SYSTEM, 1)[1]
    for tag in ("transcript", "concepts", "course"):  # all data, inside one fence each
        assert user.count(f"<{tag}>") == 1 and user.count(f"</{tag}>") == 1
    assert photo_course.outline.title in call.input_text
    assert photo.transcript.segments[0].text[:40] in call.input_text


async def test_skipped_without_a_key(photo, photo_course, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake = _judge({"faithfulness": 5, "structure": 5, "titles": 5, "quiz": 5, "cards": 5,
                   "lesson": 5, "learner_ready": True, "reason": "x"})
    settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=tmp_path)  # type: ignore[call-arg]
    res = await llm_judge(photo_course, photo, llm=scripted_client(fake), settings=settings)
    assert res["score"] is None and "OPENAI_API_KEY" in res["comment"]
    assert fake.calls == []


async def test_an_off_scale_verdict_is_an_error_not_a_score(photo, photo_course, tmp_path):
    fake = _judge({"faithfulness": 9, "structure": 0, "titles": 3, "quiz": 3, "cards": 3,
                   "lesson": 3, "learner_ready": False, "reason": "x"})
    settings = Settings(_env_file=None, COURSEGEN_DATA_DIR=tmp_path, **KEYED)  # type: ignore[call-arg]
    with pytest.raises(LLMCallFailed):
        await llm_judge(photo_course, photo, llm=scripted_client(fake), settings=settings)
