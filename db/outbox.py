"""Transactional outbox: domain events are rows written in the same transaction as the change.

If the change commits, the event exists and the dispatcher (infra/outbox_dispatcher.py) will
deliver it; if it rolls back, there is nothing to deliver. No event without its change, no
change without its event.
"""

from __future__ import annotations

from typing import Any, Final, Literal, get_args

from pydantic_core import to_jsonable_python
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import OutboxEvent, utcnow

EventType = Literal["user.signed_up", "course.completed", "course.failed", "subscription.changed"]
EVENT_TYPES: Final[frozenset[str]] = frozenset(get_args(EventType))


async def enqueue_event(
    session: AsyncSession, *, event_type: str, payload: dict[str, Any]
) -> OutboxEvent:
    """Add an event to the caller's session; the caller's commit publishes it."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}; expected {sorted(EVENT_TYPES)}")
    now = utcnow()
    event = OutboxEvent(
        event_type=event_type,
        # UUIDs, datetimes and models become JSON now, not as a failure at commit time.
        payload=to_jsonable_python(payload),
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )
    session.add(event)
    # Flush so the id/defaults exist now and a constraint error surfaces inside the caller's
    # transaction, not at some later commit.
    await session.flush()
    return event
