"""Spaced-repetition rows of one learner: record a review, list what is due (owner-scoped)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.review_schedule import RatingName, parse_time, review
from db.models import ReviewCard, ReviewLog


class ReviewOutOfOrder(ValueError):
    """A review dated before the card's last one (an offline client syncing late)."""


async def get_review_card(*, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID,
                          card_id: str, for_update: bool = False) -> ReviewCard | None:
    query = select(ReviewCard).where(ReviewCard.user_id == user_id,
                                     ReviewCard.course_id == course_id,
                                     ReviewCard.card_id == card_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def record_review(*, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID,
                        card_id: str, rating: RatingName, reviewed_at: datetime) -> ReviewCard:
    """Schedule the card's next review from this one and log it; the caller commits."""
    reviewed_at = reviewed_at.astimezone(UTC)  # stored as UTC: SQLite keeps no offset
    row = await get_review_card(session=session, user_id=user_id, course_id=course_id,
                                card_id=card_id, for_update=True)
    if row is not None and reviewed_at < _aware(row.last_review):
        raise ReviewOutOfOrder(f"card {card_id} was last reviewed at {row.last_review}")
    state = review(row.fsrs if row else None, rating, reviewed_at)
    if row is None:
        row = ReviewCard(id=uuid.uuid4(), user_id=user_id, course_id=course_id, card_id=card_id,
                         reps=0, lapses=0)
        session.add(row)
    lapsed = rating == "again" and row.fsrs is not None and row.fsrs.get("state") == 2
    row.fsrs = state
    row.due = parse_time(state["due"])
    row.last_review = reviewed_at
    row.reps = (row.reps or 0) + 1
    row.lapses = (row.lapses or 0) + int(lapsed)
    await session.flush()
    session.add(ReviewLog(review_card_id=row.id, rating={"again": 1, "hard": 2, "good": 3,
                                                         "easy": 4}[rating],
                          reviewed_at=reviewed_at))
    return row


async def due_cards(*, session: AsyncSession, user_id: uuid.UUID, before: datetime,
                    course_id: uuid.UUID | None = None, limit: int = 100) -> list[ReviewCard]:
    query = select(ReviewCard).where(ReviewCard.user_id == user_id,
                                     ReviewCard.due <= before.astimezone(UTC))
    if course_id is not None:
        query = query.where(ReviewCard.course_id == course_id)
    return list(await session.scalars(query.order_by(ReviewCard.due).limit(limit)))


async def reviewed_ids(*, session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID
                       ) -> set[str]:
    return set(await session.scalars(select(ReviewCard.card_id).where(
        ReviewCard.user_id == user_id, ReviewCard.course_id == course_id)))


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes (stored as UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
