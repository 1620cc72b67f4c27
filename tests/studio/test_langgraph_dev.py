"""`langgraph dev` serves both graphs from langgraph.json, offline, and runs them over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langgraph_cli.config import validate_config_file

from core.domain import GeneratedCourse, Preferences, Transcript
from graph.runner import run_course_graph
from infra.progress_bus import ProgressEvent
from sources.transcript import parse_transcript
from testkit.fake_openai import FakeOpenAIServer
from testkit.scripted_client import scripted_client
from testkit.scripted_course import course_fake
from tests.studio.conftest import CONFIG, REPO, DevServer

pytestmark = pytest.mark.slow
GRAPHS = {"course", "course_edit", "tutor"}
SAMPLE = REPO / "samples" / "sample_lecture.srt"


def test_config_is_valid_and_points_at_compiled_graphs():
    config = validate_config_file(CONFIG)
    assert set(config["graphs"]) == GRAPHS
    assert config["dependencies"] == ["."]
    from graph.course import graph as course
    from graph.edit import graph as edit

    assert course.name == "course" and edit.name == "course_edit"


def test_server_lists_both_graphs(dev_server: DevServer):
    assert httpx.get(f"{dev_server.url}/ok", timeout=5).json()["ok"] is True
    found = httpx.post(f"{dev_server.url}/assistants/search", json={"limit": 50}, timeout=10)
    assert found.status_code == 200, found.text
    assistants = {a["graph_id"]: a["assistant_id"] for a in found.json()}
    assert set(assistants) >= GRAPHS
    inputs = {}
    for graph_id in GRAPHS:
        schemas = httpx.get(f"{dev_server.url}/assistants/{assistants[graph_id]}/schemas",
                            timeout=10)
        assert schemas.status_code == 200, schemas.text
        inputs[graph_id] = set(schemas.json()["state_schema"]["properties"])
    # the server loaded our graphs: their state schemas are pipeline/state.py's
    assert {"url", "transcript_text", "preferences", "review"} <= inputs["course"]
    assert {"previous_outline", "outline", "impacts", "regenerate"} <= inputs["course_edit"]


def test_studio_can_describe_inputs_and_context():
    from graph.course import graph as course
    from graph.edit import graph as edit

    for g in (course, edit):
        assert g.get_input_jsonschema()["properties"]
        assert g.get_output_jsonschema()["properties"]
        assert "max_sections" in g.get_context_jsonschema()["properties"]


async def _generated_course(transcript: Transcript) -> GeneratedCourse:
    return await run_course_graph(transcript, Preferences(duration=24),
                                 llm=scripted_client(course_fake()), course_id="studio-src")


async def test_edit_graph_runs_through_the_http_api(dev_server: DevServer,
                                                    sample_transcript: Transcript):
    """An outline edit whose impacts the caller already assessed needs no LLM call: the server
    runs assess_impact (skipped) → validate → persist and returns the edited course."""
    course = await _generated_course(sample_transcript)
    outline = course.outline.model_dump(by_alias=True)
    edited = json.loads(json.dumps(outline))
    edited["title"] = "Renamed in Studio"
    edited["sections"][1]["title"] = "A better second title"
    impact = {"sectionId": edited["sections"][1]["id"], "kind": "renamed", "severity": "info",
              "message": "renamed", "affectedSections": [], "suggestion": ""}
    graph_input: dict[str, Any] = {
        "course_id": "studio-edit", "previous_outline": outline, "outline": edited,
        "transcript": sample_transcript.model_dump(),
        "contents": {s.id: s.content.model_dump(by_alias=True) for s in course.sections},
        "supplements": {s.id: s.supplement.model_dump(by_alias=True) for s in course.sections},
        "impacts": [impact], "regenerate": [],
    }
    async with httpx.AsyncClient(base_url=dev_server.url, timeout=30) as http:
        thread = (await http.post("/threads", json={})).json()["thread_id"]
        run = await http.post(f"/threads/{thread}/runs/wait",
                              json={"assistant_id": "course_edit", "input": graph_input})
        assert run.status_code == 200, f"{run.text}\n{dev_server.log_tail()}"
        out = run.json()
        assert "__error__" not in out, f"{out}\n{dev_server.log_tail()}"
        state = (await http.get(f"/threads/{thread}/state")).json()
    result = GeneratedCourse.model_validate(out["course"])
    assert result.outline.title == "Renamed in Studio"
    assert [s.title for s in result.sections] == [s["title"] for s in edited["sections"]]
    # contents came through untouched: nothing was regenerated
    assert [s.content for s in result.sections] == [s.content for s in course.sections]
    assert out["validation_issues"] == [] and out["impacts"] == [impact]
    assert state["next"] == [] and state["values"]["course"] == out["course"]


async def stream_run(server: DevServer, graph_input: dict[str, Any]
                     ) -> tuple[str, list[tuple[str, Any]], dict[str, Any]]:
    """Run the course graph on a new thread over /runs/stream: (thread id, events, state)."""
    events: list[tuple[str, Any]] = []
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        thread = (await http.post("/threads", json={})).json()["thread_id"]
        body = {"assistant_id": "course", "input": graph_input,
                "stream_mode": ["custom", "values"]}
        async with http.stream("POST", f"/threads/{thread}/runs/stream", json=body) as resp:
            assert resp.status_code == 200
            event = None
            async for line in resp.aiter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event:
                    events.append((event, json.loads(line.split(":", 1)[1])))
        state = (await http.get(f"/threads/{thread}/state")).json()
    errors = [data for kind, data in events if kind == "error"]
    assert not errors, f"{errors}\n{server.log_tail()}"
    return thread, events, state


def assert_api_progress_events(events: list[tuple[str, Any]], course_id: str,
                               sections: int) -> None:
    """The custom stream carries the API's SSE events: the same ProgressEvent in camelCase,
    for this course, with a known section count and a progress that never goes back."""
    custom = [data for kind, data in events if kind == "custom"]
    assert custom
    for data in custom:
        assert ProgressEvent.model_validate(data).model_dump(by_alias=True, exclude={"id"}) == {
            k: v for k, v in data.items() if k != "id"}, data
        assert not any("_" in key for key in data), data  # camelCase, like the API's SSE
    assert {e["courseId"] for e in custom} == {course_id}
    progress = [e["progress"] for e in custom]
    assert progress == sorted(progress), progress
    assert custom[-1]["type"] == "completed" and progress[-1] == 1.0
    section_events = [e for e in custom if e["type"] == "section"]
    assert len(section_events) == 2 * sections
    assert {e["sectionsTotal"] for e in section_events} == {sections}
    assert [e["sectionsDone"] for e in custom][-1] == sections


async def test_course_graph_runs_through_the_http_api(dev_server: DevServer,
                                                      fake_openai: FakeOpenAIServer):
    """The whole course graph in the server process, its LLM calls going over HTTP (ChatOpenAI)
    to the fake OpenAI server; progress arrives on the custom stream as the API's events."""
    srt = SAMPLE.read_text()
    before = dict(fake_openai.calls)
    graph_input = {"course_id": "studio-course", "transcript_text": srt,
                   "transcript_format": "srt", "title": "HTTP caching",
                   "preferences": {"duration": 24}}
    _, events, state = await stream_run(dev_server, graph_input)
    course = GeneratedCourse.model_validate(state["values"]["course"])
    assert len(course.sections) == 3
    assert all(s.content and s.supplement and s.supplement.quiz.questions
               for s in course.sections)
    # the server parsed the uploaded .srt itself: the outline spans the whole lecture
    assert course.sections[-1].outline.end_seconds == pytest.approx(
        parse_transcript(srt).duration)
    calls = {k: v - before.get(k, 0) for k, v in fake_openai.calls.items()}
    assert calls == {"Analysis": 1, "CourseOutline": 1, "LessonDraft": 3, "SupplementDraft": 3}
    steps = {data.get("step") for kind, data in events if kind == "custom"}
    assert {"analyze", "outline", "write_section", "supplement", "validate"} <= steps
    assert_api_progress_events(events, "studio-course", len(course.sections))


async def test_embedded_default_streams_the_api_events_under_the_thread_id(
        extractive_dev_server: DevServer):
    """Studio with no API key and no model runs the embedded default (extractive, no LLM); an
    input without course_id gets the thread id as its course id on the stream."""
    graph_input = {"transcript_text": SAMPLE.read_text(), "transcript_format": "srt",
                   "preferences": {"duration": 24}}
    thread, events, state = await stream_run(extractive_dev_server, graph_input)
    course = GeneratedCourse.model_validate(state["values"]["course"])
    assert course.sections and all(s.supplement.quiz.questions for s in course.sections)
    assert_api_progress_events(events, thread, len(course.sections))


async def test_tutor_graph_runs_through_the_http_api(dev_server: DevServer,
                                                     sample_transcript: Transcript,
                                                     fake_openai: FakeOpenAIServer):
    """Two questions on one thread: the answer cites a retrieved passage, the second question
    (not covered by the video) is declined without a model call, and the thread keeps both."""
    transcript = sample_transcript.model_dump()
    before = fake_openai.calls.get("TutorDraft", 0)
    async with httpx.AsyncClient(base_url=dev_server.url, timeout=60) as http:
        thread = (await http.post("/threads", json={})).json()["thread_id"]
        outs = []
        for question in ("What does max-age do?", "How do I bake sourdough bread?"):
            run = await http.post(f"/threads/{thread}/runs/wait", json={
                "assistant_id": "tutor",
                "input": {"course_id": "studio", "question": question,
                          "transcript": transcript}})
            assert run.status_code == 200, f"{run.text}\n{dev_server.log_tail()}"
            outs.append(run.json())
        state = (await http.get(f"/threads/{thread}/state")).json()
    answered, declined = outs[0]["answer"], outs[1]["answer"]
    assert answered["covered"] and answered["strategy"] == "llm"
    assert "max-age" in answered["answer"] and answered["sourceRefs"]
    assert answered["sourceRefs"][0]["label"] in answered["answer"]
    assert not declined["covered"] and declined["sourceRefs"] == []
    assert fake_openai.calls.get("TutorDraft", 0) - before == 1
    assert [t["role"] for t in state["values"]["messages"]] == ["user", "tutor"] * 2
