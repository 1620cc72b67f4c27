"""POST /api/webhooks/subscription: valid, tampered, replayed and unsigned payloads."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.errors import install_error_handlers
from api.routes.webhooks import router
from core.config import Settings
from core.signing import SIGNATURE_HEADER, sign
from db.models import OutboxEvent, User

SECRET = "sub-webhook-secret-0123456789"
SM = async_sessionmaker[AsyncSession]


def _app(sm: SM, secret: str | None = SECRET) -> FastAPI:
    # The router on a bare app with the error handlers; the lead's create_app adds the rest.
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.sessionmaker = sm
    app.state.settings = Settings(SUBSCRIPTION_WEBHOOK_SECRET=secret, WEBHOOK_TOLERANCE_SECONDS=300)
    return app


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    # SQLite only here: the outbox tests already cover both databases for the shared code path.
    return f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"


@pytest.fixture
async def user(sessionmaker: SM) -> User:
    async with sessionmaker() as session, session.begin():
        u = User(id=uuid.uuid4(), email="ada@example.com", name="Ada")
        session.add(u)
    return u


@pytest.fixture
async def client(sessionmaker: SM) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(sessionmaker))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


def _body(**fields: object) -> bytes:
    doc = {"tier": "pro", "status": "active", "eventId": f"evt_{uuid.uuid4().hex}"} | fields
    return json.dumps(doc).encode()


async def _post(client: httpx.AsyncClient, body: bytes, header: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers[SIGNATURE_HEADER] = header
    return await client.post("/api/webhooks/subscription", content=body, headers=headers)


async def _state(sm: SM, user_id: uuid.UUID) -> tuple[User, list[OutboxEvent]]:
    async with sm() as session:
        u = await session.get(User, user_id)
        events = (await session.scalars(select(OutboxEvent))).all()
        assert u is not None
        return u, list(events)


async def test_valid_payload_updates_user_and_enqueues_event(
    client: httpx.AsyncClient, sessionmaker: SM, user: User
) -> None:
    body = _body(userId=str(user.id), endsAt="2027-01-31T00:00:00Z")
    r = await _post(client, body, sign(body, SECRET))
    assert r.status_code == 200, r.text
    assert r.json() == {
        "userId": str(user.id), "tier": "pro", "status": "active",
        "endsAt": "2027-01-31T00:00:00Z", "changed": True,
    }
    u, events = await _state(sessionmaker, user.id)
    assert (u.subscription_tier, u.subscription_status) == ("pro", "active")
    assert u.subscription_ends_at is not None and u.subscription_ends_at.year == 2027
    [event] = events
    assert event.event_type == "subscription.changed"
    assert event.payload["userId"] == str(user.id) and event.payload["previousTier"] == "free"
    assert event.payload["sourceEventId"] == json.loads(body)["eventId"]


async def test_lookup_by_email_and_idempotent_retry(
    client: httpx.AsyncClient, sessionmaker: SM, user: User
) -> None:
    for i, expected_changed in enumerate((True, False)):
        body = _body(email="ADA@example.com", status="canceled", tier="free", eventId="evt_1")
        # A real retry is re-signed later, so its signature differs from the first delivery's.
        r = await _post(client, body, sign(body, SECRET, ts=int(time.time()) - 10 + i))
        assert r.status_code == 200 and r.json()["changed"] is expected_changed
    u, events = await _state(sessionmaker, user.id)
    assert u.subscription_status == "canceled" and len(events) == 1


async def test_tampered_payload_rejected(
    client: httpx.AsyncClient, sessionmaker: SM, user: User
) -> None:
    signed = _body(userId=str(user.id), tier="free")
    tampered = signed.replace(b'"free"', b'"pro"')
    r = await _post(client, tampered, sign(signed, SECRET))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_signature"
    r = await _post(client, signed, sign(signed, "some-other-secret"))
    assert r.status_code == 401
    u, events = await _state(sessionmaker, user.id)
    assert u.subscription_tier == "free" and events == []


@pytest.mark.parametrize("header", [None, "", "t=1", "v1=abc", "nonsense"])
async def test_missing_or_malformed_signature(
    client: httpx.AsyncClient, user: User, header: str | None
) -> None:
    r = await _post(client, _body(userId=str(user.id)), header)
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_signature"


async def test_replayed_payload_rejected(
    client: httpx.AsyncClient, sessionmaker: SM, user: User
) -> None:
    body = _body(userId=str(user.id))
    header = sign(body, SECRET)
    assert (await _post(client, body, header)).status_code == 200
    r = await _post(client, body, header)
    assert r.status_code == 409 and r.json()["error"]["code"] == "replayed"
    # An old capture (outside the tolerance window) is refused even if never seen before.
    old = _body(userId=str(user.id), tier="free")
    r = await _post(client, old, sign(old, SECRET, ts=int(time.time()) - 301))
    assert r.status_code == 409 and r.json()["error"]["code"] == "replayed"
    u, events = await _state(sessionmaker, user.id)
    assert u.subscription_tier == "pro" and len(events) == 1


async def test_disabled_without_secret(sessionmaker: SM, user: User) -> None:
    transport = httpx.ASGITransport(app=_app(sessionmaker, secret=None))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        body = _body(userId=str(user.id))
        r = await _post(c, body, sign(body, SECRET))
    assert r.status_code == 503 and r.json()["error"]["code"] == "webhooks_disabled"


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"userId": None}, 422, "validation_error"),  # neither userId nor email
        ({"tier": "platinum"}, 422, "validation_error"),
        ({"userId": "00000000-0000-0000-0000-000000000000"}, 404, "user_not_found"),
    ],
)
async def test_signed_but_invalid(
    client: httpx.AsyncClient, user: User, fields: dict, status: int, code: str
) -> None:
    body = _body(**({"userId": str(user.id)} | fields))
    r = await _post(client, body, sign(body, SECRET))
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_openapi_documents_body_and_header(sessionmaker: SM) -> None:
    op = _app(sessionmaker).openapi()["paths"]["/api/webhooks/subscription"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert {"tier", "status", "eventId", "userId", "endsAt"} <= set(schema["properties"])
    assert any(p["name"] == SIGNATURE_HEADER for p in op["parameters"])
