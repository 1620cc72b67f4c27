"""The fake model itself: schema filling, scripted/rate faults, errors shaped like the SDK's."""

from __future__ import annotations

import pathlib

import openai
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from testkit.scripted import FakeChatModel, fill_schema

from .conftest import Lesson

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_fill_schema_valid_and_input_derived() -> None:
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    value = fill_schema(Lesson.model_json_schema(), words)
    lesson = Lesson.model_validate(value)
    assert lesson.title == "alpha beta gamma delta"
    assert 1 <= lesson.minutes <= 120


async def test_plain_structured_output_without_raw() -> None:
    fake = FakeChatModel()
    for method in ("function_calling", "json_schema", "json_mode"):
        runnable = fake.with_structured_output(Lesson, method=method)
        out = await runnable.ainvoke([SystemMessage("s"), HumanMessage("Rivers carve valleys")])
        assert isinstance(out, Lesson) and out.title.startswith("Rivers carve valleys")
    assert fake.count("Lesson") == 3 and fake.count("Other") == 0


def test_sync_invoke_and_usage() -> None:
    fake = FakeChatModel()
    out = fake.with_structured_output(Lesson, method="function_calling", include_raw=True).invoke(
        [HumanMessage("Glaciers move slowly")]
    )
    assert out["parsing_error"] is None
    usage = out["raw"].usage_metadata
    assert usage["input_tokens"] == fake.calls[0].input_tokens
    assert usage["output_tokens"] == fake.calls[0].output_tokens > 0


async def test_faulted_errors_are_real_sdk_errors() -> None:
    fake = FakeChatModel(script=["429", "500", "timeout"], retry_after=0.25)
    runnable = fake.with_structured_output(Lesson, method="function_calling")
    with pytest.raises(openai.RateLimitError) as e429:
        await runnable.ainvoke("x")
    assert e429.value.response.headers["retry-after"] == "0.25"
    with pytest.raises(openai.InternalServerError):
        await runnable.ainvoke("x")
    with pytest.raises(openai.APITimeoutError):
        await runnable.ainvoke("x")
    assert [c.fault for c in fake.calls] == ["429", "500", "timeout"]
    await runnable.ainvoke("x")  # script used up: back to normal answers


def test_fault_rate_is_seeded() -> None:
    def faults(seed: int) -> list[str]:
        fake = FakeChatModel(fault_rate=0.5, seed=seed, fault_kinds=("malformed", "partial"))
        r = fake.with_structured_output(Lesson, method="json_mode", include_raw=True)
        for _ in range(20):
            r.invoke("Deserts receive little rain")
        return [c.fault for c in fake.calls]

    assert faults(3) == faults(3)
    assert 3 < sum(f != "ok" for f in faults(3)) < 17


def test_unknown_script_entry_rejected() -> None:
    with pytest.raises(ValueError):
        FakeChatModel(script=["ok", "boom"])


def test_course_responder_fails_loudly_when_the_outliner_prompt_is_reworded() -> None:
    from prompts import load_prompt
    from testkit.scripted_course import PromptDrift, course_responder

    system, user = load_prompt("outliner").render(
        difficulty="beginner", minutes=24, language="en", section_count=4,
        duration_seconds=600.0, segments="- (none)", analysis="{}")
    answer = course_responder("CourseOutline", [SystemMessage(system), HumanMessage(user)])
    assert answer is not None and len(answer["sections"]) == 4  # read from the real prompt
    reworded = user.replace("Make exactly 4 sections", "Use 4 sections")
    with pytest.raises(PromptDrift, match="Make exactly"):
        course_responder("CourseOutline", [SystemMessage(system), HumanMessage(reworded)])
