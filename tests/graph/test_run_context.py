"""Each graph has one typed run context: declared as its context_schema, taken by every node as
`Runtime[ThatContext]`, and built per run (from Studio's dict of knobs) with no process cache."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.runtime import Runtime

from core.domain import GeneratedCourse
from graph.course import build_course_graph, compile_course_graph
from graph.edit import build_edit_graph
from graph.tutor_graph import build_tutor_graph
from pipeline.context import CourseContext
from pipeline.tutor_state import TutorContext

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["api", "jobs", "graph", "agents", "pipeline", "nlp", "sources", "infra", "llm",
           "db", "core", "cli"]


def _runtime_type(func: typing.Any) -> typing.Any:
    hints = typing.get_type_hints(func)
    return hints.get("runtime")


def test_every_node_takes_its_graphs_context():
    for builder, context in ((build_course_graph(), CourseContext),
                             (build_edit_graph(), CourseContext),
                             (build_tutor_graph(), TutorContext)):
        assert builder.context_schema is context
        for name, spec in builder.nodes.items():
            func = getattr(spec.runnable, "afunc", None) or spec.runnable.func
            if "runtime" in inspect.signature(func).parameters:
                assert _runtime_type(func) == Runtime[context], name


def test_no_untyped_runtime_is_left():
    found = [f"{p.relative_to(REPO)}" for pkg in SHIPPED for p in (REPO / pkg).rglob("*.py")
             if "Runtime[Any]" in p.read_text()]
    assert found == []


def test_contexts_are_frozen():
    ctx = CourseContext()
    try:
        ctx.max_sections = 3  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("a run context can be changed by a node")


async def test_studio_knobs_become_the_runs_context(sample_transcript):
    """Studio sends the knobs as a dict; LangGraph builds a CourseContext from it, and the nodes
    honour the knobs (the extractive strategy: no model is configured in tests)."""
    graph = compile_course_graph(InMemorySaver())
    runs = []
    for questions in (1, 2):
        state = await graph.ainvoke(
            {"course_id": f"studio-{questions}", "transcript": sample_transcript.model_dump(),
             "preferences": {"duration": 16}},
            {"configurable": {"thread_id": f"studio-{questions}"}},
            context={"max_sections": 2, "quiz_questions": questions})
        runs.append(GeneratedCourse.model_validate(state["course"]))
    for questions, course in zip((1, 2), runs, strict=True):
        assert 1 <= len(course.sections) <= 2
        counts = {len(s.supplement.quiz.questions) for s in course.sections if s.supplement}
        assert counts and max(counts) <= questions, counts


def _camel_keys(value: typing.Any, path: str = "") -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and any(c.isupper() for c in key):
                found.append(f"{path}.{key}")
            found += _camel_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            found += _camel_keys(item, f"{path}[]")
    return found


async def test_graph_state_is_snake_case_inside(make_llm, sample_transcript):
    """One casing inside: every key of the checkpointed state is snake_case, whether the
    transcript came in camelCase (as stored rows and the API hold it) or not."""
    _, llm = make_llm()
    graph = compile_course_graph(InMemorySaver())
    config = {"configurable": {"thread_id": "snake"}}
    await graph.ainvoke({"course_id": "snake", "preferences": {"duration": 16},
                         "transcript": sample_transcript.model_dump(by_alias=True)},
                        config, context=CourseContext(llm=llm))
    values = (await graph.aget_state(config)).values
    assert values["course"]["sections"]
    assert _camel_keys(values) == []


async def _edit_nodes(llm, course: GeneratedCourse, transcript: dict, **given
                      ) -> tuple[list[str], dict]:
    from graph.edit import compile_edit_graph
    from pipeline.state import to_state

    outline = to_state(course.outline)
    edited = {**outline, "sections": [{**outline["sections"][0], "title": "A new first title"},
                                      *outline["sections"][1:]]}
    graph = compile_edit_graph(InMemorySaver())
    ran: list[str] = []
    final: dict = {}
    async for update in graph.astream(
            {"course_id": "e1", "previous_outline": outline, "outline": edited,
             "transcript": transcript, **given},
            {"configurable": {"thread_id": "e1"}}, context=CourseContext(llm=llm),
            stream_mode="updates"):
        ran += list(update)
        for value in update.values():
            final.update(value or {})
    return ran, final


async def test_the_impact_validator_runs_once_per_edit(make_llm, sample_transcript):
    """The API assesses an edit in its request and passes the impacts: the edit graph then
    goes straight to the sections. Given only the two outlines (Studio), its first node does."""
    from graph.runner import run_course_graph

    _, llm = make_llm()
    course = await run_course_graph(sample_transcript, llm=llm)
    transcript = sample_transcript.model_dump()
    ran, final = await _edit_nodes(llm, course, transcript)
    assert ran[0] == "assess_impact" and final["regenerate"]
    first_id = course.outline.sections[0].id
    ran, _ = await _edit_nodes(llm, course, transcript, impacts=[], regenerate=[first_id])
    assert "assess_impact" not in ran and ran.count("write_section") == 1
