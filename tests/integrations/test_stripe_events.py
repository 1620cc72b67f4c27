"""core.stripe_events: Stripe signature checks via stripe.Webhook.construct_event on payloads we
sign ourselves (Stripe's v1 scheme), and the event -> subscription mapping."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from core.stripe_events import StripeEventError, parse_stripe_event

SECRET = "whsec_test_secret_abcdef0123456789"
PERIOD_END = 1_800_000_000  # 2027-01-15


def stripe_sign(payload: bytes, secret: str = SECRET, ts: int | None = None) -> str:
    ts = int(time.time()) if ts is None else ts
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def event(etype: str, obj: dict[str, Any]) -> bytes:
    doc = {"id": "evt_123", "object": "event", "type": etype, "api_version": "2025-03-31.basil",
           "created": 1_700_000_000, "livemode": False, "data": {"object": obj}}
    return json.dumps(doc).encode()


CHECKOUT = event("checkout.session.completed", {
    "id": "cs_1", "object": "checkout.session", "mode": "subscription", "customer": "cus_1",
    "subscription": "sub_1", "client_reference_id": "6f1c1c0e-1111-4111-8111-111111111111",
    "customer_details": {"email": "ada@example.com"}, "payment_status": "paid",
})


def sub_event(etype: str, **fields: Any) -> bytes:
    obj = {"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "active",
           "metadata": {"userId": "6f1c1c0e-1111-4111-8111-111111111111"},
           "items": {"data": [{"id": "si_1", "current_period_end": PERIOD_END}]}} | fields
    return event(etype, obj)


def test_checkout_completed_makes_user_pro() -> None:
    change = parse_stripe_event(CHECKOUT, stripe_sign(CHECKOUT), SECRET)
    assert (change.tier, change.status, change.ends_at) == ("pro", "active", None)
    assert change.user_id == "6f1c1c0e-1111-4111-8111-111111111111"
    assert change.email == "ada@example.com" and change.subscription_id == "sub_1"
    assert change.webhook_body() == {
        "tier": "pro", "status": "active", "eventId": "evt_123",
        "userId": "6f1c1c0e-1111-4111-8111-111111111111", "email": "ada@example.com",
    }


@pytest.mark.parametrize(
    ("fields", "tier", "status", "ends"),
    [
        ({}, "pro", "active", PERIOD_END),
        ({"status": "past_due"}, "pro", "past_due", PERIOD_END),
        ({"status": "unpaid"}, "free", "unpaid", PERIOD_END),
        ({"cancel_at": PERIOD_END - 100}, "pro", "active", PERIOD_END - 100),
        # Pre-2025 API versions put the period end on the subscription itself.
        ({"items": {"data": []}, "current_period_end": PERIOD_END + 5}, "pro", "active",
         PERIOD_END + 5),
    ],
)
def test_subscription_updated(fields: dict, tier: str, status: str, ends: int) -> None:
    payload = sub_event("customer.subscription.updated", **fields)
    change = parse_stripe_event(payload, stripe_sign(payload), SECRET)
    assert (change.tier, change.status) == (tier, status)
    assert change.ends_at == datetime.fromtimestamp(ends, UTC)
    assert change.webhook_body()["endsAt"].endswith("Z")


def test_subscription_deleted_downgrades() -> None:
    payload = sub_event("customer.subscription.deleted", status="canceled", ended_at=PERIOD_END)
    change = parse_stripe_event(payload, stripe_sign(payload), SECRET)
    assert (change.tier, change.status) == ("free", "canceled")
    assert change.ends_at == datetime.fromtimestamp(PERIOD_END, UTC)


@pytest.mark.parametrize(
    "header",
    [
        stripe_sign(CHECKOUT, secret="whsec_other"),
        stripe_sign(CHECKOUT + b" "),
        stripe_sign(CHECKOUT, ts=int(time.time()) - 3600),  # outside the tolerance
        "",
        "t=1,v0=abc",
    ],
)
def test_bad_stripe_signatures(header: str) -> None:
    with pytest.raises(StripeEventError) as err:
        parse_stripe_event(CHECKOUT, header, SECRET)
    assert err.value.code == "invalid_signature"


@pytest.mark.parametrize("payload", [b"not json at all", b"\xff\xfe", b"[1, 2]", b'"str"'])
def test_signed_non_event_body_is_a_clear_error(payload: bytes) -> None:
    # The signature is valid, so construct_event gets as far as json.loads.
    with pytest.raises(StripeEventError) as err:
        parse_stripe_event(payload, stripe_sign(payload), SECRET)
    assert err.value.code == "invalid_payload"
    if payload == b"not json at all":
        assert isinstance(err.value.__cause__, json.JSONDecodeError)


def test_unsupported_event_type() -> None:
    payload = event("invoice.paid", {"id": "in_1"})
    with pytest.raises(StripeEventError) as err:
        parse_stripe_event(payload, stripe_sign(payload), SECRET)
    assert err.value.code == "unsupported_event"
