"""FSRS scheduling (the maintained `fsrs` package): one review in, the next memory state out."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal, cast

from fsrs import Card, Rating, Scheduler, State
from fsrs.card import CardDict

RatingName = Literal["again", "hard", "good", "easy"]
RATINGS: dict[str, Rating] = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good,
                              "easy": Rating.Easy}
STATE_NAMES = {State.Learning: "learning", State.Review: "review",
               State.Relearning: "relearning"}


@cache
def scheduler() -> Scheduler:
    # Fuzzing off: the same reviews give the same schedule, so a learner (and a test) can
    # predict it; FSRS's default parameters and 90% desired retention otherwise.
    return Scheduler(enable_fuzzing=False)


def review(state: dict[str, Any] | None, rating: RatingName, at: datetime) -> dict[str, Any]:
    """The card's FSRS state (fsrs.Card.to_dict()) after a review; None = a new card."""
    card = Card.from_dict(cast(CardDict, state)) if state else Card(due=at)
    card, _log = scheduler().review_card(card, RATINGS[rating], at.astimezone(UTC))
    return dict(card.to_dict())


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def state_name(state: dict[str, Any]) -> str:
    return STATE_NAMES[State(state["state"])]
