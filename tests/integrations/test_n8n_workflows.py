"""The shipped n8n workflows: structure (importable shape, connections, unique webhook paths),
in sync with n8n/src, and their Code-node JavaScript run under node against payloads signed by
core.signing / Stripe's scheme — the same checks the real n8n smoke test makes, in milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from core.signing import sign
from core.stripe_events import map_event

ROOT = Path(__file__).resolve().parents[2]
N8N_DIR = ROOT / "n8n"
WORKFLOWS = {p.name: json.loads(p.read_text()) for p in (N8N_DIR / "workflows").glob("*.json")}
HARNESS = Path(__file__).with_name("node_harness.js")
NODE = shutil.which("node")
EVENTS_SECRET, STRIPE_SECRET, API_SECRET = "ev-secret-0123", "whsec_0123", "api-secret-0123"
KNOWN_TYPES = {
    "n8n-nodes-base.webhook", "n8n-nodes-base.code", "n8n-nodes-base.switch",
    "n8n-nodes-base.respondToWebhook", "n8n-nodes-base.emailSend", "n8n-nodes-base.httpRequest",
}


def test_expected_workflows_present() -> None:
    assert set(WORKFLOWS) == {"coursegen-events.json", "stripe-subscriptions.json"}


def test_workflows_match_their_sources() -> None:
    sys.path.insert(0, str(N8N_DIR))
    try:
        import build_workflows  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(N8N_DIR))
    rendered = build_workflows.render()
    for name, text in rendered.items():
        on_disk = (N8N_DIR / "workflows" / name).read_text()
        assert on_disk == text, f"{name} is stale: run python n8n/build_workflows.py"


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_structure(name: str) -> None:
    wf = WORKFLOWS[name]
    assert wf["id"] and len(wf["id"]) == 16 and wf["name"] and wf["active"] is False
    names = [n["name"] for n in wf["nodes"]]
    assert len(names) == len(set(names)), "node names must be unique"
    for n in wf["nodes"]:
        assert n["type"] in KNOWN_TYPES and isinstance(n["typeVersion"], int | float)
        assert len(n["position"]) == 2 and isinstance(n["parameters"], dict)
    for src, conns in wf["connections"].items():
        assert src in names
        for output in conns["main"]:
            for target in output:
                assert target["node"] in names and target["type"] == "main"
    # Every node except the trigger is reachable; every Switch output is wired.
    targets = {t["node"] for c in wf["connections"].values() for o in c["main"] for t in o}
    triggers = [n for n in wf["nodes"] if n["type"] == "n8n-nodes-base.webhook"]
    assert len(triggers) == 1 and set(names) - targets == {triggers[0]["name"]}
    for n in wf["nodes"]:
        if n["type"] == "n8n-nodes-base.switch":
            assert len(wf["connections"][n["name"]]["main"]) == n["parameters"]["numberOutputs"]
    hook = triggers[0]
    assert hook["parameters"]["responseMode"] == "responseNode"
    assert hook["parameters"]["options"]["rawBody"] is True  # MAC is over the raw bytes
    assert hook["webhookId"]
    assert any(n["type"] == "n8n-nodes-base.respondToWebhook" for n in wf["nodes"])


def test_webhook_paths_unique_and_email_uses_the_smtp_credential() -> None:
    paths = [
        n["parameters"]["path"]
        for wf in WORKFLOWS.values()
        for n in wf["nodes"]
        if n["type"] == "n8n-nodes-base.webhook"
    ]
    assert sorted(paths) == ["coursegen-events", "stripe"]
    mails = [n for n in WORKFLOWS["coursegen-events.json"]["nodes"]
             if n["type"] == "n8n-nodes-base.emailSend"]
    assert {m["name"] for m in mails} == {"Send welcome e-mail", "Send course-ready e-mail"}
    assert all(m["credentials"]["smtp"]["name"] == "coursegen-smtp" for m in mails)
    http = [n for n in WORKFLOWS["stripe-subscriptions.json"]["nodes"]
            if n["type"] == "n8n-nodes-base.httpRequest"]
    assert len(http) == 1 and http[0]["parameters"]["url"].endswith("/api/webhooks/subscription")


# --- the Code nodes' JavaScript, run under node ------------------------------------------------

needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _code(workflow: str, node: str) -> str:
    return next(n for n in WORKFLOWS[workflow]["nodes"] if n["name"] == node)["parameters"][
        "jsCode"
    ]


def run_code(code: str, *, env: dict, headers: dict, body: bytes | None,
             static: dict | None = None, previous: dict | None = None) -> tuple[Any, dict]:
    job = {"code": code, "env": env, "headers": headers, "static": static or {},
           "body_b64": None if body is None else base64.b64encode(body).decode(),
           "previous": previous or {}}
    proc = subprocess.run([NODE, str(HARNESS)], input=json.dumps(job), capture_output=True,
                          text=True, timeout=30, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    return out["result"], out["static"]


def _event(etype: str = "user.signed_up", **payload: Any) -> bytes:
    doc = {"id": "3f6f0e4e-0000-4000-8000-000000000001", "type": etype,
           "createdAt": "2026-11-25T10:00:00Z",
           "payload": {"email": "ada@example.com", "name": "Ada"} | payload}
    return json.dumps(doc, separators=(",", ":")).encode()


def _verify_event(body: bytes, header: str | None, static: dict | None = None,
                  secret: str | None = EVENTS_SECRET) -> dict:
    headers = {"x-coursegen-event-id": json.loads(body)["id"]}
    if header is not None:
        headers["x-coursegen-signature"] = header
    env = {"COURSEGEN_WEBHOOK_SECRET": secret} if secret else {}
    [result], _ = run_code(_code("coursegen-events.json", "Verify signature"), env=env,
                           headers=headers, body=body, static=static)
    return result["json"]


@needs_node
@pytest.mark.parametrize(("etype", "route"), [("user.signed_up", 2), ("course.completed", 3),
                                              ("course.failed", 4)])
def test_events_code_accepts_our_signature_and_routes(etype: str, route: int) -> None:
    body = _event(etype, title="Rust", courseId="c1")
    out = _verify_event(body, sign(body, EVENTS_SECRET))
    assert out["route"] == route and out["email"] == "ada@example.com"
    assert out["eventId"] == "3f6f0e4e-0000-4000-8000-000000000001"
    if etype == "course.completed":
        assert (out["title"], out["courseId"]) == ("Rust", "c1")


@needs_node
@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (lambda b: (b.replace(b"Ada", b"Eve"), sign(b, EVENTS_SECRET)), 401, "invalid_signature"),
        (lambda b: (b, sign(b, "wrong-secret")), 401, "invalid_signature"),
        (lambda b: (b, None), 401, "invalid_signature"),
        (lambda b: (b, "t=abc,v1=00"), 401, "invalid_signature"),
        (lambda b: (b, sign(b, EVENTS_SECRET, ts=int(time.time()) - 301)), 409, "replayed"),
    ],
)
def test_events_code_rejects(mutate, status: int, code: str) -> None:
    body, header = mutate(_event())
    out = _verify_event(body, header)
    assert out["route"] == 0 and out["status"] == status and out["error"]["code"] == code


@needs_node
def test_events_code_without_secret_refuses() -> None:
    body = _event()
    out = _verify_event(body, sign(body, EVENTS_SECRET), secret=None)
    assert (out["route"], out["status"]) == (0, 503)


@needs_node
def test_events_dedupe_after_remember() -> None:
    body = _event()
    first = _verify_event(body, sign(body, EVENTS_SECRET))
    [remembered], static = run_code(
        _code("coursegen-events.json", "Remember event"), env={}, headers={}, body=None,
        previous=first)
    assert remembered["json"]["eventId"] == first["eventId"]
    assert first["eventId"] in static["handledEventIds"]
    again = _verify_event(body, sign(body, EVENTS_SECRET, ts=int(time.time()) + 1), static)
    assert again["route"] == 1 and again["duplicate"] is True


def _stripe(payload: bytes, ts: int | None = None, secret: str = STRIPE_SECRET) -> str:
    ts = int(time.time()) if ts is None else ts
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def _run_stripe(payload: bytes, header: str) -> dict:
    env = {"STRIPE_WEBHOOK_SECRET": STRIPE_SECRET, "COURSEGEN_SUBSCRIPTION_SECRET": API_SECRET}
    [result], _ = run_code(_code("stripe-subscriptions.json", "Verify Stripe signature"),
                           env=env, headers={"stripe-signature": header}, body=payload)
    return result["json"]


STRIPE_EVENTS = [
    {"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {
        "client_reference_id": "u1", "customer_details": {"email": "ada@example.com"},
        "payment_status": "paid", "customer": "cus_1", "subscription": "sub_1"}}},
    {"id": "evt_2", "type": "customer.subscription.updated", "data": {"object": {
        "id": "sub_1", "status": "past_due", "metadata": {"userId": "u1"},
        "items": {"data": [{"current_period_end": 1800000000}]}}}},
    {"id": "evt_3", "type": "customer.subscription.updated", "data": {"object": {
        "id": "sub_1", "status": "active", "metadata": {"userId": "u1"},
        "current_period_end": 1800000000, "cancel_at": 1790000000}}},
    {"id": "evt_4", "type": "customer.subscription.deleted", "data": {"object": {
        "id": "sub_1", "status": "canceled", "metadata": {"userId": "u1"},
        "ended_at": 1800000000}}},
]


@needs_node
@pytest.mark.parametrize("event", STRIPE_EVENTS, ids=[e["id"] for e in STRIPE_EVENTS])
def test_stripe_code_matches_python_mapping_and_signs_callback(event: dict) -> None:
    payload = json.dumps(event).encode()
    out = _run_stripe(payload, _stripe(payload))
    assert out["route"] == 2
    # The JS mapping and core/stripe_events.py agree on every field the API receives.
    assert json.loads(out["body"]) == map_event(event).webhook_body()
    # The callback is signed exactly as POST /api/webhooks/subscription verifies it.
    ts = int(out["signature"].split(",")[0][2:])
    assert out["signature"] == sign(out["body"].encode(), API_SECRET, ts=ts)


@needs_node
def test_stripe_code_rejects_and_ignores() -> None:
    payload = json.dumps(STRIPE_EVENTS[0]).encode()
    for header in (_stripe(payload, secret="whsec_other"), _stripe(payload + b" "),
                   _stripe(payload, ts=int(time.time()) - 3600), "garbage"):
        out = _run_stripe(payload, header)
        assert out["route"] == 0 and out["status"] == 400
    assert _run_stripe(b"not json", _stripe(b"not json"))["error"]["code"] == "invalid_payload"
    other = json.dumps({"id": "evt_9", "type": "invoice.paid", "data": {"object": {}}}).encode()
    assert _run_stripe(other, _stripe(other))["route"] == 1
