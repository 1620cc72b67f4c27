"""Spaced repetition over a course's study cards (FSRS): record reviews, list what is due."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession

from api.course_views import course_tree, visible_course
from api.deps import CurrentUser, SessionDep
from api.errors import AppError
from api.schemas import QueryBool, UtcDatetime, error_responses
from core.domain import CamelModel, GeneratedCourse
from core.review_schedule import RatingName, state_name
from core.study import StudyCard, study_cards
from db.models import ReviewCard
from db.repo import reviews as reviews_repo

router = APIRouter(prefix="/api/user/reviews", tags=["study"])
CLOCK_SKEW = timedelta(minutes=5)


class ReviewRequest(CamelModel):
    course_id: uuid.UUID
    card_id: str = Field(min_length=1, max_length=64, description="A StudyCard id")
    rating: RatingName = Field(description="How well the learner recalled the card")
    reviewed_at: UtcDatetime | SkipJsonSchema[None] = Field(
        default=None, description="When the review happened (offline clients syncing later); "
                                  "default now. Never in the future nor before the card's last "
                                  "review.")


class ReviewState(CamelModel):
    course_id: uuid.UUID
    card_id: str
    state: Literal["new", "learning", "review", "relearning"]
    due: UtcDatetime | None = Field(description="Next review; null for a card never reviewed")
    stability: float | None = None
    difficulty: float | None = None
    reps: int = 0
    lapses: int = 0
    last_review: UtcDatetime | None = None


class DueCard(CamelModel):
    card: StudyCard
    review: ReviewState


class DueList(CamelModel):
    cards: list[DueCard]


def review_state(row: ReviewCard) -> ReviewState:
    return ReviewState(course_id=row.course_id, card_id=row.card_id,
                       state=state_name(row.fsrs),  # type: ignore[arg-type]
                       due=row.due, stability=row.fsrs.get("stability"),
                       difficulty=row.fsrs.get("difficulty"), reps=row.reps,
                       lapses=row.lapses, last_review=row.last_review)


async def cards_of(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID
                   ) -> dict[str, StudyCard]:
    course = await visible_course(session, user_id, course_id)
    tree = await course_tree(session, user_id, course)
    if tree is None:
        return {}
    return {c.id: c for c in study_cards(GeneratedCourse.model_validate(tree))}


@router.post("", response_model=ReviewState, responses=error_responses(401, 404, 409, 422))
async def record_review(body: ReviewRequest, session: SessionDep, user: CurrentUser
                        ) -> ReviewState:
    """Record one review of a study card; FSRS schedules the next one. 404 for a course you
    cannot see, 422 `card_not_in_course`, 409 `review_out_of_order`."""
    now = datetime.now(UTC)
    at = body.reviewed_at or now
    if at > now + CLOCK_SKEW:
        raise AppError("review_in_future", "reviewedAt is in the future.", 422)
    if body.card_id not in await cards_of(session, user.id, body.course_id):
        raise AppError("card_not_in_course", "cardId is not a study card of this course.", 422)
    try:
        row = await reviews_repo.record_review(session=session, user_id=user.id,
                                               course_id=body.course_id, card_id=body.card_id,
                                               rating=body.rating, reviewed_at=at)
    except reviews_repo.ReviewOutOfOrder as exc:
        raise AppError("review_out_of_order", str(exc), 409) from exc
    state = review_state(row)
    await session.commit()
    return state


@router.get("/due", response_model=DueList, responses=error_responses(401, 404, 422))
async def due_reviews(
    session: SessionDep, user: CurrentUser,
    course_id: Annotated[uuid.UUID | SkipJsonSchema[None], Query(alias="courseId")] = None,
    before: Annotated[UtcDatetime | SkipJsonSchema[None], Query(
        description="List what is due by then (planning ahead); default now")] = None,
    include_new: Annotated[QueryBool, Query(alias="includeNew", description=(
        "With courseId: also the course's cards never reviewed"))] = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DueList:
    """Your cards due for review, most overdue first; with courseId, then that course's new
    cards. Cards an outline edit removed are left out."""
    rows = await reviews_repo.due_cards(session=session, user_id=user.id,
                                        before=before or datetime.now(UTC),
                                        course_id=course_id, limit=limit)
    cards: dict[uuid.UUID, dict[str, StudyCard]] = {}
    if course_id is not None:
        cards[course_id] = await cards_of(session, user.id, course_id)
    out: list[DueCard] = []
    for row in rows:
        if row.course_id not in cards:
            try:
                cards[row.course_id] = await cards_of(session, user.id, row.course_id)
            except AppError:  # the course was made private or deleted since
                cards[row.course_id] = {}
        card = cards[row.course_id].get(row.card_id)
        if card is not None:
            out.append(DueCard(card=card, review=review_state(row)))
    if course_id is not None and include_new and len(out) < limit:
        seen = await reviews_repo.reviewed_ids(session=session, user_id=user.id,
                                               course_id=course_id)
        out += [DueCard(card=c, review=ReviewState(course_id=course_id, card_id=c.id,
                                                   state="new", due=None))
                for c in cards[course_id].values() if c.id not in seen][: limit - len(out)]
    return DueList(cards=out)
