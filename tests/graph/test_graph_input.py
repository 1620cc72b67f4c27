"""The course graph's input as LangGraph Studio sends it: unchecked JSON. Bad input fails at once
with an error whose message Studio shows (langgraph-api shows the message of a ValueError or
RuntimeError, and "An internal error occurred" for anything else)."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph_api.serde import default as studio_shows
from pydantic import ValidationError

from graph.course import compile_course_graph
from sources.youtube import TranscriptError


@pytest.fixture
def graph(tmp_path, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("COURSEGEN_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield compile_course_graph()
    get_settings.cache_clear()


async def failure(graph: Any, graph_input: Any, context: Any = None) -> dict[str, str]:
    with pytest.raises(Exception) as caught:
        await graph.ainvoke(graph_input, context=context)
    shown = studio_shows(caught.value)
    assert shown["message"] != "An internal error occurred", caught.value
    return shown


@pytest.mark.parametrize(("graph_input", "says"), [
    ({}, "no source given; set one of url"),
    ({"transcript_text": ""}, "transcript_text is empty"),
    ({"transcript_text": "  \n "}, "transcript_text is empty"),
    ({"transcript_text": "x", "transcript_format": "pdf"}, "'srt', 'vtt' or 'txt'"),
    ({"url": "https://youtu.be/abc", "preferences": {"duration": 0}}, "greater than or equal to 5"),
])
async def test_a_bad_input_says_what_is_wrong(graph, graph_input, says):
    shown = await failure(graph, graph_input)
    assert shown["error"] == "ValidationError" and says in shown["message"]


async def test_a_string_input_is_refused_with_a_message(graph):
    shown = await failure(graph, "x")
    assert "Expected dict, got x" in shown["message"]


@pytest.mark.parametrize(("knobs", "says"), [
    ({"max_sections": -1}, "max_sections"),
    ({"max_sections": 0}, "max_sections"),
    ({"quiz_questions": -1}, "quiz_questions"),
    ({"writer_concurrency": 0}, "writer_concurrency"),
])
async def test_a_run_knob_out_of_range_is_refused(graph, sample_transcript, knobs, says):
    shown = await failure(graph, {"transcript": sample_transcript.model_dump()}, knobs)
    assert shown["error"] == "ValueError"
    assert shown["message"].startswith(f"{says} must be a whole number from 1 to ")


async def test_valid_knobs_reach_the_run(graph, sample_transcript):
    out = await graph.ainvoke({"transcript": sample_transcript.model_dump()},
                              context={"max_sections": 2, "quiz_questions": 1})
    sections = out["course"]["sections"]
    assert len(sections) == 2
    assert all(len(s["supplement"]["quiz"]) == 1 for s in sections)


async def test_an_offline_youtube_url_is_a_typed_source_error(graph, monkeypatch):
    # no network: every HTTP client (yt-dlp, youtube-transcript-api) meets a closed proxy port
    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(TranscriptError) as caught:
        await graph.ainvoke({"url": "https://youtu.be/dQw4w9WgXcQ"})
    assert caught.value.code == "upstream_unreachable"
    assert studio_shows(caught.value) == {"error": "TranscriptError",
                                          "message": caught.value.message}
    assert "YouTube could not be reached" in caught.value.message


def test_the_input_schema_studio_shows_carries_the_rules(graph):
    schema = graph.get_input_jsonschema()
    assert schema["properties"]["transcript_format"]["anyOf"][0]["enum"] == ["srt", "vtt", "txt"]
    assert graph.get_context_jsonschema()["properties"]["max_sections"]["anyOf"][0]["minimum"] == 1
    with pytest.raises(ValidationError):
        graph.builder.input_schema.model_validate({})
