"""Build n8n/workflows/*.json from the Code-node sources in n8n/src/.

The JavaScript lives in real .js files (reviewable, testable with node); this script embeds it
into importable workflow JSON. Run `python n8n/build_workflows.py` after editing n8n/src/;
tests/integrations/test_n8n_workflows.py fails if the JSON is out of date.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMESPACE = uuid.UUID("6c1e4b8e-2f0a-4d3b-9a55-0c0de0c0de00")
SMTP_CREDENTIAL = {"smtp": {"id": "coursegenSmtp001", "name": "coursegen-smtp"}}
MAIL_FROM = "={{ $env.COURSEGEN_MAIL_FROM || 'Coursegen <no-reply@coursegen.local>' }}"


def _src(name: str) -> str:
    return (HERE / "src" / name).read_text()


def _verifier(name: str) -> str:
    """A verify node's code: the shared signature helpers (src/signature.js), then its own."""
    return _src("signature.js") + _src(name)


def node(name: str, type_: str, version: float, pos: tuple[int, int], **params: Any) -> dict:
    n: dict[str, Any] = {
        # Stable ids, so rebuilding produces the same JSON.
        "id": str(uuid.uuid5(NAMESPACE, name)),
        "name": name,
        "type": type_,
        "typeVersion": version,
        "position": list(pos),
        "parameters": params,
    }
    return n


def webhook(name: str, path: str) -> dict:
    n = node(
        name, "n8n-nodes-base.webhook", 2, (0, 300),
        httpMethod="POST", path=path, responseMode="responseNode",
        # rawBody: signatures are over the exact bytes, not a re-serialised JSON.
        options={"rawBody": True},
    )
    n["webhookId"] = str(uuid.uuid5(NAMESPACE, f"webhook:{path}"))
    return n


def code(name: str, source: str, pos: tuple[int, int]) -> dict:
    return node(name, "n8n-nodes-base.code", 2, pos, jsCode=source)


def switch(name: str, outputs: int, pos: tuple[int, int]) -> dict:
    return node(
        name, "n8n-nodes-base.switch", 3.2, pos,
        mode="expression", numberOutputs=outputs, output="={{ $json.route }}",
    )


def respond(name: str, body: str, pos: tuple[int, int], code_expr: str | int = 200) -> dict:
    return node(
        name, "n8n-nodes-base.respondToWebhook", 1.1, pos,
        respondWith="json", responseBody=body, options={"responseCode": code_expr},
    )


def email(name: str, subject: str, text: str, pos: tuple[int, int]) -> dict:
    n = node(
        name, "n8n-nodes-base.emailSend", 2.1, pos,
        fromEmail=MAIL_FROM, toEmail="={{ $json.email }}", subject=subject,
        emailFormat="text", text=text, options={"appendAttribution": False},
    )
    n["credentials"] = SMTP_CREDENTIAL
    return n


def link(src: str, *targets: list[str]) -> dict:
    """Connections for `src`: one list of target node names per output."""
    return {
        src: {
            "main": [
                [{"node": t, "type": "main", "index": 0} for t in out] for out in targets
            ]
        }
    }


def workflow(wid: str, name: str, nodes: list[dict], connections: dict) -> dict:
    return {
        "id": wid,
        "name": name,
        "active": False,
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1", "saveDataErrorExecution": "all"},
        "pinData": {},
        "tags": [],
    }


def events_workflow() -> dict:
    rejected = "={{ JSON.stringify({ error: $json.error }) }}"
    ok = "={{ JSON.stringify({ ok: true, eventId: $json.eventId }) }}"
    nodes = [
        webhook("Coursegen event", "coursegen-events"),
        code("Verify signature", _verifier("verify_coursegen_event.js"), (220, 300)),
        switch("Route by type", 5, (440, 300)),
        respond("Reject", rejected, (700, 0), "={{ $json.status }}"),
        respond("Acknowledge duplicate", ok, (700, 150)),
        email(
            "Send welcome e-mail",
            "=Welcome to Coursegen, {{ $json.name || 'there' }}!",
            "=Hi {{ $json.name || 'there' }},\n\nwelcome to Coursegen. Paste a YouTube link and "
            "we will turn it into a course with sections, quizzes and exercises.\n\n"
            "{{ $env.COURSEGEN_APP_URL || 'http://localhost:3000' }}\n\n— The Coursegen team",
            (700, 300),
        ),
        email(
            "Send course-ready e-mail",
            "=Your course \"{{ $json.title }}\" is ready",
            "=Hi {{ $json.name || 'there' }},\n\nyour course \"{{ $json.title }}\" is ready:\n"
            "{{ $env.COURSEGEN_APP_URL || 'http://localhost:3000' }}/courses/{{ $json.courseId }}"
            "\n\n— The Coursegen team",
            (700, 450),
        ),
        respond("Acknowledge other", ok, (700, 600)),
        code("Remember event", _src("remember_event.js"), (940, 375)),
        respond("Acknowledge sent", ok, (1160, 375)),
    ]
    connections = {
        **link("Coursegen event", ["Verify signature"]),
        **link("Verify signature", ["Route by type"]),
        **link(
            "Route by type",
            ["Reject"], ["Acknowledge duplicate"], ["Send welcome e-mail"],
            ["Send course-ready e-mail"], ["Acknowledge other"],
        ),
        **link("Send welcome e-mail", ["Remember event"]),
        **link("Send course-ready e-mail", ["Remember event"]),
        **link("Remember event", ["Acknowledge sent"]),
    }
    return workflow("coursegenEvents1", "Coursegen events: welcome and course-ready e-mails",
                    nodes, connections)


def stripe_workflow() -> dict:
    nodes = [
        webhook("Stripe event", "stripe"),
        code("Verify Stripe signature", _verifier("verify_stripe_event.js"), (220, 300)),
        switch("Route", 3, (440, 300)),
        respond("Reject", "={{ JSON.stringify({ error: $json.error }) }}", (700, 100),
                "={{ $json.status }}"),
        respond("Ignore", "={{ JSON.stringify({ received: true, ignored: $json.ignored }) }}",
                (700, 300)),
        node(
            "Update subscription", "n8n-nodes-base.httpRequest", 4.2, (700, 500),
            method="POST",
            url="={{ ($env.COURSEGEN_API_URL || 'http://127.0.0.1:8000') }}"
                "/api/webhooks/subscription",
            sendHeaders=True,
            headerParameters={"parameters": [
                {"name": "X-Coursegen-Signature", "value": "={{ $json.signature }}"},
            ]},
            sendBody=True,
            # Raw: the API verifies the HMAC over these exact bytes.
            contentType="raw",
            rawContentType="application/json",
            body="={{ $json.body }}",
            options={"timeout": 10000},
        ),
        respond(
            "Acknowledge",
            # $json is the API's answer: {userId, tier, status, endsAt, changed}.
            "={{ JSON.stringify({ received: true, changed: $json.changed, tier: $json.tier }) }}",
            (940, 500),
        ),
    ]
    connections = {
        **link("Stripe event", ["Verify Stripe signature"]),
        **link("Verify Stripe signature", ["Route"]),
        **link("Route", ["Reject"], ["Ignore"], ["Update subscription"]),
        **link("Update subscription", ["Acknowledge"]),
    }
    return workflow("coursegenStripe1", "Coursegen: Stripe subscription events", nodes,
                    connections)


WORKFLOWS = {
    "coursegen-events.json": events_workflow,
    "stripe-subscriptions.json": stripe_workflow,
}


def render() -> dict[str, str]:
    return {name: json.dumps(build(), indent=2) + "\n" for name, build in WORKFLOWS.items()}


if __name__ == "__main__":
    out = HERE / "workflows"
    out.mkdir(exist_ok=True)
    for name, text in render().items():
        (out / name).write_text(text)
        print(f"wrote {out / name}")
