"""LLM faults through HTTP: 429 with Retry-After, 500, timeouts, malformed and truncated JSON.

A course either completes or fails with a clear code keeping its finished sections; a retry
then completes it without writing any finished section again (counted on the fake LLM).
"""

from __future__ import annotations

from typing import Any

import httpx2
import openai
from langchain_core.messages import BaseMessage

from testkit.client import auth_headers, upload_body, wait_done
from testkit.scripted_course import course_responder

SECTIONS = 3  # upload_body(24) asks for a 24-minute course: three sections of the sample


async def generate(cclient, token: str) -> tuple[str, dict[str, Any]]:
    r = await cclient.post("/api/courses/generate", json=upload_body(),
                           headers=auth_headers(token))
    assert r.status_code == 202, r.text
    course_id = r.json()["courseId"]
    return course_id, (await wait_done(cclient, token, course_id))["final"]


async def assert_complete(cclient, token: str, course_id: str) -> dict[str, Any]:
    course = (await cclient.get(f"/api/courses/{course_id}", headers=auth_headers(token))).json()
    assert course["status"] == "completed"
    assert len(course["sections"]) == SECTIONS
    for s in course["sections"]:
        assert s["content"]["markdown"].strip(), s["id"]
        assert s["supplement"]["quiz"]["questions"], s["id"]
    return course


async def test_every_fault_kind_in_a_row_is_absorbed(cclient, user, fake):
    token, _ = user
    # analysis: 429, 500, timeout (retried), malformed (repaired); outline ok; then a writer
    # gets a truncated answer
    script = ["429", "500", "timeout", "malformed", "ok", "partial"]
    fake.retry_after = 0.05
    fake._state.script.extend(script)
    course_id, final = await generate(cclient, token)
    assert final["status"] == "completed", final
    await assert_complete(cclient, token, course_id)
    assert [c.fault for c in fake.calls[:6]] == script
    assert [c.schema_name for c in fake.calls[:5]] == ["Analysis"] * 4 + ["CourseOutline"]


async def test_twenty_percent_faults_complete_or_fail_cleanly_then_retry(cclient, user, fake):
    token, _ = user
    fake.fault_rate = 0.2
    # truncated answers too: a short outline is re-cut to the requested section count
    fake.fault_kinds = ("429", "500", "timeout", "malformed", "partial")
    fake.retry_after = 0.02
    fake._state.rng.seed(7)  # a fixed draw of faults, several of them among the first calls
    course_id, final = await generate(cclient, token)
    drawn = {c.fault for c in fake.calls}
    assert {"partial", "malformed"} <= drawn, drawn  # the seed draws both kinds of bad JSON
    if final["status"] == "failed":
        # a clear code, and a retry finishes the job without redoing finished sections
        assert final["error"]["code"] == "llm_unavailable", final
        fake.fault_rate = 0.0
        r = await cclient.post(f"/api/courses/{course_id}/retry", headers=auth_headers(token))
        assert r.status_code == 202, r.text
        final = (await wait_done(cclient, token, course_id))["final"]
    assert final["status"] == "completed", final
    await assert_complete(cclient, token, course_id)
    assert fake.count("LessonDraft", ok_only=True) <= SECTIONS + 1  # validate may redo one
    assert fake.count("Analysis", ok_only=True) == 1


class SectionOutage:
    """Every call for one section's lesson fails (429 with Retry-After) while `down`."""

    def __init__(self, section_number: int) -> None:
        self.marker = f"section {section_number}, \""
        self.down = True
        self.refused = 0

    def __call__(self, schema: str, messages: list[BaseMessage]) -> dict | None:
        text = "\n".join(str(m.content) for m in messages)
        if self.down and schema == "LessonDraft" and self.marker in text:
            self.refused += 1
            response = httpx2.Response(429, headers={"retry-after": "0.01"},
                                       request=httpx2.Request("POST", "http://fake-llm.test/"))
            raise openai.RateLimitError("Rate limit reached", response=response, body=None)
        return course_responder(schema, messages)


async def test_one_section_always_failing_then_retry_writes_only_that_section(
        cclient, user, fake):
    token, _ = user
    outage = SectionOutage(2)
    fake.responder = outage
    course_id, final = await generate(cclient, token)
    assert final["status"] == "failed", final
    assert final["error"]["code"] == "llm_unavailable"
    assert "retry" in final["error"]["message"].lower()
    # writer call + validate's one regeneration, each with all its retries
    assert outage.refused >= 2
    assert fake.count("LessonDraft", ok_only=True) == SECTIONS - 1
    finished_quizzes = fake.count("SupplementDraft", ok_only=True)
    assert finished_quizzes == SECTIONS - 1

    outage.down = False
    r = await cclient.post(f"/api/courses/{course_id}/retry", headers=auth_headers(token))
    assert r.status_code == 202, r.text
    final = (await wait_done(cclient, token, course_id))["final"]
    assert final["status"] == "completed", final
    course = await assert_complete(cclient, token, course_id)
    # only the failed section was written; nothing before the sections ran again
    assert fake.count("LessonDraft", ok_only=True) == SECTIONS
    assert fake.count("SupplementDraft", ok_only=True) == SECTIONS
    assert fake.count("Analysis") == 1 and fake.count("CourseOutline") == 1
    assert course["sections"][1]["content"]["markdown"].startswith("## ")


async def test_truncated_outline_is_not_accepted_as_a_shorter_one(cclient, user, fake):
    token, _ = user
    fake._state.script.extend(["ok", "partial"])  # analysis ok, outline cut at 60 %
    course_id, final = await generate(cclient, token)
    assert final["status"] == "completed", final
    await assert_complete(cclient, token, course_id)
