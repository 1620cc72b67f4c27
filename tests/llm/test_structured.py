"""Structured calls through the fake, for every method the registry can name."""

from __future__ import annotations

import pytest

from llm.client import ContextTooLarge, LLMCallFailed, StructuredOutputInvalid
from llm.errors import StructuredOutputInvalid as _SOI

from .conftest import Lesson

METHODS = ["function_calling", "json_schema", "json_mode"]
USER = "Photosynthesis converts sunlight into chemical energy inside chloroplasts"


@pytest.mark.parametrize("method", METHODS)
async def test_valid_answer_derived_from_input(make_client, method: str) -> None:
    client, fake = make_client(method)
    lesson = await client.structured(Lesson, system="Write a lesson.", user=USER, node="writer")
    assert isinstance(lesson, Lesson)
    assert lesson.title.split()[0] == "Photosynthesis"  # content follows the input
    assert fake.count("Lesson") == 1
    assert fake.calls[0].method == method
    [rec] = client.usage.records
    assert (rec.node, rec.model, rec.attempts, rec.ok) == ("writer", "fake-small", 1, True)
    assert rec.input_tokens == fake.calls[0].input_tokens > 0
    assert rec.output_tokens == fake.calls[0].output_tokens > 0


async def test_json_mode_puts_schema_in_prompt(make_client) -> None:
    client, fake = make_client("json_mode")
    await client.structured(Lesson, system="Write a lesson.", user=USER, node="writer")
    assert '"key_points"' in fake.calls[0].input_text
    assert "JSON schema" in fake.calls[0].input_text


@pytest.mark.parametrize("method", METHODS)
async def test_malformed_json_repaired_locally(make_client, method: str) -> None:
    client, fake = make_client(method, fake={"script": ["malformed"]})
    lesson = await client.structured(Lesson, system="s", user=USER, node="writer")
    assert lesson.key_points and lesson.minutes >= 1
    assert fake.count() == 1  # no re-ask: repaired in place
    assert client.usage.records[0].attempts == 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fault", ["partial", "garbage", "invalid"])
async def test_unrepairable_answer_is_reasked_with_the_error(
    make_client, method: str, fault: str
) -> None:
    client, fake = make_client(method, fake={"script": [fault, "ok"]})
    lesson = await client.structured(Lesson, system="s", user=USER, node="writer")
    assert isinstance(lesson, Lesson)
    assert [c.fault for c in fake.calls] == [fault, "ok"]
    reask_input = fake.calls[1].input_text
    # a cut-off answer is never "repaired" into a shorter one: it is asked for again
    expected = "was cut off" if fault == "partial" else "could not be used"
    assert expected in reask_input and USER in reask_input
    rec = client.usage.records[0]
    assert rec.attempts == 2
    # both answers were paid for
    assert rec.output_tokens == sum(c.output_tokens for c in fake.calls)


async def test_reask_only_once_then_fail(make_client) -> None:
    client, fake = make_client(fake={"script": ["garbage", "garbage", "ok"]})
    with pytest.raises(LLMCallFailed) as exc:
        await client.structured(Lesson, system="s", user=USER, node="outline")
    assert isinstance(exc.value.cause, StructuredOutputInvalid)
    assert exc.value.cause is not None and _SOI is StructuredOutputInvalid
    assert exc.value.node == "outline" and "outline" in str(exc.value)
    assert fake.count() == 2
    assert client.usage.records[0].ok is False


async def test_custom_responder_and_priority(make_client) -> None:
    def responder(name: str, messages) -> dict | None:
        if name != "Lesson":
            return None
        return {"title": "Fixed", "summary": "s", "minutes": 7, "key_points": ["a"]}

    client, fake = make_client(fake={"responder": responder})
    lesson = await client.structured(Lesson, system="s", user=USER, node="n", priority="quality")
    assert lesson.title == "Fixed" and lesson.minutes == 7


async def test_max_output_tokens_is_passed_and_used_for_routing(make_client) -> None:
    client, fake = make_client()
    await client.structured(Lesson, system="s", user=USER, node="n", max_output_tokens=900)
    assert fake.calls[0].max_tokens == 900
    # 8192 window: ~7,200 prompt tokens leave room for a 900-token answer but not for 1,000
    prompt = "word " * 7_200
    await client.structured(Lesson, system="s", user=prompt, node="n", max_output_tokens=900)
    with pytest.raises(ContextTooLarge):
        await client.structured(Lesson, system="s", user=prompt, node="n",
                                max_output_tokens=1_000)
