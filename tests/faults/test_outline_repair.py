"""Outline drafts are repaired (sorted, clamped, re-cut) before they are judged; a draft that
cannot be repaired is re-asked with a plain list of what was wrong."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage

from testkit.client import auth_headers, upload_body, wait_done
from testkit.scripted_course import course_responder


def scrambled_outline(schema: str, messages: list[BaseMessage]) -> dict[str, Any] | None:
    """A draft whose sections are out of order, overlapping, reversed and past the video end."""
    answer = course_responder(schema, messages)
    if schema != "CourseOutline" or answer is None:
        return answer
    sections = answer["sections"]
    for s in sections:
        s["startSeconds"], s["endSeconds"] = s["endSeconds"] + 5, s["startSeconds"]
    sections[-1]["endSeconds"] = 10_000
    sections[0]["startSeconds"] = -3
    answer["sections"] = list(reversed(sections))
    return answer


async def generate(cclient, token: str) -> dict[str, Any]:
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    assert r.status_code == 202, r.text
    return (await wait_done(cclient, token, r.json()["courseId"]))["final"] | {
        "id": r.json()["courseId"]}


async def test_out_of_order_section_times_are_repaired_not_rejected(cclient, user, fake):
    token, _ = user
    fake.responder = scrambled_outline
    final = await generate(cclient, token)
    assert final["status"] == "completed", final
    assert fake.count("CourseOutline") == 1  # repaired locally: no re-ask, no retry
    course = (await cclient.get(f"/api/courses/{final['id']}", headers=auth_headers(token))
              ).json()
    ranges = [(s["startSeconds"], s["endSeconds"]) for s in course["outline"]["sections"]]
    assert ranges[0][0] == 0 and all(a < b for a, b in ranges)
    assert all(ranges[i][1] == ranges[i + 1][0] for i in range(len(ranges) - 1))


class EmptyThenGood:
    """The first outline has no sections (not repairable); the re-ask must say so plainly."""

    def __init__(self) -> None:
        self.outline_prompts: list[str] = []

    def __call__(self, schema: str, messages: list[BaseMessage]) -> dict[str, Any] | None:
        answer = course_responder(schema, messages)
        if schema == "CourseOutline":
            self.outline_prompts.append("\n".join(str(m.content) for m in messages))
            if len(self.outline_prompts) == 1:
                return {**answer, "sections": []}
        return answer


async def test_unrepairable_draft_is_reasked_with_what_was_wrong(cclient, user, fake):
    token, _ = user
    fake.responder = responder = EmptyThenGood()
    final = await generate(cclient, token)
    assert final["status"] == "completed", final
    assert len(responder.outline_prompts) == 2
    reask = responder.outline_prompts[1].split("could not be used")[-1]
    assert "sections" in reask and "at least 1" in reask
    assert "pydantic" not in reask and "https://" not in reask
