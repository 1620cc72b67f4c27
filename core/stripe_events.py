"""Stripe webhook events -> the subscription change our API applies.

n8n verifies Stripe's signature in its workflow; this module does the same in Python (for a
direct Stripe -> API deployment, and as the reference the workflow's mapping is tested against).
`stripe.Webhook.construct_event` checks the signature before parsing, so a correctly signed body
that is not JSON surfaces as JSONDecodeError, not as a Stripe error: it is mapped here.

User mapping: the checkout session carries our user id in `client_reference_id` (set when the
checkout is created) and the e-mail; subscription objects carry it in `metadata.userId` (set via
`subscription_data.metadata` at checkout), since they only know Stripe's customer id.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict

import stripe
from pydantic import BaseModel

from core.errors import CodedError

SUPPORTED_EVENTS = frozenset(
    {"checkout.session.completed", "customer.subscription.updated",
     "customer.subscription.deleted"}
)
# Statuses in which the customer keeps pro features (past_due: Stripe is still retrying).
PRO_STATUSES = frozenset({"active", "trialing", "past_due"})


class StripeEventError(CodedError):
    """`code`: invalid_signature | invalid_payload | unsupported_event."""


class SubscriptionChange(BaseModel):
    event_id: str
    event_type: str
    user_id: str | None
    email: str | None
    customer_id: str | None
    subscription_id: str | None
    tier: Literal["free", "pro"]
    status: str
    ends_at: datetime | None

    def webhook_body(self) -> dict[str, Any]:
        """The body for POST /api/webhooks/subscription."""
        body: dict[str, Any] = {"tier": self.tier, "status": self.status, "eventId": self.event_id}
        if self.user_id:
            body["userId"] = self.user_id
        if self.email:
            body["email"] = self.email
        if self.ends_at:
            body["endsAt"] = self.ends_at.isoformat().replace("+00:00", "Z")
        return body


def parse_stripe_event(
    payload: bytes, sig_header: str | None, secret: str, *, tolerance: int = 300
) -> SubscriptionChange:
    try:
        stripe.Webhook.construct_event(payload, sig_header, secret, tolerance=tolerance)
    except stripe.SignatureVerificationError as exc:
        raise StripeEventError("invalid_signature", str(exc.user_message or exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise StripeEventError("invalid_payload", f"signed body is not JSON: {exc}") from exc
    except (TypeError, AttributeError, KeyError) as exc:  # JSON, but not an event object
        raise StripeEventError("invalid_payload", "signed body is not a Stripe event") from exc
    event = json.loads(payload)
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
        raise StripeEventError("invalid_payload", "signed body is not a Stripe event")
    return map_event(event)


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int | float) else None


def _period_end(sub: dict[str, Any]) -> datetime | None:
    # API versions before 2025-03-31 have it on the subscription, later ones on each item.
    if sub.get("current_period_end"):
        return _ts(sub["current_period_end"])
    items = (sub.get("items") or {}).get("data") or []
    ends = [i["current_period_end"] for i in items if i.get("current_period_end")]
    return _ts(max(ends)) if ends else None


class _CommonFields(TypedDict):
    """The SubscriptionChange fields every handled event fills the same way."""

    event_id: str
    event_type: str
    customer_id: str | None


def map_event(event: dict[str, Any]) -> SubscriptionChange:
    etype = str(event.get("type", ""))
    obj = event["data"].get("object") or {}
    if etype not in SUPPORTED_EVENTS:
        raise StripeEventError("unsupported_event", f"event type {etype!r} is not handled")
    metadata = obj.get("metadata") or {}
    common: _CommonFields = {
        "event_id": str(event.get("id", "")),
        "event_type": etype,
        "customer_id": obj.get("customer"),
    }
    if etype == "checkout.session.completed":
        paid = obj.get("payment_status") in ("paid", "no_payment_required")
        email = obj.get("customer_email") or (obj.get("customer_details") or {}).get("email")
        return SubscriptionChange(
            **common,
            user_id=obj.get("client_reference_id") or metadata.get("userId"),
            email=email,
            subscription_id=obj.get("subscription"),
            tier="pro" if paid else "free",
            status="active" if paid else "incomplete",
            ends_at=None,  # known from the subscription events that follow
        )
    status = str(obj.get("status", "canceled"))
    if etype == "customer.subscription.deleted":
        tier: Literal["free", "pro"] = "free"
        status = "canceled"
        ends_at = _ts(obj.get("ended_at")) or _ts(obj.get("canceled_at"))
    else:
        tier = "pro" if status in PRO_STATUSES else "free"
        # A scheduled cancellation ends access at cancel_at, otherwise at the period's end.
        ends_at = _ts(obj.get("cancel_at")) or _period_end(obj)
    return SubscriptionChange(
        **common,
        user_id=metadata.get("userId"),
        email=metadata.get("email"),
        subscription_id=obj.get("id"),
        tier=tier,
        status=status,
        ends_at=ends_at,
    )
