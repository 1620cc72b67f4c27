"""What the OpenAPI document says is what the server enforces (issue #30): each rule below is
declared in /openapi.json and holds over HTTP."""

from __future__ import annotations

import tempfile
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.course_schemas import MIN_TRANSCRIPT_CHARS
from core.config import Settings
from core.signing import sign
from testkit.client import SAMPLE, auth_headers, signup


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return create_app(Settings(_env_file=None, COURSEGEN_DATA_DIR=tempfile.gettempdir())).openapi()


async def test_a_date_time_parameter_refuses_a_number(client: httpx.AsyncClient, doc) -> None:
    param = next(p for p in doc["paths"]["/api/user/reviews/due"]["get"]["parameters"]
                 if p["name"] == "before")
    assert param["schema"]["format"] == "date-time"
    token, _ = await signup(client)
    for bad in ("0.5", "1700000000", "tomorrow"):
        r = await client.get("/api/user/reviews/due", params={"before": bad},
                             headers=auth_headers(token))
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["error"]["details"][0]["loc"] == ["query", "before"]
    r = await client.get("/api/user/reviews/due", params={"before": "2030-01-31T12:00:00Z"},
                         headers=auth_headers(token))
    assert r.status_code == 200, r.text
    # a boolean is true or false, as its schema says (not 0, 1, yes, off)
    for bad in ("0", "1", "yes", "off"):
        r = await client.get("/api/user/reviews/due", params={"includeNew": bad},
                             headers=auth_headers(token))
        assert r.status_code == 422, (bad, r.text)
    for good in ("true", "false"):
        r = await client.get("/api/user/reviews/due", params={"includeNew": good},
                             headers=auth_headers(token))
        assert r.status_code == 200, (good, r.text)


async def test_an_unsigned_webhook_is_401_even_when_webhooks_are_off(app, client) -> None:
    assert app.state.settings.subscription_webhook_secret is None
    body = b'{"tier": "pro", "status": "active", "eventId": "e1", "email": "a@example.com"}'
    r = await client.post("/api/webhooks/subscription", content=body)
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_signature"
    signed = await client.post("/api/webhooks/subscription", content=body, headers={
        "X-Coursegen-Signature": sign(body, "some-other-secret-0123456789")})
    assert signed.status_code == 503 and signed.json()["error"]["code"] == "webhooks_disabled"


@pytest.mark.parametrize(("email", "status"), [
    ("ada@example.test", 201), ("Ada@Lab.Example.TEST", 201), ("ada@host.localhost", 422),
    ("ada@example.invalid", 422)])
async def test_test_domains_are_accepted_and_the_rest_documented(client, doc, email, status):
    r = await client.post("/api/auth/signup", json={"email": email, "password": "a long password"})
    assert r.status_code == status, r.text
    if status == 201:
        assert r.json()["user"]["email"] == email.lower()
    declared = doc["components"]["schemas"]["SignupRequest"]["properties"]["email"]
    assert declared["format"] == "email" and ".test is accepted" in declared["description"]


async def test_a_transcript_too_short_to_teach_is_refused(client, doc) -> None:
    body = doc["paths"]["/api/courses/generate"]["post"]["requestBody"]["content"]
    for media in ("application/json", "multipart/form-data"):
        transcript = body[media]["schema"]["anyOf"][-1]["properties"]["transcript"]
        assert transcript["minLength"] == MIN_TRANSCRIPT_CHARS and transcript["pattern"]
    token, _ = await signup(client)
    for short in ("ten chars.", "x" * (MIN_TRANSCRIPT_CHARS - 1), " " * MIN_TRANSCRIPT_CHARS):
        r = await client.post("/api/courses/generate", json={"transcript": short},
                              headers=auth_headers(token))
        assert r.status_code == 422 and r.json()["error"]["code"] == "transcript_too_short"
    files = {"file": ("short.txt", b"ten chars.", "text/plain")}
    r = await client.post("/api/courses/generate", files=files, headers=auth_headers(token))
    assert r.status_code == 422 and r.json()["error"]["code"] == "transcript_too_short"
    r = await client.post("/api/courses/generate", json={"transcript": SAMPLE},
                          headers=auth_headers(token))
    assert r.status_code == 202, r.text


async def test_an_empty_url_is_a_schema_violation(client, doc) -> None:
    token, _ = await signup(client)
    r = await client.post("/api/courses/generate", json={"url": ""}, headers=auth_headers(token))
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    json_body = doc["paths"]["/api/courses/generate"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]["anyOf"][0]
    assert json_body["properties"]["url"]["minLength"] == 1


def test_always_present_fields_are_required_and_enums_typed(doc) -> None:
    schemas = doc["components"]["schemas"]
    user = schemas["User"]
    assert {"subscriptionTier", "subscriptionStatus"} <= set(user["required"])
    assert user["properties"]["subscriptionTier"]["enum"] == ["free", "pro"]
    assert "past_due" in user["properties"]["subscriptionStatus"]["enum"]
    assert "nextSection" in schemas["ProgressUpdateResponse"]["required"]
    assert "detail" in schemas["Check"]["required"]
    problem = schemas["ErrorDetail"]["properties"]["details"]["anyOf"][0]["items"]
    assert problem == {"$ref": "#/components/schemas/FieldProblem"}
    assert schemas["FieldProblem"]["required"] == ["loc", "msg", "type"]
    get = doc["paths"]["/api/courses/{courseId}"]["get"]["responses"]["200"]
    assert get["headers"]["ETag"]["required"] is True


def test_steps_are_an_enum_the_emitters_are_checked_against(doc) -> None:
    from typing import get_args

    from infra.progress_bus import Step

    steps = list(get_args(Step))
    assert doc["components"]["schemas"]["ProgressEventStep"]["properties"]["step"]["enum"] == steps
    assert doc["components"]["schemas"]["StatusResponse"]["properties"]["currentStep"][
        "enum"] == steps
    assert {"fetch_transcript", "write_section", "queued", "completed"} <= set(steps)


async def test_every_streamed_event_matches_its_tagged_member(client, doc) -> None:
    """A real run's events, read from the SSE stream, each validate against the ProgressEvent
    union, whose member is chosen by `type` and says what `data` holds."""
    import json

    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from testkit.client import wait_done

    union = doc["components"]["schemas"]["ProgressEvent"]
    assert union["discriminator"]["propertyName"] == "type"
    assert set(union["discriminator"]["mapping"]) == {
        "started", "step", "section", "error", "completed", "failed", "cancelled"}
    token, _ = await signup(client)
    r = await client.post("/api/courses/generate", json={"transcript": SAMPLE},
                          headers=auth_headers(token))
    course_id = r.json()["courseId"]
    assert (await wait_done(client, token, course_id))["final"]["status"] == "completed"
    stream = await client.get(f"/api/courses/{course_id}/events", headers=auth_headers(token))
    events = [json.loads(line.removeprefix("data:").strip())
              for line in stream.text.splitlines() if line.startswith("data:")]
    registry = Registry().with_resource("urn:doc", Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **doc}))
    validator = Draft202012Validator({"$ref": "urn:doc#/components/schemas/ProgressEvent"},
                                     registry=registry)
    kinds = {e["type"] for e in events}
    assert {"started", "step", "section", "completed"} <= kinds, kinds
    for event in events:
        errors = list(validator.iter_errors(event))
        assert not errors, (event, errors[0].message)
    sections = [e for e in events if e["type"] == "section"]
    assert all(e["data"]["kind"] in ("write", "supplement") for e in sections)
