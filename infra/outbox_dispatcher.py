"""Deliver outbox events to n8n: signed JSON POSTs with retries and exponential backoff.

Delivery guarantee. An event is claimed with a short lease (so concurrent dispatchers never
send the same row at the same time: `FOR UPDATE SKIP LOCKED` on Postgres, an optimistic
compare-and-set on SQLite), POSTed, and marked delivered right after a 2xx; a delivered event is
never selected again. Nothing is lost: any failure (connection refused, timeout, non-2xx) keeps
the row with attempts+1 and a later `next_attempt_at`. The one window left — the process dies
after the receiver answered 2xx but before `delivered_at` commits — causes a resend with the same
`X-Coursegen-Event-Id`; receivers dedupe on that header (the n8n workflows do), which makes the
delivery exactly-once as seen by an acknowledging receiver.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import httpx
from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, sign
from db.models import OutboxEvent, utcnow

log = logging.getLogger(__name__)


def _iso(dt: datetime) -> str:
    # SQLite hands back naive datetimes; everything we store is UTC.
    dt = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def event_body(event: OutboxEvent) -> bytes:
    """The exact bytes that are signed and sent."""
    doc = {
        "id": str(event.id),
        "type": event.event_type,
        "createdAt": _iso(event.created_at),
        "payload": event.payload,
    }
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


class OutboxDispatcher:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        http: httpx.AsyncClient | None = None,
        *,
        batch_size: int = 20,
        timeout_seconds: float = 10.0,
        base_backoff_seconds: float = 2.0,
        max_backoff_seconds: float = 3600.0,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._http = http
        self._owns_http = http is None
        self.batch_size = batch_size
        self.timeout_seconds = timeout_seconds
        self.base_backoff_seconds = base_backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failure: 2, 4, 8, ... capped, +-10% jitter."""
        delay = min(self.base_backoff_seconds * 2 ** (attempts - 1), self.max_backoff_seconds)
        return delay * random.uniform(0.9, 1.1)

    async def aclose(self) -> None:
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    async def run_once(self) -> int:
        """Deliver the due events once; return how many were acknowledged."""
        url = self._settings.n8n_webhook_url
        secret = self._settings.n8n_webhook_secret
        if not url or secret is None:
            # Events keep accumulating and go out once the integration is configured.
            log.debug("outbox: N8N_WEBHOOK_URL or N8N_WEBHOOK_SECRET unset; not delivering")
            return 0
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self.timeout_seconds)
        delivered = 0
        for event_id, body in await self._claim():
            error = await self._post(url, secret.get_secret_value(), event_id, body)
            await self._record(event_id, error)
            delivered += error is None
        return delivered

    async def _claim(self) -> list[tuple[uuid.UUID, bytes]]:
        now = utcnow()
        # Long enough to cover the whole batch's requests, so nobody else picks them up meanwhile.
        lease_until = now + timedelta(seconds=self.timeout_seconds * self.batch_size + 30)
        claimed: list[tuple[uuid.UUID, bytes]] = []
        async with self._sessionmaker() as session, session.begin():
            query = (
                select(OutboxEvent)
                .where(OutboxEvent.delivered_at.is_(None), OutboxEvent.next_attempt_at <= now)
                .order_by(OutboxEvent.created_at)
                .limit(self.batch_size)
            )
            if session.bind is None:  # the sessionmaker is always built on an engine
                raise RuntimeError("outbox dispatcher needs a sessionmaker bound to an engine")
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for event in (await session.scalars(query)).all():
                # Compare-and-set on the due time: a concurrent SQLite dispatcher that read the
                # same row loses here instead of sending it twice.
                # an UPDATE's result is a CursorResult (with rowcount); execute() is typed wider
                result = cast(CursorResult[Any], await session.execute(
                    update(OutboxEvent)
                    .where(
                        OutboxEvent.id == event.id,
                        OutboxEvent.delivered_at.is_(None),
                        OutboxEvent.next_attempt_at == event.next_attempt_at,
                    )
                    .values(next_attempt_at=lease_until)
                    .execution_options(synchronize_session=False)
                ))
                if result.rowcount == 1:
                    claimed.append((event.id, event_body(event)))
        return claimed

    async def _post(self, url: str, secret: str, event_id: uuid.UUID, body: bytes) -> str | None:
        """POST one event; None on a 2xx, else a short description of the failure."""
        assert self._http is not None
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, secret),
            EVENT_ID_HEADER: str(event_id),
            "User-Agent": "coursegen-outbox/1",
        }
        try:
            response = await self._http.post(
                url, content=body, headers=headers, timeout=self.timeout_seconds
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}: {response.text[:200]}"

    async def _record(self, event_id: uuid.UUID, error: str | None) -> None:
        async with self._sessionmaker() as session, session.begin():
            event = await session.get(OutboxEvent, event_id)
            if event is None or event.delivered_at is not None:
                return
            if error is None:
                event.delivered_at = utcnow()
                event.last_error = None
                return
            event.attempts += 1
            event.last_error = error
            event.next_attempt_at = utcnow() + timedelta(seconds=self.backoff(event.attempts))
            log.warning("outbox: event %s attempt %d failed: %s", event_id, event.attempts, error)

    async def run_forever(self, stop_event: asyncio.Event) -> None:
        """Poll until `stop_event` is set; a full batch is followed at once by the next one."""
        poll = self._settings.outbox_poll_seconds
        try:
            while not stop_event.is_set():
                try:
                    sent = await self.run_once()
                except Exception:  # DB hiccup: log loudly, keep the loop alive, try again later
                    log.exception("outbox: dispatch round failed")
                    sent = 0
                if sent >= self.batch_size:
                    continue
                try:
                    await asyncio.wait_for(stop_event.wait(), timeout=poll)
                except TimeoutError:
                    pass
        finally:
            await self.aclose()
