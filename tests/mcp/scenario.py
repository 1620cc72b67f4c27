"""What a learner does, through an MCP client session (the SDK's own ClientSession), shared by
the stdio and streamable HTTP tests: list, create with progress, read, ask, grade, review."""

from __future__ import annotations

import json
import re
from typing import Any

from mcp.client.session import ClientSession
from mcp.shared.exceptions import MCPError

from api.course_views import not_found
from api.errors import error_body

TOOLS = {"create_course", "get_course_status", "get_course", "list_courses", "search_course",
         "ask_course", "grade_answer", "due_cards", "review_card", "export_course"}
TEMPLATES = {"course://{course_id}", "course://{course_id}/section/{n}",
             "course://{course_id}/transcript", "course://{course_id}/mindmap"}
PROMPTS = {"study_session", "explain_moment", "practice_test"}
STAMP = re.compile(r"\[(?:(\d+):)?(\d{2}):(\d{2})\]")
LECTURE_END = 11 * 60 + 33.314  # the sample's last caption ends at 00:11:33,314
# REST's 404 body for a course that is not the caller's, as the tools must give it
NOT_FOUND = error_body(not_found().code, not_found().message)


async def check_listings(session: ClientSession) -> None:
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == TOOLS
    assert tools["get_course"].annotations.read_only_hint is True
    assert tools["review_card"].annotations.read_only_hint is False
    assert tools["review_card"].annotations.idempotent_hint is False
    assert tools["create_course"].output_schema is not None  # typed output
    templates = (await session.list_resource_templates()).resource_templates
    assert {t.uri_template for t in templates} == TEMPLATES
    assert {p.name for p in (await session.list_prompts()).prompts} == PROMPTS


async def create_with_progress(session: ClientSession, **args: Any) -> tuple[str, list[Any]]:
    """create_course from the sample transcript, following progress to the end."""
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    result = await session.call_tool(
        "create_course", {"title": "HTTP caching", "preferences": {"duration": 16}, **args},
        progress_callback=on_progress)
    assert not result.is_error, result.content
    out = result.structured_content
    assert out is not None and out["status"] == "completed", out
    assert out["final"]["status"] == "completed" and out["final"]["progress"] == 1.0
    course_id = out["courseId"]
    # the id arrives at once, in the first notification; progress never goes back and ends done
    assert seen and course_id in (seen[0][2] or ""), seen[:2]
    values = [p for p, _, _ in seen]
    assert values == sorted(values) and values[-1] == 1.0, values
    assert len(seen) >= 3  # queued, steps of the graph, completed
    return course_id, seen


async def tool(session: ClientSession, name: str, **args: Any) -> dict[str, Any]:
    result = await session.call_tool(name, args)
    assert not result.is_error, (name, result.content)
    return result.structured_content or {}


async def tool_error(session: ClientSession, name: str, **args: Any) -> dict[str, Any]:
    result = await session.call_tool(name, args)
    assert result.is_error, (name, result.structured_content)
    text = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith("{"), (name, text)
    return json.loads(text)  # type: ignore[no-any-return]


async def study(session: ClientSession, course_id: str) -> None:
    """Read, search, ask, grade and review a finished course."""
    outline = await tool(session, "get_course", course_id=course_id)
    sections = outline["outline"]["sections"]
    assert len(sections) >= 2 and outline["section"] is None
    listed = await tool(session, "list_courses")
    assert course_id in {c["id"] for c in listed["items"]}

    read = await session.read_resource(f"course://{course_id}/section/1")
    section = json.loads(read.contents[0].text)  # type: ignore[union-attr]
    assert section["sequence"] == 1 and section["content"]["markdown"].strip()
    questions = section["supplement"]["quiz"]["questions"]
    assert questions, section["supplement"]

    transcript = (await session.read_resource(f"course://{course_id}/transcript")).contents[0]
    assert transcript.text.startswith("[00:01] Hello everyone")  # type: ignore[union-attr]
    mindmap = (await session.read_resource(f"course://{course_id}/mindmap")).contents[0]
    assert mindmap.text.startswith("mindmap")  # type: ignore[union-attr]
    exported = await tool(session, "export_course", course_id=course_id, format="md")
    assert exported["text"].startswith("# ") and exported["filename"].endswith(".md")
    deck = await tool(session, "export_course", course_id=course_id, format="apkg")
    assert deck["base64"] and deck["text"] is None
    prompt = await session.get_prompt("explain_moment", {"course_id": course_id,
                                                         "moment": "[03:20]"})
    assert "[03:20]" in prompt.messages[0].content.text  # type: ignore[union-attr]

    hits = (await session.call_tool("search_course", {"course_id": course_id,
                                                      "question": "What does max-age do?"}))
    passages = hits.structured_content["result"]  # type: ignore[index]
    assert passages and any("max-age" in p["quote"].lower() for p in passages), passages

    answer = await tool(session, "ask_course", course_id=course_id,
                        question="What does max-age do?")
    assert answer["covered"] and answer["sourceRefs"], answer
    for ref in answer["sourceRefs"]:
        assert 0 <= ref["startSeconds"] <= ref["endSeconds"] <= LECTURE_END + 1, ref
    stamps = [int(h or 0) * 3600 + int(m) * 60 + int(s)
              for h, m, s in STAMP.findall(answer["answer"])]
    assert stamps and all(0 <= t <= LECTURE_END for t in stamps), answer["answer"]
    off_topic = await tool(session, "ask_course", course_id=course_id,
                           question="Who won the 1998 football world cup final?")
    assert not off_topic["covered"] and not off_topic["sourceRefs"], off_topic

    first = questions[0]
    right = await tool(session, "grade_answer", course_id=course_id, section=1, question=1,
                       answer=f"  {first['answer'].upper()} ")
    assert right["correct"] and right["answer"] == first["answer"]
    wrong = await tool(session, "grade_answer", course_id=course_id, section=1, question=1,
                       answer="certainly not the answer")
    assert not wrong["correct"]

    due = await tool(session, "due_cards", course_id=course_id)
    card = due["cards"][0]
    assert card["review"]["state"] == "new"
    reviewed = await tool(session, "review_card", course_id=course_id,
                          card_id=card["card"]["id"], rating="good")
    assert reviewed["cardId"] == card["card"]["id"] and reviewed["reps"] == 1
    assert reviewed["due"] is not None and reviewed["state"] != "new"
    again = await tool(session, "due_cards", course_id=course_id)
    assert card["card"]["id"] not in {c["card"]["id"] for c in again["cards"]}


async def refused_as_not_found(session: ClientSession, course_id: str) -> None:
    """Someone else's course: REST's 404 body from every tool and resource."""
    for name, args in (("get_course", {}), ("get_course_status", {}),
                       ("ask_course", {"question": "What does max-age do?"}),
                       ("grade_answer", {"section": 1, "question": 1, "answer": "x"}),
                       ("export_course", {}), ("search_course", {"question": "max-age"}),
                       ("review_card", {"card_id": "f-1", "rating": "good"})):
        assert await tool_error(session, name, course_id=course_id, **args) == NOT_FOUND, name
    try:
        await session.read_resource(f"course://{course_id}/section/1")
    except MCPError as exc:  # the read is refused with REST's body as its message
        assert json.loads(exc.error.message) == NOT_FOUND, exc
    else:
        raise AssertionError("another user's section was readable")

