"""Property-based run of schemathesis against /openapi.json over real HTTP (uvicorn in a thread).

Every documented operation is exercised, authenticated, against a live server wired to the
scripted fake LLM and canned captions (so POST /generate runs real jobs without a model). Cases
that take a `courseId` use a real course of the signed-in user every other time, so the course
routes reach their success paths, not only 404. Generated requests must never produce a server
error, and every response must match the documented schema, status codes and content types.

One server per database backend serves all operations: starting one per operation (and
migrating its database) was most of this test's time.
"""

from __future__ import annotations

import itertools
import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.app import create_app
from core.config import Settings
from core.domain import Preferences
from sources.transcript import TranscriptParseError, parse_transcript
from sources.youtube import TranscriptError, parse_video_id
from testkit import services
from testkit.captions import canned_captions
from testkit.client import PASSWORD, SAMPLE, settings_for
from testkit.scripted_course import course_fake
from testkit.services import PostgresSchema

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 12))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn in a thread, with one user who owns a finished course."""

    def __init__(self, app_settings: Settings) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        app = create_app(app_settings, chat_factory=lambda _spec: course_fake(),
                         fetch_captions=canned_captions)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.http = httpx.Client(base_url=self.base_url, timeout=60)
        self.email = f"st-{uuid.uuid4().hex[:10]}@example.com"
        self.course_id = ""
        self.section_ids: list[str] = []
        self._pick = itertools.count()

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        self.http.post("/api/auth/signup", json={"email": self.email, "password": PASSWORD}
                       ).raise_for_status()
        self.course_id = self._finished_course()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def token(self) -> str:
        # A fresh session per case: signout (a documented operation) revokes the one it is given.
        response = self.http.post("/api/auth/signin",
                                  json={"email": self.email, "password": PASSWORD})
        response.raise_for_status()
        return str(response.json()["token"])

    def _finished_course(self) -> str:
        headers = {"Authorization": f"Bearer {self.token()}"}
        r = self.http.post("/api/courses/generate", headers=headers,
                           json={"transcript": SAMPLE, "title": "Schemathesis seed course"})
        assert r.status_code == 202, r.text
        course_id = str(r.json()["courseId"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = self.http.get(f"/api/courses/status/{course_id}", headers=headers).json()
            if status["status"] != "processing":
                assert status["status"] == "completed", status
                course = self.http.get(f"/api/courses/{course_id}", headers=headers).json()
                self.section_ids = [s["id"] for s in course["sections"]]
                return course_id
            time.sleep(0.05)
        raise AssertionError("seed course did not finish")

    def course_for(self, case: schemathesis.Case) -> None:
        """Every other case with a courseId targets the real course instead of a random id (and
        a progress update then names one of its sections)."""
        if "courseId" not in (case.path_parameters or {}) or next(self._pick) % 2:
            return
        case.path_parameters["courseId"] = self.course_id
        if isinstance(case.body, dict) and "sectionId" in case.body:
            case.body["sectionId"] = self.section_ids[len(self.section_ids) // 2]


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[LiveServer]:
    tmp: Path = tmp_path_factory.mktemp(f"schemathesis-{request.param}")
    overrides = {
        # Generated sign-ins repeat the same example email; throttling (tested in test_auth)
        # would turn valid requests into 429s here.
        "SIGNIN_MAX_ATTEMPTS": 10_000,
        # Enabled, so the webhook answers 401 for bad signatures rather than 503 "disabled".
        "SUBSCRIPTION_WEBHOOK_SECRET": "schemathesis-webhook-secret-0123456789",
        # Many generations per run; tier limits (tested in tests/integrations) stay out of it.
        "FREE_COURSES_PER_MONTH": 100_000, "FREE_CONCURRENT_JOBS": 100_000,
        "CHECKPOINTER": "sqlite",
    }
    if request.param == "sqlite":
        with LiveServer(settings_for("sqlite", tmp, **overrides)) as server:
            yield server
        return
    services.need_postgres()
    with PostgresSchema() as pg_schema, LiveServer(
            settings_for("postgres", tmp, pg_schema=pg_schema, **overrides)) as server:
        yield server


# The document comes from the app itself (no server needed to collect tests); requests go to
# a live server per database backend.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(_env_file=None, COURSEGEN_DATA_DIR=tempfile.gettempdir())).openapi()
)
# The coverage phase of schemathesis 4.15 (the newest that resolves beside langgraph-api) trips
# over hypothesis-jsonschema with current hypothesis; examples + fuzzing still run.
schema.config.phases.coverage.enabled = False


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case: schemathesis.Case, live: LiveServer) -> None:
    """All checks (`--checks all`); positive_data_acceptance is waived only for a body that
    breaks one of the rules JSON Schema cannot state (listed in `_breaks_semantic_rule`).
    Unknown query parameters get no waiver: every route answers them 422 unknown_parameter."""
    live.course_for(case)
    excluded = [positive_data_acceptance] if _breaks_semantic_rule(case) else []
    if _untransmittable_query(case):
        excluded.append(negative_data_rejection)
    case.call_and_validate(
        base_url=live.base_url,
        headers={"Authorization": f"Bearer {live.token()}"},
        excluded_checks=excluded,
        timeout=60,
    )


def test_rules_json_schema_can_state_are_in_the_document() -> None:
    """What the issue found missing: a required source, enums, ETag, ProgressEvent, no
    `null` for an optional query filter."""
    doc = schema.raw_schema
    generate = doc["paths"]["/api/courses/generate"]["post"]["requestBody"]["content"]
    assert [b["required"] for b in generate["application/json"]["schema"]["anyOf"]] == [
        ["url"], ["transcript"]]
    assert [b["required"] for b in generate["multipart/form-data"]["schema"]["anyOf"]] == [
        ["file"], ["url"], ["transcript"]]
    status = next(p for p in doc["paths"]["/api/courses"]["get"]["parameters"]
                  if p["name"] == "status")
    assert "enum" in status["schema"] and "anyOf" not in status["schema"]
    detail = doc["components"]["schemas"]["CourseDetail"]["properties"]
    assert "enum" in detail["status"]
    assert detail["generation"] == {"$ref": "#/components/schemas/GenerationInfo"}
    get = doc["paths"]["/api/courses/{courseId}"]["get"]["responses"]["200"]
    assert "ETag" in get["headers"]
    events = doc["paths"]["/api/courses/{courseId}/events"]["get"]["responses"]["200"]
    frame = events["content"]["text/event-stream"]["schema"]
    assert frame["properties"]["data"]["contentSchema"] == {
        "$ref": "#/components/schemas/ProgressEvent"}
    export = doc["paths"]["/api/courses/{courseId}/export"]["get"]["responses"]["200"]
    assert export["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/GeneratedCourse"}
    section_input = doc["components"]["schemas"]["OutlineSectionInput"]
    assert section_input["required"] == ["title"]


def test_a_known_path_with_another_method_is_405(live: LiveServer) -> None:
    """`GET /api/courses/generate` used to match `GET /api/courses/{courseId}` (422 on the
    uuid); course ids are matched as UUIDs in the path, so it is 405 now."""
    auth = {"Authorization": f"Bearer {live.token()}"}
    r = live.http.get("/api/courses/generate", headers=auth)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = live.http.get("/api/courses?status=null", headers=auth)
    assert r.status_code == 422


def _untransmittable_query(case: schemathesis.Case) -> bool:
    """A negative case whose extra query parameter is an empty list: the HTTP client sends no
    pair for it, so the request the API receives is a valid one (its 200 is right; seen as
    `?status=draft` after a generated `{"status": "draft", "<extra>": []}`)."""
    return any(value == [] for value in (case.query or {}).values())


def _breaks_semantic_rule(case: schemathesis.Case) -> bool:
    """A schema-valid body that breaks a documented rule JSON Schema cannot state (4xx)."""
    body = case.body if isinstance(case.body, dict) else {}
    if case.path == "/api/courses/generate":
        return _bad_source(body)
    if case.path == "/api/courses/outline/{courseId}":
        # each section's endSeconds >= startSeconds (a kept section merges with its stored
        # times); the merged outline is checked whole: 422 invalid_outline
        return _bad_outline(body)
    if case.path == "/api/user/reviews":
        # cardId must name a study card of the course (422 card_not_in_course); reviewedAt may
        # not be in the future (422 review_in_future) — generated ids never name a real card
        return True
    # quizResults.score <= total (documented on the field).
    quiz = body.get("quizResults")
    if not isinstance(quiz, dict):
        return False
    score, total = quiz.get("score"), quiz.get("total")
    numbers = isinstance(score, int | float) and isinstance(total, int | float)
    return numbers and score > total  # type: ignore[operator]


def _bad_source(body: dict[str, Any]) -> bool:
    """`url` must be a YouTube video URL and `transcript` (or the uploaded file) must parse as
    .srt/.vtt/.txt within the size limit: 422 invalid_url / invalid_transcript, 413."""
    url = body.get("url")
    text = body["file"] if "file" in body else body.get("transcript")  # the file wins
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return True
    if isinstance(url, str):
        try:
            parse_video_id(url)
        except TranscriptError:
            return True
    if isinstance(text, str):
        try:
            parse_transcript(text)
        except TranscriptParseError:
            return True
    prefs = body.get("preferences")
    if isinstance(prefs, str):  # multipart: JSON text
        try:
            Preferences.model_validate_json(prefs)
        except ValueError:
            return True
    return not (isinstance(url, str) or isinstance(text, str))


def _bad_outline(body: dict[str, Any]) -> bool:
    outline = body.get("outline")
    if not isinstance(outline, dict) or not isinstance(outline.get("sections"), list):
        return False  # the stored sections are valid and stay
    for section in outline["sections"]:
        if not isinstance(section, dict):
            continue
        start, end = section.get("startSeconds"), section.get("endSeconds")
        if section.get("id"):
            return True  # may merge with stored times: only the server knows
        start = start if isinstance(start, int | float) else 0
        end = end if isinstance(end, int | float) else 0
        if end < start:
            return True
    return False
