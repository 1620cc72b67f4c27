"""Inbound webhooks. n8n (after verifying Stripe's signature) reports subscription changes here.

The body is authenticated with our own HMAC (core/signing.py, secret SUBSCRIPTION_WEBHOOK_SECRET)
before it is parsed; the timestamp window and a seen-set of signatures (in Redis when REDIS_URL is
set, so shared by every API process) stop replays. The user update and the
"subscription.changed" outbox event commit in one transaction.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from pydantic import EmailStr, Field, ValidationError, model_validator
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import SessionDep, SettingsDep
from api.errors import AppError
from api.schemas import error_responses
from core.config import Settings
from core.domain import CamelModel
from core.signing import SIGNATURE_HEADER, ReplayGuard, SignatureError, parse_header, verify
from core.tiers import SubscriptionStatus, Tier
from db.models import User
from db.outbox import enqueue_event
from db.repo.users import as_utc
from infra.replay_guard import make_replay_guard

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"])

_SIGNATURE_STATUS = {"invalid_signature": 401, "replayed": 409, "replay_check_unavailable": 503}


class SubscriptionWebhook(CamelModel):
    user_id: uuid.UUID | None = Field(default=None, description="public.users id, if known")
    email: EmailStr | None = Field(default=None, description="Fallback lookup by e-mail")
    tier: Tier
    status: SubscriptionStatus
    ends_at: datetime | None = Field(default=None, description="End of the paid period")
    event_id: str = Field(min_length=1, max_length=200, description="Upstream (Stripe) event id")

    @model_validator(mode="after")
    def _needs_a_user(self) -> SubscriptionWebhook:
        if self.user_id is None and self.email is None:
            raise ValueError("userId or email is required")
        return self


class SubscriptionWebhookResult(CamelModel):
    user_id: uuid.UUID
    tier: Tier
    status: SubscriptionStatus
    ends_at: datetime | None
    changed: bool = Field(description="False when the user already had this state (a retry)")


def _replay_guard(request: Request, settings: Settings) -> ReplayGuard:
    guard = getattr(request.app.state, "webhook_replay_guard", None)
    if guard is None:
        guard = request.app.state.webhook_replay_guard = make_replay_guard(settings)
    return guard  # type: ignore[no-any-return]


@router.post(
    "/subscription",
    response_model=SubscriptionWebhookResult,
    # The body is read raw (the MAC covers the exact bytes), so document its schema by hand.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": SubscriptionWebhook.model_json_schema(by_alias=True)
                }
            },
        },
        "parameters": [
            {
                "name": SIGNATURE_HEADER,
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>",
            }
        ],
    },
    responses={
        status: {**error_responses(status)[status], "description": description}
        for status, description in {
            401: "invalid_signature",
            404: "user_not_found",
            409: "replayed (stale timestamp or signature already used)",
            422: "validation_error",
            503: "webhooks_disabled, or replay_check_unavailable (Redis unreachable)",
        }.items()
    },
)
async def subscription_webhook(
    request: Request, session: SessionDep, settings: SettingsDep
) -> SubscriptionWebhookResult:
    """Set a user's subscription tier/status/end date from a signed billing event."""
    secret = settings.subscription_webhook_secret
    try:  # the signature's form first: an unsigned request is 401 whether or not webhooks are on
        parse_header(request.headers.get(SIGNATURE_HEADER))
    except SignatureError as exc:
        raise AppError(exc.code, exc.message, 401) from exc
    if secret is None:
        raise AppError("webhooks_disabled", "SUBSCRIPTION_WEBHOOK_SECRET is not set.", 503)
    body = await request.body()
    try:
        # in a thread: the Redis guard is a blocking (one round-trip) call
        await asyncio.to_thread(
            verify,
            body,
            request.headers.get(SIGNATURE_HEADER),
            secret.get_secret_value(),
            settings.webhook_tolerance_seconds,
            replay_guard=_replay_guard(request, settings),
        )
    except SignatureError as exc:
        raise AppError(exc.code, exc.message, _SIGNATURE_STATUS.get(exc.code, 401)) from exc
    try:
        event = SubscriptionWebhook.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AppError(
            "validation_error", f"{where}: {first['msg']}" if where else first["msg"], 422
        ) from exc

    user = await _find_user(session, event)
    if user is None:
        raise AppError("user_not_found", "No user matches userId/email.", 404)
    ends_at = as_utc(event.ends_at) if event.ends_at else None
    current = (
        user.subscription_tier,
        user.subscription_status,
        as_utc(user.subscription_ends_at) if user.subscription_ends_at else None,
    )
    changed = current != (event.tier, event.status, ends_at)
    if changed:
        # Setting absolute values makes a retried delivery harmless; the event fires only on
        # an actual change.
        user.subscription_tier = event.tier
        user.subscription_status = event.status
        user.subscription_ends_at = ends_at
        await enqueue_event(
            session,
            event_type="subscription.changed",
            payload={
                "userId": user.id,
                "email": user.email,
                "name": user.name,
                "tier": event.tier,
                "status": event.status,
                "endsAt": ends_at,
                "previousTier": current[0],
                "sourceEventId": event.event_id,
                "at": datetime.now(UTC),
            },
        )
        await session.commit()
    return SubscriptionWebhookResult(
        user_id=user.id, tier=event.tier, status=event.status, ends_at=ends_at, changed=changed
    )


async def _find_user(session: AsyncSession, event: SubscriptionWebhook) -> User | None:
    if event.user_id is not None:
        user = await session.get(User, event.user_id)
        if user is not None:
            return user
    if event.email is not None:
        return await session.scalar(
            select(User).where(func.lower(User.email) == event.email.lower())
        )
    return None
